import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// A counter the database itself moves on every change to the directory's data, whichever process
// or path makes it: the in-memory directory index and the public page cache compare it per request
// (one primary-key read) instead of trusting every writer to announce its changes.
const TABLES = ['organisations', 'organisation_themes', 'organisation_countries', 'organisation_zones', 'organisation_sdgs'];
const BUMP = `update change_counters set version = version + 1 where name = 'directory'`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('change_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('change_counters').values({ name: 'directory', version: 0 }).execute();
  if (isPostgres(db)) {
    await sql.raw(`create function bump_directory_version() returns trigger language plpgsql as $$ begin ${BUMP}; return null; end $$`).execute(db);
    for (const table of TABLES) {
      await sql
        .raw(`create trigger ${table}_directory_version after insert or update or delete or truncate on ${table} for each statement execute function bump_directory_version()`)
        .execute(db);
    }
    return;
  }
  for (const table of TABLES) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`create trigger ${table}_directory_version_${event} after ${event} on ${table} begin ${BUMP}; end`).execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of TABLES) await sql.raw(`drop trigger ${table}_directory_version on ${table}`).execute(db);
    await sql.raw('drop function bump_directory_version()').execute(db);
  } else {
    for (const table of TABLES) {
      for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger ${table}_directory_version_${event}`).execute(db);
    }
  }
  await db.schema.dropTable('change_counters').execute();
}
