import { type Kysely, sql } from 'kysely';

// How an event's position was found, as for organisations: 'manual' (typed by a person), 'address',
// 'commune', 'department' (geocoded, the last one approximate), 'not_found' (looked up, nothing
// known); null: not looked up yet. Until now every position was typed in the event form (or given
// by a test fixture), so existing positions are 'manual': the geocoder never overwrites them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('geo_precision', 'text').execute();
  await sql`update events set geo_precision = 'manual' where latitude is not null and longitude is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('geo_precision').execute();
}
