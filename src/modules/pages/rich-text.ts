import { sanitiseRichText } from '../../kernel/html.js';
import { descriptionForForm } from '../organisations/index.js';

/** Plain text as paragraphs: blank lines part them, single newlines are line breaks. */
function paragraphsOf(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<p>${escaped.replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>')}</p>`;
}

/**
 * Rich text as staff or members type it in a text area: HTML when it holds markup (kept to the
 * sanitiser's safe subset: kernel/html.ts), otherwise plain paragraphs. Null when empty.
 * The same reading as organisations' and events' descriptions, so `richTextForForm` gives it back.
 */
export function richTextFromForm(typed: string): string | null {
  const value = typed.replace(/\r\n?/g, '\n').trim();
  if (!value) return null;
  return sanitiseRichText(value.includes('<') ? value : paragraphsOf(value)) || null;
}

/** Stored rich text as the text area shows it again (plain paragraphs when it is only that). */
export function richTextForForm(html: string | null | undefined): string {
  return descriptionForForm(html);
}
