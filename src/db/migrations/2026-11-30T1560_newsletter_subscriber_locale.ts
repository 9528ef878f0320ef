import type { Kysely } from 'kysely';

// The language a subscriber confirmed in ('fr' or 'en'): the preference centre and unsubscribe
// pages speak it. Empty for subscribers from before it was kept: their pages follow the browser.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('newsletter_subscribers').addColumn('locale', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('newsletter_subscribers').dropColumn('locale').execute();
}
