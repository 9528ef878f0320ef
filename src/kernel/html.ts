import sanitizeHtml from 'sanitize-html';

/** Rich text from people or feeds: a small safe subset of HTML, links opened safely. */
export function sanitiseRichText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'h4', 'blockquote'],
    allowedAttributes: { a: ['href', 'title', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  }).trim();
}

/** What sanitize-html escapes in the text it outputs (it decodes every entity of its input first). */
const OUTPUT_ESCAPES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/**
 * Plain text of rich text (for search, excerpts and plain-text formats): tags dropped, entities
 * decoded (« Essai & co », not « Essai &amp; co »), so that whoever shows it escapes it once.
 */
export function htmlToText(html: string): string {
  // A space after each block, so that two paragraphs do not run into one word (« Sénégal).Elle »).
  return sanitizeHtml(html.replace(/<\/(?:p|li|h[1-6]|blockquote|div)\s*>|<br\s*\/?>/gi, '$& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot);/g, (_whole, name: string) => OUTPUT_ESCAPES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` characters of plain text, cut at a word boundary with an ellipsis. */
export function excerptOf(text: string, max = 220): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}
