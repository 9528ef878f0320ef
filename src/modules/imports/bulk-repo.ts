// Bulk writes of imported records. A query builder compiling multi-row inserts of tens of thousands
// of values per transaction spends more time (and memory) building the query than the database
// spends writing it, so imports write with one prepared statement per table on SQLite, and one
// `insert … select from unnest(arrays)` per table on PostgreSQL. Both run inside the caller's
// Kysely transaction (on SQLite the raw handle is the transaction's own connection, held by it).
import type SQLite from 'better-sqlite3';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type PgType = 'text' | 'integer' | 'double precision' | 'timestamptz';
type Spec = readonly (readonly [column: string, type: PgType])[];

const ORGANISATIONS: Spec = [
  ['id', 'text'], ['slug', 'text'], ['name', 'text'], ['acronym', 'text'], ['kind_code', 'text'], ['description_html', 'text'],
  ['website', 'text'], ['email', 'text'], ['phone', 'text'], ['social_links', 'text'], ['address', 'text'], ['postcode', 'text'],
  ['commune_code', 'text'], ['commune_name', 'text'], ['department_code', 'text'], ['latitude', 'double precision'],
  ['longitude', 'double precision'], ['geo_precision', 'text'], ['siren', 'text'], ['siret', 'text'], ['rna', 'text'],
  ['insee_code', 'text'], ['founded_year', 'integer'], ['staff_count', 'integer'], ['volunteer_count', 'integer'],
  ['visibility', 'text'], ['is_member', 'integer'], ['logo_file_id', 'text'], ['source', 'text'], ['import_batch_id', 'text'],
  ['search_text', 'text'], ['sort_name', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ['reviewed_at', 'timestamptz'], ['source_file', 'text'], ['source_row', 'integer'], ['source_ref', 'text'], ['source_flags', 'text'],
];

/** Every table an import writes, with its columns in the order the rows are given. */
export const BULK_TABLES = {
  organisations: ORGANISATIONS,
  organisation_themes: [['organisation_id', 'text'], ['theme_code', 'text']],
  organisation_countries: [['organisation_id', 'text'], ['country_code', 'text']],
  organisation_zones: [['organisation_id', 'text'], ['zone_code', 'text']],
  organisation_sdgs: [['organisation_id', 'text'], ['sdg_code', 'integer']],
  memberships: [['id', 'text'], ['organisation_id', 'text'], ['year', 'integer'], ['status', 'text'], ['fee_cents', 'integer'], ['created_at', 'timestamptz']],
  contacts: [
    ['id', 'text'], ['civility', 'text'], ['first_name', 'text'], ['last_name', 'text'], ['sort_name', 'text'], ['phone', 'text'], ['notes', 'text'],
    ['public_profile', 'integer'], ['source', 'text'], ['import_batch_id', 'text'], ['erased_at', 'timestamptz'],
    ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['source_file', 'text'], ['source_row', 'integer'], ['source_ref', 'text'],
  ],
  contact_emails: [['contact_id', 'text'], ['email', 'text'], ['email_lower', 'text'], ['is_primary', 'integer']],
  contact_roles: [['contact_id', 'text'], ['organisation_id', 'text'], ['function', 'text'], ['is_main', 'integer']],
  consents: [
    ['id', 'text'], ['contact_id', 'text'], ['purpose', 'text'], ['basis', 'text'], ['event', 'text'], ['source', 'text'],
    ['detail', 'text'], ['ip', 'text'], ['recorded_by', 'text'], ['at', 'timestamptz'],
  ],
} as const satisfies Record<string, Spec>;

export type BulkTable = keyof typeof BULK_TABLES;
/** A row as values in its table's column order. */
export type BulkRow = (string | number | null)[];

/**
 * Bound parameters per statement (SQLite allows 32,766). Enough rows per statement for FTS5 (see
 * below) without compiling huge programs: a 30,000-parameter statement is a multi-megabyte VDBE
 * program, its values a 30,000-element array per run.
 */
const MAX_PARAMETERS = 8192;
const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * A statement inserting `count` rows at once. Many rows per statement matter on SQLite: FTS5
 * flushes its pending terms at each statement's end, so one row per statement writes one tiny
 * index segment per organisation (measured: 2.6× the time of 500 rows per statement). Statements
 * are kept per connection: `count` is always a full group or a power of two (see groupSizes).
 */
function sqliteStatement(db: SQLite.Database, table: BulkTable, count: number): SQLite.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = `${table}:${count}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const columns = BULK_TABLES[table].map(([c]) => c);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array<string>(count).fill(tuple).join(', ')}`);
  cache.set(key, stmt);
  return stmt;
}

/**
 * Rows per statement for `total` rows: full groups of `size`, the rest in decreasing powers of two
 * (231 → 128, 64, 32, 4, 2, 1). Every size is one of a handful, so each statement is prepared
 * once per connection instead of once per chunk (preparing was ~3 % of an import).
 */
export function groupSizes(total: number, size: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= size) {
    sizes.push(size);
    left -= size;
  }
  for (let power = 1 << Math.floor(Math.log2(Math.max(1, size))); left > 0 && power >= 1; power >>= 1) {
    if (left >= power) {
      sizes.push(power);
      left -= power;
    }
  }
  return sizes;
}

/** A fixed statement, prepared once per connection. */
function sqliteFixed(db: SQLite.Database, key: string, text: string): SQLite.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(key);
  if (!stmt) cache.set(key, (stmt = db.prepare(text)));
  return stmt;
}

function sqliteRows(sqlite: SQLite.Database, table: BulkTable, rows: BulkRow[]): void {
  const width = BULK_TABLES[table].length;
  let start = 0;
  for (const count of groupSizes(rows.length, Math.max(1, Math.floor(MAX_PARAMETERS / width)))) {
    const values = new Array<string | number | null>(count * width);
    for (let r = 0, k = 0; r < count; r++) {
      const row = rows[start + r]!;
      for (let c = 0; c < width; c++) values[k++] = row[c] ?? null;
    }
    sqliteStatement(sqlite, table, count).run(values);
    start += count;
  }
}

/** Tables whose rows move the directory's change counter (migration 1170). */
const DIRECTORY_TABLES: readonly BulkTable[] = ['organisations', 'organisation_themes', 'organisation_countries', 'organisation_zones', 'organisation_sdgs'];
const BUMP_DIRECTORY_VERSION = "update change_counters set version = version + 1 where name = 'directory'";

/**
 * Writes a chunk of an import on SQLite, inside the caller's transaction (the raw handle is that
 * transaction's connection). A row in `import_bulk_writes`, seen by this transaction only, sets
 * aside the per-row triggers (migration 1290): the new organisations enter the full-text index
 * (and its map) in one statement each, and the directory's change counter moves once, instead of
 * one trigger program per row. The row is gone before the transaction commits.
 */
export function insertChunkSqlite(sqlite: SQLite.Database, batchId: string, rows: Record<BulkTable, BulkRow[]>): void {
  const before = Number(sqliteFixed(sqlite, 'orgs:max', 'select coalesce(max(rowid), 0) from organisations').pluck().get());
  sqliteFixed(sqlite, 'quiet:on', 'insert into import_bulk_writes (batch_id) values (?)').run(batchId);
  for (const table of Object.keys(BULK_TABLES) as BulkTable[]) if (rows[table].length) sqliteRows(sqlite, table, rows[table]);
  if (rows.organisations.length) {
    const last = sqliteFixed(sqlite, 'fts:max', 'select rowid from organisations_fts order by rowid desc limit 1').pluck().get();
    // New organisations' rowids follow `before`; their full-text rows follow the last one.
    const offset = Number(last ?? 0) - before;
    sqliteFixed(sqlite, 'fts:fill', 'insert into organisations_fts (rowid, search_text, organisation_id) select rowid + ?, search_text, id from organisations where rowid > ? order by rowid').run(offset, before);
    sqliteFixed(sqlite, 'fts:map', 'insert into organisations_fts_map (organisation_id, fts_rowid) select id, rowid + ? from organisations where rowid > ?').run(offset, before);
  }
  if (DIRECTORY_TABLES.some((t) => rows[t].length)) {
    sqliteFixed(sqlite, 'version:bump', BUMP_DIRECTORY_VERSION).run();
  }
  sqliteFixed(sqlite, 'quiet:off', 'delete from import_bulk_writes').run();
}

/**
 * Writes rows of one table. `sqlite` is the raw handle of a SQLite database (null on PostgreSQL);
 * `trx` the transaction the rows belong to.
 */
export async function bulkInsert(trx: Transaction<Database>, sqlite: SQLite.Database | null, table: BulkTable, rows: BulkRow[]): Promise<void> {
  if (!rows.length) return;
  if (sqlite) {
    sqliteRows(sqlite, table, rows);
    return;
  }
  const spec = BULK_TABLES[table];
  const arrays = spec.map((_, i) => rows.map((r) => r[i] ?? null));
  const columns = sql.join(spec.map(([c]) => sql.ref(c)));
  const unnest = sql.join(spec.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`));
  await sql`insert into ${sql.table(table)} (${columns}) select * from unnest(${unnest})`.execute(trx);
}

/**
 * Writes a chunk of an import on PostgreSQL, inside the caller's transaction. With
 * `maillage.bulk_write` set for this transaction only, the directory's counter trigger stands aside
 * (migration 1540): the counter moves once, in finishChunkPostgres, after the chunk's checkpoint.
 */
export async function insertChunkPostgres(trx: Transaction<Database>, rows: Record<BulkTable, BulkRow[]>): Promise<void> {
  await sql`select set_config('maillage.bulk_write', 'on', true)`.execute(trx);
  for (const table of Object.keys(BULK_TABLES) as BulkTable[]) await bulkInsert(trx, null, table, rows[table]);
}

/** The end of a chunk's transaction on PostgreSQL: the directory's counter moves, once. */
export async function finishChunkPostgres(trx: Transaction<Database>, rows: Record<BulkTable, BulkRow[]>): Promise<void> {
  if (DIRECTORY_TABLES.some((t) => rows[t].length)) await sql.raw(BUMP_DIRECTORY_VERSION).execute(trx);
}

/** WAL pages before SQLite copies them back into the database during an import (default 1000). */
const IMPORT_WAL_PAGES = 50_000;

/**
 * Runs an import's writes with a larger write-ahead log on SQLite: checkpointing every 4 MB
 * rewrites the same index pages again and again (measured ~10 % of the commit time). The setting
 * is restored afterwards; the next commit of any writer checkpoints as usual. (A larger page cache,
 * `cache_size = -65536`, was measured too: +50 MB resident memory for no measurable gain.)
 */
export async function withLargeWal<T>(sqlite: SQLite.Database | null | undefined, run: () => Promise<T>): Promise<T> {
  if (!sqlite) return run();
  const previous = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  sqlite.pragma(`wal_autocheckpoint = ${IMPORT_WAL_PAGES}`);
  try {
    return await run();
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${Number.isFinite(previous) ? previous : 1000}`);
  }
}
