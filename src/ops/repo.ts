import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** Rows per table, for every table the database has (migration tables included). */
export async function countRows(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    counts[table.name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}
