// The database's own share of an import: the rows the imports wrote are set aside, removed, and
// written back by the database alone (one `insert … select` per table, in one transaction, with the
// full-text fill and triggers as the import leaves them), so no JavaScript, no parameter binding and
// no round trip is timed. Whatever the application does, its commit cannot be faster than this.
// Then the same again with only the keys (see WriteFloor.keysOnly): what the directory's indexes cost.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { BULK_TABLES, type BulkTable } from '../../src/modules/imports/bulk-repo.js';

export interface WriteFloor {
  /** Organisations, contacts and every linked row written back. */
  rows: number;
  organisations: number;
  /** Inserts, full-text fill and commit (SQLite: and the write-ahead log copied back, as the import's last commit does). */
  seconds: number;
  /** Organisations per second: the figure to set beside the import's rows/s (one file row = one organisation). */
  organisationsPerSecond: number;
  /** Seconds of each statement: where the database spends its time (`fullText`: SQLite's index fill; `commit`: with the log copied back). */
  steps: Record<string, number>;
  /**
   * The same rows written with only the keys that keep the data whole (primary keys, unique
   * constraints): the directory's secondary indexes and the full-text index set aside, inside a
   * transaction rolled back afterwards. What those indexes cost an import.
   */
  keysOnly: { seconds: number; organisationsPerSecond: number; secondaryIndexes: number };
}

type Run = (sql: string) => Promise<void>;
type Count = (sql: string) => Promise<number>;

const TABLES = Object.keys(BULK_TABLES) as BulkTable[];
const floorTable = (table: BulkTable) => `floor_${table}`;
/** The columns an import writes (PostgreSQL's generated search vector is left to the database). */
const columnsOf = (table: BulkTable) => BULK_TABLES[table].map(([column]) => column).join(', ');

async function measure(run: Run, count: Count, names: Names, dialect: 'sqlite' | 'postgres'): Promise<WriteFloor> {
  for (const table of TABLES) await run(`drop table if exists ${floorTable(table)}`);
  for (const table of TABLES) await run(`create table ${floorTable(table)} as select ${columnsOf(table)} from ${table}`);
  try {
    const floor = await writeBack(run, count, dialect);
    return { ...floor, keysOnly: await keysOnly(run, names, dialect, floor.organisations) };
  } finally {
    for (const table of TABLES) await run(`drop table ${floorTable(table)}`);
  }
}

type Names = (sql: string) => Promise<string[]>;

/** The write-back again, without the secondary and full-text indexes (dropped, then restored by the rollback). */
async function keysOnly(run: Run, names: Names, dialect: 'sqlite' | 'postgres', organisations: number): Promise<WriteFloor['keysOnly']> {
  const list = TABLES.map((t) => `'${t}'`).join(', ');
  const secondary = await names(
    dialect === 'sqlite'
      ? `select name from sqlite_master where type = 'index' and sql is not null and sql not like 'CREATE UNIQUE%' and tbl_name in (${list})`
      : `select i.indexname as name from pg_indexes i join pg_index x on x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass where not x.indisunique and i.schemaname = current_schema() and i.tablename in (${list})`,
  );
  await run('begin');
  try {
    for (const table of [...TABLES].reverse()) await run(`delete from ${table}`);
    if (dialect === 'sqlite') await run('delete from organisations_fts; delete from organisations_fts_map');
    for (const name of secondary) await run(`drop index ${name}`);
    // PostgreSQL's search vector is a generated column: computing it is part of the full-text cost.
    if (dialect === 'postgres') await run('alter table organisations drop column search_vector cascade');
    await run(dialect === 'sqlite' ? "insert into import_bulk_writes (batch_id) values ('floor')" : "select set_config('maillage.bulk_write', 'on', true)");
    const started = performance.now();
    for (const table of TABLES) await run(`insert into ${table} (${columnsOf(table)}) select ${columnsOf(table)} from ${floorTable(table)}`);
    const seconds = (performance.now() - started) / 1000;
    return { seconds: Math.round(seconds * 1000) / 1000, organisationsPerSecond: Math.round(organisations / seconds), secondaryIndexes: secondary.length };
  } finally {
    await run('rollback');
  }
}

async function writeBack(run: Run, count: Count, dialect: 'sqlite' | 'postgres'): Promise<Omit<WriteFloor, 'keysOnly'>> {
  const organisations = await count('select count(*) as n from floor_organisations');
  let rows = 0;
  for (const table of TABLES) rows += await count(`select count(*) as n from ${floorTable(table)}`);
  if (dialect === 'sqlite') await run('delete from organisations_fts; delete from organisations_fts_map');
  for (const table of [...TABLES].reverse()) await run(`delete from ${table}`);
  if (dialect === 'sqlite') await run('pragma wal_checkpoint(truncate)');

  const steps: Record<string, number> = {};
  const timed = async (step: string, sql: string) => {
    const at = performance.now();
    await run(sql);
    steps[step] = Math.round(((steps[step] ?? 0) + (performance.now() - at) / 1000) * 1000) / 1000;
  };
  const started = performance.now();
  await run('begin');
  // As the import's chunks do: per-row triggers stand aside, the directory counter moves once.
  await run(dialect === 'sqlite' ? "insert into import_bulk_writes (batch_id) values ('floor')" : "select set_config('maillage.bulk_write', 'on', true)");
  for (const table of TABLES) await timed(table, `insert into ${table} (${columnsOf(table)}) select ${columnsOf(table)} from ${floorTable(table)}`);
  if (dialect === 'sqlite') {
    await timed('fullText', 'insert into organisations_fts (rowid, search_text, organisation_id) select rowid, search_text, id from organisations order by rowid');
    await timed('fullText', 'insert into organisations_fts_map (organisation_id, fts_rowid) select id, rowid from organisations');
    await run('delete from import_bulk_writes');
  }
  await run("update change_counters set version = version + 1 where name = 'directory'");
  await timed('commit', 'commit');
  if (dialect === 'sqlite') await timed('commit', 'pragma wal_checkpoint(passive)');
  const seconds = (performance.now() - started) / 1000;
  return { rows, organisations, seconds, organisationsPerSecond: Math.round(organisations / seconds), steps };
}

/** The write floor of the SQLite base of a bench DATA_DIR (its imports done, nothing else running). */
export async function sqliteWriteFloor(dataDir: string): Promise<WriteFloor> {
  const db = new Database(path.join(dataDir, 'maillage.db'), { fileMustExist: true });
  try {
    // The application's own connection settings (src/kernel/db/create-db.ts) and the import's log size.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 50000');
    return await measure(
      async (sql) => void db.exec(sql),
      async (sql) => Number((db.prepare(sql).get() as { n: number }).n),
      async (sql) => (db.prepare(sql).all() as { name: string }[]).map((r) => r.name),
      'sqlite',
    );
  } finally {
    db.close();
  }
}

/** The write floor of a bench PostgreSQL database (its imports done, nothing else running). */
export async function postgresWriteFloor(url: string): Promise<WriteFloor> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await measure(
      async (sql) => void (await client.query(sql)),
      async (sql) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n),
      async (sql) => (await client.query<{ name: string }>(sql)).rows.map((r) => r.name),
      'postgres',
    );
  } finally {
    await client.end();
  }
}
