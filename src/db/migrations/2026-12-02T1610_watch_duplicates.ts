import type { Kysely } from 'kysely';

// The same feed followed twice (under another host name, or at an address that redirects to one
// already followed) is refused, and an item already in the watch from another source is not stored
// twice. For that:
// - each source keeps what its last successful read said of the feed: the address it ended at after
//   redirects (feed_url), the feed's own address (self_url: Atom's or RSS's atom:link rel="self",
//   JSON Feed's feed_url) and its Atom id (feed_key); looked up among the other sources;
// - items are looked up by GUID and by link key across sources (the indexes led by source_id served
//   one source only);
// - the calls and articles made from a watch item are found from the item's page.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('watch_sources').addColumn('feed_url', 'text').execute();
  await db.schema.alterTable('watch_sources').addColumn('self_url', 'text').execute();
  await db.schema.alterTable('watch_sources').addColumn('feed_key', 'text').execute();
  await db.schema.createIndex('watch_sources_feed_url_idx').on('watch_sources').column('feed_url').execute();
  await db.schema.createIndex('watch_sources_self_url_idx').on('watch_sources').column('self_url').execute();
  await db.schema.createIndex('watch_sources_feed_key_idx').on('watch_sources').column('feed_key').execute();
  await db.schema.createIndex('watch_items_any_guid_idx').on('watch_items').column('guid').execute();
  await db.schema.createIndex('watch_items_any_link_idx').on('watch_items').column('link_key').execute();
  await db.schema.createIndex('calls_watch_item_idx').on('calls').column('watch_item_id').execute();
  await db.schema.createIndex('news_articles_watch_item_idx').on('news_articles').column('watch_item_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['news_articles_watch_item_idx', 'calls_watch_item_idx', 'watch_items_any_link_idx', 'watch_items_any_guid_idx', 'watch_sources_feed_key_idx', 'watch_sources_self_url_idx', 'watch_sources_feed_url_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const column of ['feed_key', 'self_url', 'feed_url']) await db.schema.alterTable('watch_sources').dropColumn(column).execute();
}
