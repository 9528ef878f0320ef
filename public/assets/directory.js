// Progressive enhancement of /annuaire. Without this script the page is a plain GET form and
// works as it is. With it, typing or ticking a filter fetches the same URL with
// `HX-Request: true`; the server answers with only the count, the facets and the results, which
// replace theirs, and the URL is pushed to the history (the back button restores each state).
(function () {
  'use strict';
  var form = document.getElementById('directory-form');
  if (!form || !window.fetch || !window.history || !window.DOMParser) return;
  var input = document.getElementById('directory-q');
  var sort = document.getElementById('directory-tri');
  var controller = null;
  var timer = null;
  var REGIONS = ['directory-filter-label', 'directory-facets', 'directory-results'];

  /** The form as a query string, without empty values: the same URL a submit would give. */
  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== 'string' || value.trim() === '') return;
      if (name === 'tri' && value === 'pertinence') return; // the default
      params.append(name, value.trim());
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }

  /** Details left open by the visitor stay open after the facets are replaced. */
  function openFacets() {
    var open = {};
    document.querySelectorAll('#directory-facets details[data-facet]').forEach(function (d) {
      open[d.getAttribute('data-facet')] = d.open;
    });
    return open;
  }

  function swap(html, focusId) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var open = openFacets();
    REGIONS.forEach(function (id) {
      var fresh = doc.getElementById(id);
      var current = document.getElementById(id);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    });
    document.querySelectorAll('#directory-facets details[data-facet]').forEach(function (d) {
      var name = d.getAttribute('data-facet');
      if (Object.prototype.hasOwnProperty.call(open, name) && open[name]) d.open = true;
    });
    // The live region stays in place: only its text changes, so screen readers announce it.
    var count = doc.getElementById('directory-count');
    var status = document.getElementById('directory-count');
    if (count && status) status.textContent = count.textContent;
    if (focusId) {
      var again = document.getElementById(focusId);
      if (again) again.focus();
    }
  }

  function load(url, options) {
    if (controller) controller.abort();
    controller = new AbortController();
    var active = document.activeElement;
    var focusId = active && active.id && active.closest && active.closest('#directory-facets, #directory-results') ? active.id : null;
    var main = document.querySelector('.directory-main');
    if (main) main.setAttribute('aria-busy', 'true');
    return fetch(url, { headers: { 'HX-Request': 'true' }, signal: controller.signal, credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        swap(html, focusId);
        if (options.push) history.pushState({ directory: true }, '', url);
        if (options.focusResults) {
          var title = document.getElementById('directory-results-title');
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
  // Page links inside the results load in place too.
  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('#directory-results .pager a') : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    load(link.getAttribute('href'), { push: true, focusResults: true });
  });

  // Back and forward: the form's own fields follow the URL, the regions are fetched again.
  history.replaceState({ directory: true }, '', location.href);
  window.addEventListener('popstate', function () {
    var params = new URLSearchParams(location.search);
    if (input) input.value = params.get('q') || '';
    if (sort) sort.value = params.get('tri') || 'pertinence';
    load(location.pathname + location.search, { push: false });
  });
})();
