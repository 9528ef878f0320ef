// A block folded behind its summary on narrow screens (NarrowDisclosure in
// src/kernel/ui/filter-disclosure.tsx: a list's « Filtres », bulk actions). The page renders it open,
// so that without script its content shows. This script runs right after it, not deferred: on a
// narrow screen (site.css's breakpoint, 48rem, where the summary shows; or the block's own
// `data-fold-below`, up to which its page's stylesheet shows the summary) it folds before the list
// under it is painted, so nothing jumps; one marked `data-keep-open` (a refused form) stays open.
// Widened past its breakpoint, every one opens again: its summary is hidden there and could not
// reopen it.
//
// A list's filters fold even when some are set, so that the results stay on the first screen: their
// summary, « Filtres (2 actifs) », then names what they are (« eau », Association…), read from the
// form's fields and kept current as they change. Open, the fields themselves show it.
(function () {
  'use strict';
  if (!window.matchMedia) return;
  var queries = window.maillageNarrowQueries || (window.maillageNarrowQueries = {});
  var narrowFor = function (panel) {
    var below = panel.getAttribute('data-fold-below') || '48rem';
    if (queries[below]) return queries[below];
    var query = window.matchMedia('not all and (min-width: ' + below + ')');
    var widened = function () {
      if (query.matches) return;
      var all = document.querySelectorAll('details.narrow-disclosure');
      for (var j = 0; j < all.length; j++) if ((all[j].getAttribute('data-fold-below') || '48rem') === below) all[j].open = true;
    };
    if (query.addEventListener) query.addEventListener('change', widened);
    else if (query.addListener) query.addListener(widened);
    queries[below] = query;
    return query;
  };

  var french = (document.documentElement.lang || 'fr').slice(0, 2) === 'fr';
  var quoted = function (text) {
    return french ? '«\u00a0' + text + '\u00a0»' : '“' + text + '”';
  };
  var clean = function (text) {
    // A facet's label ends with its count, « Association (12) »: the value alone.
    return text.replace(/\s+/g, ' ').replace(/\s*\([\d\s\u00a0\u202f.,]+\)\s*$/, '').trim();
  };
  var labelOf = function (form, field) {
    var label = field.id ? form.querySelector('label[for="' + field.id + '"]') : null;
    return label ? clean(label.textContent || '') : '';
  };
  /** What the form's fields filter by, in their order: typed words, chosen values, ticked boxes. */
  var chosen = function (form) {
    var out = [];
    var fields = form.querySelectorAll('input, select');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var name = field.getAttribute('name');
      // The sort and the page are no filters; hidden fields carry state, not choices.
      if (!name || name === 'tri' || name === 'page' || field.disabled || field.getAttribute('data-filter-summary') === 'skip') continue;
      var tag = field.tagName;
      var type = (field.getAttribute('type') || 'text').toLowerCase();
      if (tag === 'SELECT') {
        var option = field.options[field.selectedIndex];
        if (field.selectedIndex > 0 && field.value !== '' && option) out.push(clean(option.textContent || ''));
      } else if (type === 'checkbox' || type === 'radio') {
        if (field.checked && field.value !== '') out.push(labelOf(form, field) || field.value);
      } else if (type === 'search' || type === 'text') {
        if (field.value.trim() !== '') out.push(quoted(field.value.trim()));
      } else if (type !== 'hidden' && type !== 'submit' && type !== 'button' && field.value !== '') {
        out.push((labelOf(form, field) ? labelOf(form, field) + (french ? '\u00a0: ' : ': ') : '') + field.value);
      }
    }
    return out;
  };
  var describe = function (panel) {
    var summary = panel.querySelector(':scope > summary');
    var form = panel.querySelector('form');
    if (!summary || !form) return;
    var values = summary.querySelector('.filter-disclosure-values');
    var list = chosen(form);
    if (!list.length) {
      if (values) values.remove();
      return;
    }
    if (!values) {
      values = document.createElement('span');
      values.className = 'filter-disclosure-values';
      summary.appendChild(values);
    }
    values.textContent = list.join(', ');
  };

  var panels = document.querySelectorAll('details.narrow-disclosure:not([data-narrow-ready])');
  for (var i = 0; i < panels.length; i++) {
    var panel = panels[i];
    panel.setAttribute('data-narrow-ready', '');
    if (panel.classList.contains('filter-disclosure')) {
      describe(panel);
      var update = describe.bind(null, panel);
      panel.addEventListener('change', update);
      panel.addEventListener('input', update);
    }
    if (narrowFor(panel).matches && !panel.hasAttribute('data-keep-open')) panel.open = false;
  }
})();
