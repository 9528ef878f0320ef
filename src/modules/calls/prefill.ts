import net from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { countriesFieldText } from '../../kernel/geo/countries.js';
import { htmlToText, sanitiseRichText } from '../../kernel/html.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { findWatchItem, watchItemTags } from '../watch/index.js';
import type { WatchOrigin } from './views-admin.js';

/** The watch item a call came from, as the back office names it (null when gone). */
export async function watchOrigin(db: Kysely<Database>, itemId: string | null): Promise<WatchOrigin | null> {
  if (!itemId || !isId(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  return item ? { id: item.id, title: item.title, source: item.source_name } : null;
}

/**
 * A feed item's HTML as the description box shows it: plain text, one paragraph per block and a
 * line per `<br>` (the box reads plain text as paragraphs, as the call's edit form gives it back).
 */
export function plainTextOf(html: string): string {
  return sanitiseRichText(html)
    .split(/<\/(?:p|li|h[1-6]|blockquote|div|pre|ul|ol)\s*>/i)
    .map((block) =>
      block
        .split(/<br\s*\/?>/i)
        .map((line) => htmlToText(line))
        .filter(Boolean)
        .join('\n'),
    )
    .filter(Boolean)
    .join('\n\n');
}

/**
 * A watch source's name as a funder, or '' when it is only an address's host (« 127.0.0.1 »,
 * « www.afd.fr »): staff then type the funder rather than keep a host name.
 */
export function funderFromSourceName(name: string): string {
  const trimmed = name.trim();
  const host = trimmed.replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^([^:]*):\d+$/, '$1');
  if (net.isIP(host) || /^(?:[a-z0-9-]+\.)+[a-z0-9-]+$/i.test(host) || /^localhost$/i.test(host)) return '';
  return trimmed.slice(0, 200);
}

/** The longest summary the call's form takes (see validate.ts). */
const SUMMARY_MAX = 600;

/**
 * Where a watch item's text goes in a new call, once: the public page shows the summary above the
 * details and the description below them, so the same text in both reads twice. A short text in one
 * paragraph becomes the summary (the lists and the page's lead show it); a longer one, or one in
 * several paragraphs, becomes the description, and the summary is left for staff to write.
 */
export function textFields(text: string): { summary: string; description: string } {
  const trimmed = text.trim();
  if (!trimmed) return { summary: '', description: '' };
  if (!/\n/.test(trimmed) && trimmed.length <= SUMMARY_MAX) return { summary: trimmed, description: '' };
  return { summary: '', description: trimmed.slice(0, 30_000) };
}

/**
 * The form of a new call prefilled from a watch item (promotion from the inbox): its title, link,
 * text (as the summary when short, else as the description, without markup: see `textFields`),
 * themes and countries; the funder guessed from the source's name (unless that is a bare host
 * name); the item's id recorded. Null when the item does not exist.
 */
export async function prefillFromWatchItem(db: Kysely<Database>, itemId: string, locale: Locale): Promise<{ values: Record<string, string | string[]>; origin: WatchOrigin } | null> {
  if (!isId(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  if (!item) return null;
  const tags = await watchItemTags(db, [item.id]);
  const countries = tags.countries.get(item.id) ?? [];
  const { summary, description } = textFields(item.summary_html ? plainTextOf(item.summary_html) : item.excerpt);
  return {
    values: {
      title: item.title.slice(0, 200),
      funder: funderFromSourceName(item.source_name),
      summary,
      description,
      link_url: item.link ?? '',
      themes: tags.themes.get(item.id) ?? [],
      countries: countriesFieldText(countries, locale),
      watch_item_id: item.id,
    },
    origin: { id: item.id, title: item.title, source: item.source_name },
  };
}
