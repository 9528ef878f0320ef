// The legal pages and their built-in text live with the editable pages (src/modules/pages), which
// also let staff replace that text.
export { LEGAL_PAGES } from '../pages/index.js';
