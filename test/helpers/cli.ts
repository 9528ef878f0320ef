// Running `maillage` (or any command) in its own process, and the empty data directory and
// database a CLI test gives it — shared by the CLI tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import path from 'node:path';
import { createDb, type DbHandle, type Dialect } from '../../src/kernel/db/create-db.js';
import { pgAdminUrl } from './environment.js';
import { repoRoot } from './paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command in its own process, with only the environment the test gives (nothing from the test process). */
export function runProcess(command: string, args: string[], env: Record<string, string>, cwd = repoRoot): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `maillage <args>` as `npm run cli` runs it. */
export function runMaillage(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runProcess(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], env);
}

export interface CliTarget {
  dataDir: string;
  /** DATA_DIR and, on PostgreSQL, DATABASE_URL. */
  env: Record<string, string>;
  open(): DbHandle;
  /** Drops the database and removes the data directory. */
  close(): Promise<void>;
}

/** A DATA_DIR and, on PostgreSQL, an empty database of its own. */
export async function cliTarget(dialect: Dialect, dataDir: string, prefix = 'maillage_cli'): Promise<CliTarget> {
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return { dataDir, env: { DATA_DIR: dataDir }, open: () => createDb(`sqlite:${path.join(dataDir, 'maillage.db')}`), close: async () => removeDir() };
  }
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    open: () => createDb(url.toString(), { poolSize: 2 }),
    close: async () => {
      const cleaner = new pg.Client({ connectionString: pgAdminUrl });
      await cleaner.connect();
      await cleaner.query(`drop database if exists "${name}" with (force)`);
      await cleaner.end();
      removeDir();
    },
  };
}
