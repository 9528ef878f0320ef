import { sanitiseRichText } from '../../kernel/html.js';
import { descriptionForForm } from '../organisations/index.js';

/** A block-level tag: a text holding one is HTML, kept as written (a bare « < » or inline tags are not enough). */
const BLOCK_TAG = /<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|hr|section|article|figure|dl)(?:\s[^<>]*)?\/?>/i;
/** A tag or a comment: markup inside plain paragraphs, left to the sanitiser (which keeps `<strong>`, `<a>`… and drops the rest). */
const TAG = /(<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--[\s\S]*?-->)/i;

const escapeAll = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Entities are left to the sanitiser once there is markup: such a body was read as HTML before, and may come back so from the form.
const escapeBrackets = (text: string) => text.replace(/[<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Plain text as paragraphs: blank lines (spaces allowed) part them, single newlines are line breaks.
 * Tags (`<strong>`, `<a href>`) stay markup; any other « < » is text (« 3 < 5 », « de <12 ans »).
 */
function paragraphsOf(text: string): string {
  const parts = text.split(TAG);
  const escape = parts.length > 1 ? escapeBrackets : escapeAll;
  const body = parts.map((part, i) => (i % 2 ? part : escape(part).replace(/\n(?:[^\S\n]*\n)+/g, '</p><p>').replace(/\n/g, '<br>'))).join('');
  return `<p>${body}</p>`;
}

/**
 * Rich text as staff or members type it in a text area: HTML when it holds block markup (kept to
 * the sanitiser's safe subset: kernel/html.ts), otherwise plain paragraphs. Null when empty.
 */
export function richTextFromForm(typed: string): string | null {
  const value = typed.replace(/\r\n?/g, '\n').trim();
  if (!value) return null;
  return sanitiseRichText(BLOCK_TAG.test(value) ? value : paragraphsOf(value)) || null;
}

/** Stored rich text as the text area shows it again (plain paragraphs when it is only that). */
export function richTextForForm(html: string | null | undefined): string {
  return descriptionForForm(html);
}
