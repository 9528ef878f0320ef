import type { Kysely } from 'kysely';

// The language a participant registered in ('fr' or 'en'): their confirmation, waiting-list,
// promotion, reminder, cancellation and link emails are written in it. Registrations from before
// it was kept, and those added by staff, are French.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').dropColumn('locale').execute();
}
