// Live progress of a mailing being sent: the figures of the page are refreshed every two seconds
// from /admin/lettres/:id/progression; without JavaScript the "Refresh" link reloads the page.
(function () {
  'use strict';
  var section = document.querySelector('[data-progress-url]');
  if (!section || !window.fetch) return;
  var url = section.getAttribute('data-progress-url');
  var labels = JSON.parse(section.getAttribute('data-status-labels') || '{}');
  var bar = section.querySelector('progress');
  var initial = section.getAttribute('data-status');
  // Figures written as the page writes them: « 42 860 », « 1,5 » in French.
  var number = new Intl.NumberFormat(document.documentElement.lang || 'fr');
  function set(name, value) {
    var el = document.querySelector('[data-progress="' + name + '"]');
    if (el && el.textContent !== String(value)) el.textContent = String(value);
  }
  function eta(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    return seconds < 60 ? number.format(seconds) + '\u00a0s' : number.format(Math.ceil(seconds / 60)) + '\u00a0min';
  }
  function tick() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (p) {
        if (!p) return;
        ['total', 'sent', 'failed', 'skipped', 'remaining'].forEach(function (k) { set(k, number.format(p[k])); });
        var rate = document.querySelector('[data-progress="rate"]');
        if (rate) rate.textContent = rate.textContent.replace(/^[\d.,\s\u202f\u00a0]+/, number.format(p.rate) + (/^[\d.,]+\s/.test(rate.textContent) ? ' ' : ''));
        set('eta', eta(p.etaSeconds));
        if (labels[p.status]) set('status', labels[p.status]);
        if (bar) { bar.max = Math.max(1, p.total); bar.value = p.sent + p.failed + p.skipped; }
        // A new status brings other buttons (resume, the failures…): the page is reloaded.
        if (p.status !== initial) location.reload();
        else setTimeout(tick, 2000);
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
})();
