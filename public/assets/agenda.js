// Progressive enhancement of /agenda and /agenda/archives. Without this script the filters are a
// plain GET form and work as they are. With it, changing a filter fetches the same URL with
// `HX-Request: true`; the server answers with only the regions that depend on the filters (count,
// view links, events, feed links), which replace theirs, and the URL is pushed to the history.
// The map view keeps full page loads (its map is built once per page).
(function () {
  'use strict';
  var form = document.getElementById('agenda-form');
  if (!form || !window.fetch || !window.history || !window.DOMParser) return;
  if (document.querySelector('[data-agenda-map]')) return;
  var input = document.getElementById('f-agenda-q');
  var controller = null;
  var timer = null;
  /** The address whose results the page shows (path and query; a #fragment is no other page). */
  var shown = location.pathname + location.search;
  var REGIONS = ['agenda-archive-link', 'agenda-views', 'agenda-results', 'agenda-feeds', 'agenda-filter-label'];

  /** The form as a query string, without empty values: the same URL a submit would give. */
  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== 'string' || value.trim() === '') return;
      params.append(name, value.trim());
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    REGIONS.forEach(function (id) {
      var fresh = doc.getElementById(id);
      var current = document.getElementById(id);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    });
    // The live region stays in place: only its text changes, so screen readers announce it.
    var count = doc.getElementById('agenda-count');
    var status = document.getElementById('agenda-count');
    if (count && status) status.textContent = count.textContent;
  }

  function load(url, options) {
    if (controller) controller.abort();
    controller = new AbortController();
    var main = document.querySelector('.agenda-main');
    if (main) main.setAttribute('aria-busy', 'true');
    return fetch(url, { headers: { 'HX-Request': 'true' }, signal: controller.signal, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        swap(html);
        if (options.push) {
          history.pushState({ agenda: true }, '', url);
          shown = location.pathname + location.search;
        }
        if (options.focusResults) {
          var title = document.getElementById('agenda-results-title');
          if (title) {
            title.setAttribute('tabindex', '-1');
            title.focus();
          }
        }
      })
      .catch(function (error) {
        // A superseded request is expected; anything else falls back to a full page load.
        if (error && error.name === 'AbortError') return;
        window.location.assign(url);
      })
      .finally(function () {
        if (main) main.removeAttribute('aria-busy');
      });
  }

  function refresh() {
    var url = formUrl();
    if (url === location.pathname + location.search) return;
    load(url, { push: true });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var url = formUrl();
    load(url, { push: url !== location.pathname + location.search, focusResults: true });
  });
  form.addEventListener('change', function (event) {
    if (event.target === input) return;
    clearTimeout(timer);
    refresh();
  });
  if (input) {
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }
  // Page and month links inside the results load in place too.
  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('#agenda-results .pager a, #agenda-results .agenda-month-nav a') : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    // The month shown travels with the filters: the form's hidden field follows the link.
    var month = new URL(link.href).searchParams.get('mois');
    var hidden = form.querySelector('input[name="mois"]');
    if (month && hidden) hidden.value = month;
    load(link.getAttribute('href'), { push: true, focusResults: true });
  });

  // Back and forward: the page is fetched again for the URL (form fields follow on a full load).
  // Not for a move within the page (the skip link, an anchor): same address, nothing to load.
  history.replaceState({ agenda: true }, '', location.href);
  window.addEventListener('popstate', function () {
    if (location.pathname + location.search === shown) return;
    window.location.reload();
  });
})();
