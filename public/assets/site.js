// Every page. After a refused form, the summary of its errors (or a refusal such as a failed
// sign-in, or a "this organisation may already exist" warning, marked focusable) takes the focus:
// a screen reader reads it first, and on a long page it is scrolled into view (the form may sit far below the top).
(() => {
  const summary = document.querySelector('.error-summary, .flash-error[tabindex="-1"], .duplicate-warning[tabindex="-1"]');
  if (summary instanceof HTMLElement) summary.focus();
})();

// A form marked `data-busy` (a long action): once sent, its status line says so (announced by
// screen readers) and its buttons say they are busy; sending it again is ignored.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLElement) || form.tagName !== 'FORM' || !form.dataset.busy) return;
  if (form.getAttribute('aria-busy') === 'true') {
    event.preventDefault();
    return;
  }
  form.setAttribute('aria-busy', 'true');
  for (const button of form.querySelectorAll('button')) button.setAttribute('aria-disabled', 'true');
  const status = form.querySelector('.form-busy');
  if (status) status.textContent = form.dataset.busy;
});

// The language switch comes back to the page as it is now: lists that update in place (the
// directory, the agenda) change the address after the page was sent, with its `suite` field in it.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLElement) || form.tagName !== 'FORM' || form.getAttribute('action') !== '/langue') return;
  const suite = form.querySelector('input[name="suite"]');
  if (suite) suite.value = location.pathname + location.search;
});

// The main menu on a phone (public and back office): its disclosure button (hidden until this script
// runs, so that without script the list simply shows) opens and closes the list it controls; Escape,
// from the button or inside the open list, closes it and puts focus back on the button.
for (const button of document.querySelectorAll('button.main-nav-toggle[aria-controls]')) {
  const list = document.getElementById(button.getAttribute('aria-controls') ?? '');
  if (!list) continue;
  button.hidden = false;
  button.addEventListener('click', () => button.setAttribute('aria-expanded', String(button.getAttribute('aria-expanded') !== 'true')));
  const closeOnEscape = (event) => {
    if (event.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  button.addEventListener('keydown', closeOnEscape);
  list.addEventListener('keydown', closeOnEscape);
}

// A table's frame (DataTable) scrolls sideways when the table is wider than the screen; it is then
// focusable, so that the arrow keys scroll it. A frame whose table fits leaves the tab order (the
// page renders every frame focusable, for browsers without script), and comes back if it narrows.
(() => {
  const frames = document.querySelectorAll('.table-wrap[data-scroll-frame]');
  if (!frames.length) return;
  const fit = (frame) => {
    if (frame.scrollWidth > frame.clientWidth + 1) frame.setAttribute('tabindex', '0');
    else if (frame !== document.activeElement) frame.removeAttribute('tabindex');
  };
  for (const frame of frames) fit(frame);
  if (!window.ResizeObserver) return;
  const observer = new window.ResizeObserver((entries) => {
    for (const entry of entries) {
      const frame = entry.target.closest('.table-wrap[data-scroll-frame]');
      if (frame) fit(frame);
    }
  });
  for (const frame of frames) {
    observer.observe(frame);
    const table = frame.querySelector('table');
    if (table) observer.observe(table);
  }
})();

// A box that makes other fields pointless (« Je viens à titre individuel »: no organisation to give)
// greys out the rest of the group it names while ticked; unticked, they come back as they were.
// The server ignores those fields anyway when the box is ticked: this only says so before sending.
for (const box of document.querySelectorAll('input[type="checkbox"][data-disables]')) {
  const group = document.getElementById(box.getAttribute('data-disables') ?? '');
  if (!group) continue;
  const sync = () => {
    for (const field of group.querySelectorAll('input, select, textarea, button')) {
      if (field !== box) field.disabled = box.checked;
    }
  };
  box.addEventListener('change', sync);
  sync();
}
