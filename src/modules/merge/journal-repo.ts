// Row operations on any registered table, by column values: what the merge journal writes and
// replays. The tables are named at run time (the registry), so the builder is used untyped here.
import { type ExpressionBuilder, type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

export type Row = Record<string, unknown>;
type Db = Kysely<Database> | Transaction<Database>;
/** Any table, any column: the registry names them at run time. */
type Loose = Kysely<Record<string, Row>>;

function loose(db: Db): Loose {
  return db as unknown as Loose;
}

/** `column = value` (or `column is null`) for every entry of `where`. */
function matching(where: Row) {
  const entries = Object.entries(where);
  if (entries.length === 0) throw new Error('A journal row needs a key');
  return (eb: ExpressionBuilder<Record<string, Row>, string>) =>
    eb.and(entries.map(([column, value]) => (value === null || value === undefined ? eb(column, 'is', null) : eb(column, '=', value))));
}

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Rows whose columns equal `where`, and whose `scope` column takes one of its values. */
export async function selectRows(db: Db, table: string, where: Row, scope?: { column: string; values: readonly string[] }): Promise<Row[]> {
  let query = loose(db).selectFrom(table).selectAll().where(matching(where));
  if (scope) query = query.where(scope.column, 'in', [...scope.values]);
  return (await query.execute()) as Row[];
}

/** Rows whose text column contains `needle`. */
export async function selectRowsMentioning(db: Db, table: string, column: string, needle: string): Promise<Row[]> {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const query = loose(db).selectFrom(table).selectAll().where(column, 'like', pattern);
  return (await query.execute()) as Row[];
}

export async function rowExists(db: Db, table: string, where: Row): Promise<boolean> {
  const row = await loose(db).selectFrom(table).select((eb) => eb.lit(1).as('x')).where(matching(where)).executeTakeFirst();
  return row !== undefined;
}

/** Sets `set` on the rows matching `where`; the number of rows changed. */
export async function updateRows(db: Db, table: string, where: Row, set: Row): Promise<number> {
  const result = await loose(db).updateTable(table).set(set).where(matching(where)).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteRows(db: Db, table: string, where: Row): Promise<number> {
  const result = await loose(db).deleteFrom(table).where(matching(where)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Inserts a row; with `ignoreConflict`, a row already there (same key) is left as it is. */
export async function insertRow(db: Db, table: string, row: Row, options: { ignoreConflict?: boolean } = {}): Promise<number> {
  let query = loose(db).insertInto(table).values(row);
  if (options.ignoreConflict) query = query.onConflict((oc) => oc.doNothing());
  const result = await query.executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Locks rows until the transaction ends (PostgreSQL; SQLite's one writer needs nothing). */
export async function lockRows(db: Db, table: string, column: string, values: string[]): Promise<Row[]> {
  let query = loose(db).selectFrom(table).selectAll().where(column, 'in', values);
  if (isPostgres(db)) query = query.forUpdate();
  return (await query.execute()) as Row[];
}

/** Every table of the database with its column names (both dialects). */
export async function tableColumns(db: Db): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView).map((t) => [t.name, t.columns.map((c) => c.name)]));
}
