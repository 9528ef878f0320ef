// A block folded behind its summary on narrow screens (NarrowDisclosure in
// src/kernel/ui/filter-disclosure.tsx: a list's « Filtres », bulk actions). The page renders it open,
// so that without script its content shows. This script runs right after it, not deferred: on a
// narrow screen (site.css's breakpoint, where the summary shows) it folds before the list under it
// is painted, so nothing jumps; one marked `data-keep-open` (filters set, a refused form) stays open.
// Widened, every one opens again: its summary is hidden there and could not reopen it.
(function () {
  'use strict';
  if (!window.matchMedia) return;
  var narrow = window.matchMedia('(max-width: 47.99rem)');
  var panels = document.querySelectorAll('details.narrow-disclosure:not([data-narrow-ready])');
  for (var i = 0; i < panels.length; i++) {
    panels[i].setAttribute('data-narrow-ready', '');
    if (narrow.matches && !panels[i].hasAttribute('data-keep-open')) panels[i].open = false;
  }
  if (window.maillageNarrowDisclosure) return;
  window.maillageNarrowDisclosure = true;
  var widened = function () {
    if (narrow.matches) return;
    var all = document.querySelectorAll('details.narrow-disclosure');
    for (var j = 0; j < all.length; j++) all[j].open = true;
  };
  if (narrow.addEventListener) narrow.addEventListener('change', widened);
  else if (narrow.addListener) narrow.addListener(widened);
})();
