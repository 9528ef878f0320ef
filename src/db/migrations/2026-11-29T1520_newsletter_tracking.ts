import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// Open and click tracking of a mailing, off by default (privacy) and chosen per mailing before
// its send starts. When on, each recipient row gets a random token of its own (the open pixel's
// and the tracked links' address), the mailing keeps the list of its links as sent (a click is
// redirected to a link looked up here by position, never to an address taken from the request),
// and what is recorded is the first open, the number of opens and the clicks per link: no IP
// address, no user agent. Recipient rows and clicks go with the subscriber (RGPD erasure).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  // 1: the mailing's messages carry the open pixel and tracked links.
  await db.schema.alterTable('newsletter_mailings').addColumn('tracking', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // Null when the mailing is not tracked.
  await db.schema.alterTable('newsletter_recipients').addColumn('track_token', 'text').execute();
  // First time the pixel was loaded, and how many times it was.
  await db.schema.alterTable('newsletter_recipients').addColumn('opened_at', ts).execute();
  await db.schema.alterTable('newsletter_recipients').addColumn('open_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('newsletter_recipients_track_token_idx').on('newsletter_recipients').column('track_token').unique().execute();

  // The links of a tracked mailing's email (http and https only), frozen when the send starts.
  await db.schema
    .createTable('newsletter_mailing_links')
    .addColumn('mailing_id', 'text', (c) => c.notNull().references('newsletter_mailings.id').onDelete('cascade'))
    // 0, 1, 2…: the index in /lettre/c/:token/:index.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_mailing_links_pk', ['mailing_id', 'position'])
    .execute();

  // Clicks of one recipient on one link.
  await db.schema
    .createTable('newsletter_clicks')
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('newsletter_recipients.id').onDelete('cascade'))
    .addColumn('mailing_id', 'text', (c) => c.notNull().references('newsletter_mailings.id').onDelete('cascade'))
    .addColumn('link_position', 'integer', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_clicked_at', ts, (c) => c.notNull())
    .addColumn('last_clicked_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_clicks_pk', ['recipient_id', 'link_position'])
    .execute();
  await db.schema.createIndex('newsletter_clicks_mailing_idx').on('newsletter_clicks').columns(['mailing_id', 'link_position']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('newsletter_clicks').execute();
  await db.schema.dropTable('newsletter_mailing_links').execute();
  await db.schema.dropIndex('newsletter_recipients_track_token_idx').execute();
  for (const column of ['open_count', 'opened_at', 'track_token']) await db.schema.alterTable('newsletter_recipients').dropColumn(column).execute();
  await db.schema.alterTable('newsletter_mailings').dropColumn('tracking').execute();
}
