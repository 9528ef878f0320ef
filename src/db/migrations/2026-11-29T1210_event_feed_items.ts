import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// The items already seen in each member iCal feed: a feed item (by its UID, or UID + recurrence
// instant for one occurrence) goes to moderation once, and again only when its content changes.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);
  await db.schema
    .createTable('event_feed_items')
    .addColumn('feed_id', 'text', (c) => c.notNull().references('event_feeds.id').onDelete('cascade'))
    .addColumn('uid', 'text', (c) => c.notNull())
    // Hash of the fields proposed: a different hash means the item changed at its source.
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'text')
    .addColumn('first_seen_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_feed_items_pk', ['feed_id', 'uid'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_feed_items').execute();
}
