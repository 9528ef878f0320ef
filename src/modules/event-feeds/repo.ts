import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, EventFeedsTable } from '../../db/schema.js';

type Db = Kysely<Database>;

export type FeedRow = Selectable<EventFeedsTable>;
export interface FeedWithOrganisation extends FeedRow {
  organisation_name: string;
}

export async function insertFeed(db: Db, row: Insertable<EventFeedsTable>): Promise<void> {
  await db.insertInto('event_feeds').values(row).execute();
}

export async function findFeed(db: Db, id: string): Promise<FeedWithOrganisation | undefined> {
  return db
    .selectFrom('event_feeds as f')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .selectAll('f')
    .select('o.name as organisation_name')
    .where('f.id', '=', id)
    .executeTakeFirst();
}

/** Feeds of the given organisations (all feeds when `organisationIds` is null), by organisation then address. */
export async function listFeeds(db: Db, organisationIds: string[] | null): Promise<FeedWithOrganisation[]> {
  if (organisationIds !== null && organisationIds.length === 0) return [];
  let query = db
    .selectFrom('event_feeds as f')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .selectAll('f')
    .select('o.name as organisation_name');
  if (organisationIds !== null) query = query.where('f.organisation_id', 'in', organisationIds);
  return query.orderBy('o.sort_name').orderBy('f.url').orderBy('f.id').execute();
}

export async function feedUrlsOfOrganisation(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('event_feeds').select('url').where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.url);
}

export async function deleteFeed(db: Db, id: string): Promise<void> {
  await db.deleteFrom('event_feeds').where('id', '=', id).execute();
}

/** Active feeds not read since `before` (or never). */
export async function dueFeedIds(db: Db, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('event_feeds')
    .select('id')
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('last_fetched_at', 'is', null), eb('last_fetched_at', '<', before)]))
    .orderBy('last_fetched_at')
    .execute();
  return rows.map((r) => r.id);
}

export async function recordFeedSuccess(
  db: Db,
  id: string,
  values: { at: string; etag: string | null; lastModified: string | null; itemCount: number | null },
): Promise<void> {
  await db
    .updateTable('event_feeds')
    .set({
      last_fetched_at: values.at,
      last_success_at: values.at,
      last_error: null,
      etag: values.etag,
      last_modified: values.lastModified,
      ...(values.itemCount === null ? {} : { item_count: values.itemCount }),
    })
    .where('id', '=', id)
    .execute();
}

export async function recordFeedFailure(db: Db, id: string, at: string, error: string): Promise<void> {
  await db.updateTable('event_feeds').set({ last_fetched_at: at, last_error: error }).where('id', '=', id).execute();
}

/** uid → content hash of the items already seen in a feed. */
export async function seenItems(db: Db, feedId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('event_feed_items').select(['uid', 'content_hash']).where('feed_id', '=', feedId).execute();
  return new Map(rows.map((r) => [r.uid, r.content_hash]));
}

export async function upsertSeenItem(db: Db, row: { feed_id: string; uid: string; content_hash: string; proposal_id: string | null; at: string }): Promise<void> {
  await db
    .insertInto('event_feed_items')
    .values({ feed_id: row.feed_id, uid: row.uid, content_hash: row.content_hash, proposal_id: row.proposal_id, first_seen_at: row.at, last_seen_at: row.at })
    .onConflict((oc) => oc.columns(['feed_id', 'uid']).doUpdateSet({ content_hash: row.content_hash, proposal_id: row.proposal_id, last_seen_at: row.at }))
    .execute();
}

/** Marks unchanged items as seen now (several at once). */
export async function touchSeenItems(db: Db, feedId: string, uids: string[], at: string): Promise<void> {
  for (let i = 0; i < uids.length; i += 500) {
    await db
      .updateTable('event_feed_items')
      .set({ last_seen_at: at })
      .where('feed_id', '=', feedId)
      .where('uid', 'in', uids.slice(i, i + 500))
      .execute();
  }
}

/** Organisations whose name is exactly `name` (case-insensitively), at most two. */
export async function organisationsNamed(db: Db, name: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .limit(2)
    .execute();
}
