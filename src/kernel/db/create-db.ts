import { hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Expression, Kysely, PostgresDialect, type RawBuilder, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The file of a SQLite database (null on PostgreSQL): backups read it. */
  sqliteFile: string | null;
  /** The raw connection of a SQLite database, for its online backup API. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;

/** Both dialects hand instants to the application as ISO-8601 UTC strings and counts as numbers. */
function pgTypes(): pg.CustomTypesConfig {
  const toIso = (v: string) => new Date(v).toISOString();
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) return toIso;
      if (oid === PG_INT8) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export function dialectOf(databaseUrl: string): Dialect {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.slice('sqlite:'.length);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite connection as Kysely sees it, with compiled statements kept for reuse: Kysely prepares
 * every query afresh, which costs more than running it for the small reads of a busy public page.
 * A statement still iterating (a streamed query) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** The hex SHA-256 of a text's UTF-8 bytes, in SQL: PostgreSQL's `sha256`, SQLite's `sha256_hex` (registered by `createDb`). */
export function sha256Hex(dialect: Dialect, text: Expression<string>): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`encode(sha256(convert_to(${text}, 'UTF8')), 'hex')` : sql<string>`sha256_hex(${text})`;
}

/**
 * After an erasure: on SQLite, copies the write-ahead log into the database and empties it, so that
 * the erased values are gone from both files (the database's freed space is zeroed by
 * `secure_delete`). A reader still open keeps the log; the next erasure or checkpoint empties it.
 * PostgreSQL drops dead rows from its files when (auto)vacuum runs.
 */
export function forgetErasedBytes(handle: Pick<DbHandle, 'sqlite'>): void {
  handle.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
}

export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): DbHandle {
  if (dialectOf(databaseUrl) === 'sqlite') {
    const file = sqlitePath(databaseUrl);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // Deleted rows are overwritten with zeros: an erased person's data must not stay readable in the
    // file's free space (RGPD erasure; see `forgetErasedBytes` for the write-ahead log).
    sqlite.pragma('secure_delete = ON');
    // sha256_hex(text): the hex SHA-256 of the text's UTF-8 bytes, as PostgreSQL's `encode(sha256(convert_to(text, 'UTF8')), 'hex')`.
    sqlite.function('sha256_hex', { deterministic: true }, (text: unknown) => (text === null ? null : hash('sha256', String(text), 'hex')));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      sqliteFile: file === ':memory:' ? null : path.resolve(file),
      sqlite,
      close: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10, types: pgTypes() });
  // An idle connection closed by the server (restart, admin command, dropped database) is discarded
  // by the pool and replaced on the next query; without a listener its 'error' would kill the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', sqliteFile: null, sqlite: null, close: () => db.destroy() };
}
