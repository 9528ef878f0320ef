// Inserts of the merge tests' data (test-world.ts); not used by the app.
import type { Insertable, Kysely } from 'kysely';
import type { Database, DuplicateCandidatesTable } from '../../db/schema.js';

export async function insertCandidate(db: Kysely<Database>, row: Insertable<DuplicateCandidatesTable>): Promise<void> {
  await db.insertInto('duplicate_candidates').values(row).execute();
}

/** Rows of any table, as the tests describe them. */
export async function insertRows(db: Kysely<Database>, table: keyof Database & string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await (db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(rows).execute();
}
