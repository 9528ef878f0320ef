import sanitizeHtml from 'sanitize-html';

// Markers put around the blocks of the HTML before its tags are dropped (private-use characters,
// removed from the input first, so typed text can never fake one).
const BLOCK = '\ue000';
const ITEM = '\ue001';
const ITEM_END = '\ue002';
const BREAK = '\ue003';
const MARKERS = /[\ue000-\ue003]/g;
/** An item with nothing in it; the blocks that open an item (« <li><p> ») start its line. */
const EMPTY_ITEM = new RegExp(`${ITEM}[\\s${BLOCK}${BREAK}]*${ITEM_END}`, 'g');
const ITEM_START = new RegExp(`${ITEM}[\\s${BLOCK}]*`, 'g');
/** The blocks that close an item (« </p></li> ») end its line only. */
const ITEM_CLOSE = new RegExp(`[\\s${BLOCK}]*${ITEM_END}`, 'g');

/** What sanitize-html escapes in the text it outputs (it decodes every entity of its input first). */
const OUTPUT_ESCAPES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/**
 * Plain text of rich text that keeps its shape, for calendars' descriptions (kernel/html.ts's
 * `htmlToText` makes one line, for search and excerpts): paragraphs, headings and quotes apart by a
 * blank line, list items one a line after « - », line breaks kept; tags dropped, entities decoded.
 */
export function htmlToParagraphs(html: string): string {
  const marked = html
    .replace(MARKERS, '')
    .replace(/<(?:p|h[1-6]|blockquote|div|ul|ol)\b[^>]*>|<\/(?:p|h[1-6]|blockquote|div|ul|ol)\s*>/gi, `$&${BLOCK}`)
    .replace(/<li\b[^>]*>/gi, `$&${ITEM}`)
    .replace(/<\/li\s*>/gi, `${ITEM_END}$&`)
    .replace(/<br\s*\/?>/gi, `$&${BREAK}`);
  return sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot);/g, (_whole, name: string) => OUTPUT_ESCAPES[name]!)
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(EMPTY_ITEM, '')
    .replace(ITEM_START, ITEM)
    .replace(ITEM_CLOSE, '')
    .replaceAll(BLOCK, '\n\n')
    .replaceAll(ITEM, '\n- ')
    .replaceAll(BREAK, '\n')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
