// The sign-in sheet's "Imprimer" button (the page prints without it too: Ctrl+P).
document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
