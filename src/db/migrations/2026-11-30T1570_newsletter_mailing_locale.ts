import type { Kysely } from 'kysely';

// The language a mailing is written in ('fr' or 'en'): its email's own words (web version link,
// greeting, why the person receives it, unsubscribe) and its `lang` follow it. Existing mailings
// were all rendered in French.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('newsletter_mailings')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('newsletter_mailings').dropColumn('locale').execute();
}
