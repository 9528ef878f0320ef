// The registration questions' editor: « Ajouter une question » adds an empty question in place.
// Without script the button posts the form, and the page comes back with one more question, every
// typed value kept; « Monter », « Descendre » and « Supprimer » always post the form.
(function () {
  'use strict';
  var button = document.querySelector('[data-add-question]');
  var list = document.querySelector('[data-question-list]');
  var template = document.getElementById('question-template');
  var status = document.querySelector('.reg-questions-status');
  if (!button || !list || !template || !status) return;
  var max = Number(button.getAttribute('data-max')) || 20;
  button.addEventListener('click', function (event) {
    // The rows are numbered 0, 1, 2… in the page: the next one is their count.
    var i = list.querySelectorAll('.reg-question').length;
    if (i >= max) return;
    event.preventDefault();
    list.insertAdjacentHTML('beforeend', template.innerHTML.replace(/__i__/g, String(i)).replace(/__n__/g, String(i + 1)));
    if (i + 1 >= max) button.parentNode.hidden = true;
    status.textContent = status.getAttribute('data-added').replace('{n}', String(i + 1));
    var label = document.getElementById('f-q' + i + '_label');
    if (label) label.focus();
  });
})();
