// A real database failure for tests: a trigger that makes some writes to a table fail.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Dialect } from '../../src/kernel/db/create-db.js';

/** The database's own words when the trigger refuses a write: they must stay in the log. */
export const REFUSAL = 'refused by the test trigger';

/**
 * Makes the database refuse, with an error, each `on` (insert or update) of a row of `table` for
 * which `condition` (SQL over NEW, the same in SQLite and PostgreSQL) holds. Returns what removes
 * the trigger, which also runs when the test ends.
 */
export async function refuseWrites(
  ctx: TestContext,
  db: Kysely<Database>,
  dialect: Dialect,
  table: keyof Database & string,
  condition: string,
  on: 'INSERT' | 'UPDATE' = 'INSERT',
): Promise<() => Promise<void>> {
  const name = `test_refuse_${table}_${on.toLowerCase()}`;
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER ${name} BEFORE ${on} ON ${table} WHEN ${condition} BEGIN SELECT RAISE(ABORT, '${REFUSAL}'); END`).execute(db);
  } else {
    await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${condition} THEN RAISE EXCEPTION '${REFUSAL}'; END IF; RETURN NEW; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER ${name} BEFORE ${on} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db);
  }
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    if (dialect === 'sqlite') {
      await sql.raw(`DROP TRIGGER ${name}`).execute(db);
      return;
    }
    await sql.raw(`DROP TRIGGER ${name} ON ${table}`).execute(db);
    await sql.raw(`DROP FUNCTION ${name}()`).execute(db);
  };
  ctx.after(remove);
  return remove;
}

/** What people must never see on a page: the database's message or a stack trace. */
export function assertNoInternals(body: string): void {
  assert.ok(!body.includes(REFUSAL), 'the database’s message stays in the log');
  assert.doesNotMatch(body, /SqliteError|error:|\bat \S+ \(/i);
}
