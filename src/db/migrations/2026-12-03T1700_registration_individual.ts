import type { Kysely } from 'kysely';

// A person may register for an event on their own account, without an organisation (a student, a
// volunteer, a citizen at the yearly multi-actor day): `registrations.individual` is 1 then, and
// the organisation's columns stay empty. Staff may still require an organisation for an event
// (`events.organisation_required`, 0 by default: individuals allowed). Registrations from before
// were all made with an organisation, and keep 0.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('individual', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('events').addColumn('organisation_required', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('organisation_required').execute();
  await db.schema.alterTable('registrations').dropColumn('individual').execute();
}
