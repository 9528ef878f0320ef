import fs from 'node:fs';
import pg from 'pg';

/** Whether CI demands every real component (PostgreSQL, Chromium) be present. */
export const inCi = process.env['CI'] === 'true';

export const pgAdminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let pgAvailable: Promise<boolean> | null = null;

export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    // A loaded machine may answer slowly: try a few times before declaring PostgreSQL absent.
    for (let attempt = 0; attempt < 5; attempt++) {
      const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    return false;
  })();
  return pgAvailable;
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(chromiumPath);
}

/**
 * What a test does when a real component is missing: outside CI it is skipped with a loud
 * reason; in CI (CI=true) the test fails, since CI must run against everything.
 */
export function missingComponent(what: string): { skip: string } | { fail: string } {
  const reason = `${what} est absent : ces tests ne tournent pas (${what} missing)`;
  return inCi ? { fail: reason } : { skip: reason };
}
