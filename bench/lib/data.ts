import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteSize = {
  database: 'sqlite';
  fileBytes: number;
  totalRows: number;
  /** Row count per table (the migrations' bookkeeping tables left out). */
  rows: Record<string, number>;
};

/** Row counts and file size of the SQLite database in a bench DATA_DIR (read only). */
export function sqliteSize(dataDir: string): SqliteSize {
  const file = path.join(dataDir, 'maillage.db');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name",
      )
      .all() as { name: string }[];
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const { count } = db.prepare(`SELECT count(*) AS count FROM "${name.replaceAll('"', '""')}"`).get() as { count: number };
      rows[name] = count;
    }
    const fileBytes = ['', '-wal'].reduce((sum, suffix) => {
      try {
        return sum + fs.statSync(file + suffix).size;
      } catch {
        return sum;
      }
    }, 0);
    return { database: 'sqlite', fileBytes, totalRows: Object.values(rows).reduce((a, b) => a + b, 0), rows };
  } finally {
    db.close();
  }
}
