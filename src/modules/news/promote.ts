import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { excerptOf, sanitiseRichText } from '../../kernel/html.js';
import { isId } from '../../kernel/ids.js';
import { richTextForForm } from '../../kernel/text/rich-text.js';
import { findWatchItem, registerWatchPromotion, watchItemTags } from '../watch/index.js';
import { articlesOfWatchItem } from './repo.js';
import type { NewsValues } from './validate.js';

let registered = false;

/** The watch inbox offers "Promouvoir en actualité": staff continue on the new article form, prefilled from the item. */
export function registerNewsPromotion(): void {
  if (registered) return;
  registerWatchPromotion({
    target: 'news',
    label: 'news.promote.label',
    redirect: (item) => `/admin/actualites/nouveau?veille=${encodeURIComponent(item.id)}`,
    existing: async (db, itemId) =>
      (await articlesOfWatchItem(db, itemId)).map((a) => ({ id: a.id, title: a.title, href: `/admin/actualites/${a.id}`, state: a.status === 'draft' ? 'draft' : a.status === 'archived' ? 'archived' : 'published' })),
  });
  registered = true;
}

export interface WatchPrefill {
  values: NewsValues;
  source: { title: string; link: string | null; source: string };
}

/** The new article form's values from a watch item: its title, text, tags and link (the source). Null for an unknown item. */
export async function prefillFromWatch(db: Kysely<Database>, itemId: string): Promise<WatchPrefill | null> {
  if (!isId(itemId)) return null;
  const item = await findWatchItem(db, itemId);
  if (!item) return null;
  const tags = await watchItemTags(db, [item.id]);
  return {
    values: {
      title: item.title.slice(0, 200),
      summary: item.excerpt ? excerptOf(item.excerpt, 480) : '',
      body: item.summary_html ? richTextForForm(sanitiseRichText(item.summary_html)) : '',
      themes: tags.themes.get(item.id) ?? [],
      countries: tags.countries.get(item.id) ?? [],
      source_url: item.link ?? '',
      watch_item_id: item.id,
    },
    source: { title: item.title, link: item.link, source: item.source_name },
  };
}
