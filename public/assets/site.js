// Every page. After a refused form, the summary of its errors (or a refusal such as a failed
// sign-in, marked focusable) takes the focus: a screen reader reads it first, and on a long page
// it is scrolled into view (the form may sit far below the top).
(() => {
  const summary = document.querySelector('.error-summary, .flash-error[tabindex="-1"]');
  if (summary instanceof HTMLElement) summary.focus();
})();
