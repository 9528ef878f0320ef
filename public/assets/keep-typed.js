// A search form marked data-keeps="<form id>" reloads the page (finding an organisation in the
// directory): what was already typed in that form is kept for the reload, in this tab only, and
// put back into the fields the page brings back empty. Consent is never ticked for the person.
(function () {
  'use strict';
  var search = document.querySelector('form[data-keeps]');
  var storage = window.sessionStorage;
  if (!search || !storage) return;
  var form = document.getElementById(search.getAttribute('data-keeps'));
  if (!form) return;
  var key = 'keep-typed:' + location.pathname;
  var SKIPPED = { hidden: 1, submit: 1, button: 1, file: 1, password: 1 };
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIPPED[el.type] && el.name !== 'consent' && el.name !== 'organisation_id';
    });
  }
  var saved = null;
  try {
    saved = JSON.parse(storage.getItem(key) || 'null');
    storage.removeItem(key);
  } catch {
    saved = null;
  }
  if (saved) {
    fields().forEach(function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (saved[el.name + '=' + el.value] && !el.checked) {
          el.checked = true;
          // What the box turns on or off (site.js greys out fields) follows, as if ticked by hand.
          el.dispatchEvent(new Event('change', { bubbles: true }));
        }
      } else if (!el.value && typeof saved[el.name] === 'string') {
        el.value = saved[el.name];
      }
    });
  }
  search.addEventListener('submit', function () {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked) data[el.name + '=' + el.value] = true;
      } else if (el.value) {
        data[el.name] = el.value;
      }
    });
    try {
      storage.setItem(key, JSON.stringify(data));
    } catch {
      // Storage full or refused: the search still runs, the fields come back empty.
    }
  });
})();
