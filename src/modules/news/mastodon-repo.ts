import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The key of the Mastodon account in the settings table (not part of the kernel's settings: its token is secret). */
const KEY = 'news.mastodon';

export async function readMastodonSetting(db: Kysely<Database>): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst())?.value;
}

export async function writeMastodonSetting(db: Kysely<Database>, value: string | null, at: string): Promise<void> {
  if (value === null) {
    await db.deleteFrom('settings').where('key', '=', KEY).execute();
    return;
  }
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

/** Articles whose Mastodon post is asked for, with its outcome (the job's). */
export async function recordMastodonOutcome(db: Kysely<Database>, id: string, outcome: { url: string; at: string } | { error: string }): Promise<void> {
  const patch = 'url' in outcome ? { mastodon_status_url: outcome.url, mastodon_posted_at: outcome.at, mastodon_error: null } : { mastodon_error: outcome.error };
  await db.updateTable('news_articles').set(patch).where('id', '=', id).execute();
}
