import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { countryName } from '../../kernel/geo/countries.js';
import { sanitiseRichText } from '../../kernel/html.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { findWatchItem, watchItemTags } from '../watch/index.js';
import type { WatchOrigin } from './views-admin.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The watch item a call came from, as the back office names it (null when gone). */
export async function watchOrigin(db: Kysely<Database>, itemId: string | null): Promise<WatchOrigin | null> {
  if (!itemId || !UUID.test(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  return item ? { id: item.id, title: item.title, source: item.source_name } : null;
}

/**
 * The form of a new call prefilled from a watch item (promotion from the inbox): its title, link,
 * summary (the excerpt), description (its sanitised text), themes and countries; the funder
 * guessed from the source's name; the item's id recorded. Null when the item does not exist.
 */
export async function prefillFromWatchItem(db: Kysely<Database>, itemId: string, locale: Locale): Promise<{ values: Record<string, string | string[]>; origin: WatchOrigin } | null> {
  if (!UUID.test(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  if (!item) return null;
  const tags = await watchItemTags(db, [item.id]);
  const countries = tags.countries.get(item.id) ?? [];
  const description = item.summary_html ? sanitiseRichText(item.summary_html) : '';
  return {
    values: {
      title: item.title.slice(0, 200),
      funder: item.source_name.slice(0, 200),
      summary: item.excerpt.slice(0, 600),
      description,
      link_url: item.link ?? '',
      themes: tags.themes.get(item.id) ?? [],
      countries: countries.map((c) => `${countryName(c, locale)} (${c})`).join(', '),
      watch_item_id: item.id,
    },
    origin: { id: item.id, title: item.title, source: item.source_name },
  };
}
