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

/**
 * The form of a new call prefilled from a watch item (promotion from the inbox): its title, link,
 * summary (the excerpt), description (its text, without markup), themes and countries; the funder
 * guessed from the source's name (unless that is a bare host name); the item's id recorded. Null
 * when the item does not exist.
 */
export async function prefillFromWatchItem(db: Kysely<Database>, itemId: string, locale: Locale): Promise<{ values: Record<string, string | string[]>; origin: WatchOrigin } | null> {
  if (!isId(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  if (!item) return null;
  const tags = await watchItemTags(db, [item.id]);
  const countries = tags.countries.get(item.id) ?? [];
  const description = item.summary_html ? plainTextOf(item.summary_html).slice(0, 30_000) : '';
  return {
    values: {
      title: item.title.slice(0, 200),
      funder: funderFromSourceName(item.source_name),
      summary: item.excerpt.slice(0, 600),
      description,
      link_url: item.link ?? '',
      themes: tags.themes.get(item.id) ?? [],
      countries: countriesFieldText(countries, locale),
      watch_item_id: item.id,
    },
    origin: { id: item.id, title: item.title, source: item.source_name },
  };
}
