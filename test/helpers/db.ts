import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createDb, type DbHandle, type Dialect } from '../../src/kernel/db/create-db.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { missingComponent, pgAdminUrl, postgresAvailable } from './environment.js';

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A name derived from the migrations this process runs, so a stale template is never used. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const [name, migration] of Object.entries(migrations)) {
    hash.update(name).update(String(migration.up)).update(String(migration.down ?? ''));
  }
  return `maillage_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function ensureTemplate(admin: pg.Client, name: string): Promise<void> {
  await admin.query('select pg_advisory_lock(727274)');
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    await admin.query(`create database "${name}"`);
    const handle = createDb(withDatabase(pgAdminUrl, name), { poolSize: 1 });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727274)');
  }
}

export interface TestDb extends DbHandle {
  url: string;
  /** Where a test's files (uploads, secrets, outbox) go. */
  dataDir: string;
}

/** A fresh, migrated database of the dialect, only for the calling test; dropped afterwards. */
export async function testDb(dialect: Dialect): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-test-'));
  if (dialect === 'sqlite') {
    const url = `sqlite:${path.join(dataDir, 'maillage.db')}`;
    const handle = createDb(url);
    await migrateToLatest(handle.db);
    return {
      ...handle,
      url,
      dataDir,
      close: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  const template = templateName();
  const name = `maillage_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  try {
    await ensureTemplate(admin, template);
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(pgAdminUrl, name);
  const handle = createDb(url);
  return {
    ...handle,
    url,
    dataDir,
    close: async () => {
      await handle.close();
      const cleaner = new pg.Client({ connectionString: pgAdminUrl });
      await cleaner.connect();
      await cleaner.query(`drop database if exists "${name}" with (force)`);
      await cleaner.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the same suite on SQLite and on PostgreSQL. Without PostgreSQL the PostgreSQL suite is
 * skipped loudly, or fails under CI=true.
 */
// Known before any suite is declared: a describe() callback that awaits declares its tests in
// whichever suite the runner is building by then (two forEachDialect calls in a file get mixed up).
const postgresReady = await postgresAvailable();

export function forEachDialect(title: string, body: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      if (dialect === 'postgres' && !postgresReady) {
        const missing = missingComponent('PostgreSQL');
        if ('fail' in missing) {
          test('PostgreSQL est joignable', () => assert.fail(missing.fail));
        } else {
          console.warn(`\n!!! ${missing.skip}\n`);
          test(missing.skip, { skip: missing.skip }, () => undefined);
        }
        return;
      }
      body(dialect);
    });
  }
}

export { after };
