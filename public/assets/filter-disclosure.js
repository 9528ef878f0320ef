// A block folded behind its summary on narrow screens (NarrowDisclosure in
// src/kernel/ui/filter-disclosure.tsx: a list's « Filtres », bulk actions). The page renders it open,
// so that without script its content shows. This script runs right after it, not deferred: on a
// narrow screen (site.css's breakpoint, 48rem, where the summary shows; or the block's own
// `data-fold-below`, up to which its page's stylesheet shows the summary) it folds before the list
// under it is painted, so nothing jumps; one marked `data-keep-open` (filters set, a refused form)
// stays open. Widened past its breakpoint, every one opens again: its summary is hidden there and
// could not reopen it.
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
  var panels = document.querySelectorAll('details.narrow-disclosure:not([data-narrow-ready])');
  for (var i = 0; i < panels.length; i++) {
    panels[i].setAttribute('data-narrow-ready', '');
    if (narrowFor(panels[i]).matches && !panels[i].hasAttribute('data-keep-open')) panels[i].open = false;
  }
})();
