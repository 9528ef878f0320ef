import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import type { Config } from '../config.js';
import { createDb, dialectOf, sqlitePath } from '../kernel/db/create-db.js';
import { countRows } from './repo.js';
import { formatMessage } from '../kernel/i18n/format-message.js';

export interface BackupManifest {
  format: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** Rows per table at the time of the backup (SQLite only). */
  rows: Record<string, number>;
  files: number;
}

const DB_ENTRY = 'maillage.db';

/** Copies a folder's files (keeping their modes: secrets stay 0600); `mode` is for created folders. */
async function copyTree(from: string, to: string, mode = 0o755): Promise<number> {
  let count = 0;
  const entries = await fs.readdir(from, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await fs.mkdir(target, { recursive: true, mode });
      count += await copyTree(source, target, mode);
    } else if (entry.isFile()) {
      await fs.mkdir(to, { recursive: true, mode });
      await fs.copyFile(source, target);
      count++;
    }
  }
  return count;
}

/**
 * One .tar.gz with a consistent SQLite online backup (safe while the app serves), the uploaded
 * files and the secrets of DATA_DIR. On PostgreSQL the database is saved with pg_dump beside it.
 */
export async function createBackup(config: Config, archive: string): Promise<BackupManifest> {
  const dialect = dialectOf(config.databaseUrl);
  if (dialect === 'sqlite') {
    // Opening a missing file would create an empty database and back up nothing.
    const file = path.resolve(sqlitePath(config.databaseUrl));
    await fs.access(file).catch(() => {
      throw new BackupError(`Aucune base à sauvegarder : ${file} n'existe pas (vérifiez DATA_DIR et DATABASE_URL).`);
    });
  }
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'maillage-backup-'));
  try {
    let rows: Record<string, number> = {};
    if (dialect === 'sqlite') {
      const handle = createDb(config.databaseUrl);
      try {
        await handle.sqlite!.backup(path.join(staging, DB_ENTRY));
      } finally {
        await handle.close();
      }
      const copy = createDb(`sqlite:${path.join(staging, DB_ENTRY)}`);
      try {
        rows = await countRows(copy.db);
      } finally {
        await copy.close();
      }
      await fs.rm(path.join(staging, `${DB_ENTRY}-wal`), { force: true });
      await fs.rm(path.join(staging, `${DB_ENTRY}-shm`), { force: true });
    }
    const files = await copyTree(path.join(config.dataDir, 'uploads'), path.join(staging, 'uploads'));
    await copyTree(path.join(config.dataDir, 'secrets'), path.join(staging, 'secrets'), 0o700);
    const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), dialect, rows, files };
    await fs.writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await fs.mkdir(path.dirname(path.resolve(archive)), { recursive: true });
    const entries = await fs.readdir(staging);
    await tar.c({ gzip: true, file: archive, cwd: staging, portable: true }, entries);
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/** The SQLite file to restore must pass SQLite's integrity check and hold the rows the manifest counted. */
async function checkRestored(file: string, manifest: BackupManifest): Promise<void> {
  const handle = createDb(`sqlite:${file}`);
  try {
    const integrity = handle.sqlite!.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new RestoreError(`La base restaurée est endommagée (integrity_check : ${String(integrity)}).`);
    const rows = await countRows(handle.db);
    for (const [table, count] of Object.entries(manifest.rows)) {
      if (rows[table] !== count) {
        throw new RestoreError(formatMessage('fr', 'La base restaurée ne correspond pas à la sauvegarde (table {table} : {found, plural, one {# ligne} other {# lignes}} au lieu de {count}).', { table, found: rows[table] ?? 0, count }));
      }
    }
  } finally {
    await handle.close();
  }
}

/** Restores an archive into DATA_DIR, which must be empty unless `force` is given. */
export async function restoreBackup(config: Config, archive: string, options: { force?: boolean } = {}): Promise<BackupManifest> {
  await fs.access(archive).catch(() => {
    throw new RestoreError(`Archive introuvable : ${archive}`);
  });
  const existing = await fs.readdir(config.dataDir).catch(() => [] as string[]);
  if (existing.length > 0 && !options.force) {
    throw new RestoreError(`Le dossier ${config.dataDir} n'est pas vide : utilisez --force pour le remplacer.`);
  }
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'maillage-restore-'));
  try {
    let manifest: BackupManifest;
    try {
      await tar.x({ file: archive, cwd: staging, strict: true });
      manifest = JSON.parse(await fs.readFile(path.join(staging, 'manifest.json'), 'utf8')) as BackupManifest;
    } catch {
      throw new RestoreError(`${archive} n'est pas une sauvegarde Maillage lisible.`);
    }
    if (manifest.format !== 1) throw new RestoreError('Format de sauvegarde inconnu.');
    await fs.mkdir(config.dataDir, { recursive: true });
    if (manifest.dialect === 'sqlite') {
      if (dialectOf(config.databaseUrl) !== 'sqlite') {
        throw new RestoreError('Cette sauvegarde contient une base SQLite mais DATABASE_URL désigne PostgreSQL.');
      }
      const target = path.resolve(sqlitePath(config.databaseUrl));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await checkRestored(path.join(staging, DB_ENTRY), manifest);
      for (const suffix of ['-wal', '-shm']) await fs.rm(path.join(staging, `${DB_ENTRY}${suffix}`), { force: true });
      for (const suffix of ['', '-wal', '-shm']) await fs.rm(`${target}${suffix}`, { force: true });
      await fs.copyFile(path.join(staging, DB_ENTRY), target);
    }
    for (const dir of ['uploads', 'secrets'] as const) {
      await fs.rm(path.join(config.dataDir, dir), { recursive: true, force: true });
      await copyTree(path.join(staging, dir), path.join(config.dataDir, dir), dir === 'secrets' ? 0o700 : 0o755);
    }
    return manifest;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
