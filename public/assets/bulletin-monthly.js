// « Nouveau bulletin mensuel »: the subject's hint (« Laissez vide pour « Lettre d'information —
// janvier 2027 ». ») follows the month chosen. Without JavaScript the server's hint names the month
// shown first, and the subject left empty is always the chosen month's (src/modules/bulletin/monthly.ts).
(function () {
  'use strict';
  var box = document.querySelector('[data-subject-hints]');
  var select = document.getElementById('f-month');
  var hint = document.getElementById('f-subject-hint');
  if (!box || !select || !hint) return;
  var hints;
  try { hints = JSON.parse(box.getAttribute('data-subject-hints') || '{}'); } catch { return; }
  function follow() {
    var text = hints[select.value];
    if (text && hint.textContent !== text) hint.textContent = text;
  }
  select.addEventListener('change', follow);
  // A page shown again from the history keeps the month chosen before.
  window.addEventListener('pageshow', follow);
  follow();
})();
