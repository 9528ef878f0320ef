import pg from 'pg';

/** The PostgreSQL server benchmarks may use: only 127.0.0.1, like every other target. */
export const PG_ADMIN_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Whether the server answers (a scenario measures SQLite only when it does not). */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new empty database `maillage_bench_<pid>` (an older one of the same name is dropped first). */
export async function createScratchDatabase(name = `maillage_bench_${process.pid}`): Promise<ScratchDatabase> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  let dropped = false;
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Row counts of the main tables and the database size, for the result file. */
export async function postgresSize(url: string): Promise<{ database: 'postgres'; bytes: number; rows: Record<string, number> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const size = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    const rows: Record<string, number> = {};
    for (const table of ['organisations', 'organisation_themes', 'organisation_countries', 'organisation_sdgs', 'contacts', 'contact_emails', 'contact_roles']) {
      const r = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
      rows[table] = Number(r.rows[0]!.n);
    }
    return { database: 'postgres', bytes: Number(size.rows[0]!.bytes), rows };
  } finally {
    await client.end();
  }
}
