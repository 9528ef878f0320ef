import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/** The one feed the browser tests' watch items come from (never read: its next reading is far away). */
export const WATCH_SOURCE_ID = '01900000-0000-7000-8000-0000000000b1';

/** Writes a watch source and its items (`[id, title, published_at]`) as a reading would have left them. */
export async function seedWatchItems(db: Kysely<Database>, items: readonly (readonly [string, string, string])[], status: 'new' | 'kept'): Promise<void> {
  const at = new Date().toISOString();
  await db
    .insertInto('watch_sources')
    .values({ id: WATCH_SOURCE_ID, url: 'https://ministere.example/feed.atom', name: 'Ministère', category: 'institutional', site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })
    .execute();
  await db
    .insertInto('watch_items')
    .values(
      items.map(([id, title, date]) => ({
        id,
        source_id: WATCH_SOURCE_ID,
        guid: id,
        link_key: null,
        title_key: `${title}|`,
        link: `https://ministere.example/${id}`,
        title,
        summary_html: `<p>${title}</p>`,
        excerpt: `Résumé : ${title}`,
        author: null,
        published_at: date,
        date_missing: 0,
        content_hash: 'h',
        status,
        category: null,
        note: null,
        decided_by: null,
        decided_at: null,
        search_text: title.toLowerCase(),
        first_seen_at: at,
        updated_at: at,
      })),
    )
    .execute();
}
