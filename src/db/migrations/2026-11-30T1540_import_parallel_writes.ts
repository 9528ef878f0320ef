import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// PostgreSQL: a transaction of an import that has set `maillage.bulk_write` (transaction-local, so
// no other transaction sees it) does not bump the directory's change counter per statement; it
// bumps it once, last, after the chunks before it have committed. Otherwise every statement of a
// chunk takes the counter's row lock until its commit, and two chunks of one import could not be
// written side by side (see src/modules/imports/commit.ts). SQLite has its own switch (migration 1290).
const BUMP = `update change_counters set version = version + 1 where name = 'directory'`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql
    .raw(
      `create or replace function bump_directory_version() returns trigger language plpgsql as $$ begin
        if coalesce(current_setting('maillage.bulk_write', true), '') <> 'on' then ${BUMP}; end if;
        return null;
      end $$`,
    )
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql.raw(`create or replace function bump_directory_version() returns trigger language plpgsql as $$ begin ${BUMP}; return null; end $$`).execute(db);
}
