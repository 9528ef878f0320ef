// The watch inbox by keyboard: j/k (or arrows) move between items, g keeps, i ignores — the same
// forms as the buttons, posted in the background; without JavaScript the buttons post and reload.
(function () {
  'use strict';
  var list = document.querySelector('[data-watch-inbox]');
  if (!list || !window.fetch) return;
  var keys = document.getElementById('watch-keys');
  var live = document.getElementById('watch-live');
  if (keys) keys.hidden = false;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll('[data-item]'));
  }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest('[data-item]') : null;
  }
  function focusAt(index) {
    var all = items();
    if (all.length === 0) return;
    var target = all[Math.max(0, Math.min(index, all.length - 1))];
    target.focus();
  }
  function say(text) {
    if (live) live.textContent = text;
  }
  // The counts the page shows (« Nouveaux (3) » on the status links above the filters, « 3 éléments »),
  // as the server tells them after a decision.
  function showCounts(answer) {
    var texts = answer && answer.statusTexts;
    if (texts) {
      Array.prototype.forEach.call(document.querySelectorAll('[data-inbox-status]'), function (link) {
        var text = texts[link.getAttribute('data-inbox-status')];
        if (typeof text === 'string') link.textContent = text;
      });
    }
    var count = document.getElementById('watch-count');
    if (count && answer && typeof answer.countText === 'string') count.textContent = answer.countText;
  }
  function decide(item, action) {
    var button = item.querySelector('button[data-action="' + action + '"]');
    if (!button) return;
    var form = button.form;
    var index = items().indexOf(item);
    button.disabled = true;
    // The page's filter goes along, so that the answer counts what this page lists.
    fetch(form.action + window.location.search, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (answer) {
        showCounts(answer);
        var title = item.querySelector('.watch-item-title');
        item.parentNode.removeChild(item);
        say((action === 'keep' ? list.getAttribute('data-kept') : list.getAttribute('data-ignored')) + ' ' + (title ? title.textContent.trim() : ''));
        focusAt(index);
      })
      .catch(function () {
        // Fall back to the ordinary post (and its page).
        form.submit();
      });
  }

  list.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-action]') : null;
    if (!button) return;
    event.preventDefault();
    decide(button.closest('[data-item]'), button.getAttribute('data-action'));
  });

  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var item = current();
    var all = items();
    var index = item ? all.indexOf(item) : -1;
    if (event.key === 'j' || event.key === 'ArrowDown') {
      event.preventDefault();
      focusAt(index + 1);
    } else if (event.key === 'k' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusAt(index < 0 ? 0 : index - 1);
    } else if ((event.key === 'g' || event.key === 'i') && item) {
      event.preventDefault();
      decide(item, event.key === 'g' ? 'keep' : 'ignore');
    }
  });
})();
