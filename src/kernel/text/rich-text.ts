import { sanitiseRichText } from '../html.js';

// Rich text typed in a text area (page bodies, news, calls, organisations, events): what is stored
// (`richTextFromForm`) and what the edit form shows again (`richTextForForm`).

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

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/** The `rel` the sanitiser gives every link: shown again only when it was typed (it comes back anyway). */
const ADDED_REL = / rel="noopener noreferrer"/g;

/**
 * Stored rich text as the text area shows it again: the paragraphs as they were typed (blank lines,
 * line breaks, inline tags such as a link) when `richTextFromForm` turns that text back into the very
 * same HTML, else the HTML itself, so that nothing is lost.
 */
export function richTextForForm(html: string | null | undefined): string {
  if (!html) return '';
  // Older records may hold sanitised text without any paragraph.
  if (!html.includes('<')) return decodeEntities(html);
  if (!/^<p>/.test(html) || BLOCK_TAG.test(html.replace(/<\/?p>/gi, ''))) return html;
  const typed = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/^<p>/i, '')
    .replace(/<\/p>$/i, '');
  // Entities are read back where the text can hold them so; the plainest text that gives the same HTML wins.
  const candidates = [decodeEntities(typed), typed].flatMap((text) => [text.replace(ADDED_REL, ''), text]);
  return candidates.find((text) => richTextFromForm(text) === html) ?? html;
}
