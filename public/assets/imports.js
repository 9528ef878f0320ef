// The progress of an import or of its validation, refreshed every second while it runs (without JavaScript: the "Actualiser" link).
(function () {
  'use strict';
  var box = document.querySelector('.import-progress[data-running="1"]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-progress-url');
  var bar = box.querySelector('progress');
  var text = box.querySelector('.import-progress-text');
  var refresh = box.querySelector('.import-refresh');
  // The batch's status badge (import page only): "waiting" turns "running" once a worker starts.
  var badge = document.querySelector('.import-batch-status');
  if (refresh) refresh.parentNode.hidden = true;
  function tick() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (p) {
        // No percentage while a file is validated (its number of rows is known at the end).
        if (p.percent !== null) {
          bar.value = p.percent;
          bar.textContent = p.percent + ' %';
        }
        if (text.textContent !== p.text) text.textContent = p.text;
        if (badge && p.statusLabel && badge.textContent !== p.statusLabel) {
          badge.textContent = p.statusLabel;
          badge.className = 'badge import-batch-status import-status-' + p.status;
        }
        // Finished (or stopped): the page itself shows the counts and what comes next.
        if (!p.running) window.location.reload();
        else window.setTimeout(tick, 1000);
      })
      .catch(function () {
        if (refresh) refresh.parentNode.hidden = false;
      });
  }
  window.setTimeout(tick, 1000);
})();
