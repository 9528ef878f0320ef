// The capacity guarantee across processes: two `maillage serve` processes share one database and
// receive 500 registrations at once for a 50-seat event, through HTTP like browsers would.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../../../test/helpers/db.js';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { insertTestEvent } from './test-fixtures-repo.js';

const PEOPLE = 500;
const SEATS = 50;

interface Server {
  child: ChildProcess;
  url: string;
}

/** `maillage serve --no-jobs` on a free port; resolves when it listens. */
function startServer(db: TestDb, name: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--no-jobs'], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        DATA_DIR: `${db.dataDir}/${name}`,
        PORT: '0',
        HOST: '127.0.0.1',
        SESSION_SECRET: 'shared-secret-of-both-processes-0123456789',
        LOG_LEVEL: 'silent',
        GEOCODER_URL: '',
        JOBS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Le serveur ${name} n’a pas démarré : ${out}${err}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /https?:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Le serveur ${name} s’est arrêté (${code}) : ${err}`));
    });
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

/** One visitor: opens the form (CSRF cookie and token), then posts it. */
async function register(base: string, slug: string, i: number): Promise<number> {
  const page = await fetch(`${base}/agenda/${slug}/inscription`);
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, `pas de jeton CSRF (${page.status})`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const form = new URLSearchParams({
    _csrf: token,
    first_name: 'Personne',
    last_name: `N°${i}`,
    email: `Personne${i}@Example.org`,
    organisation_name: 'Association test',
    organisation_kind: 'association',
    organisation_department: '33',
    consent: '1',
  });
  // Not followed: a sent form is answered with a 303 to its confirmation page (POST-redirect-GET).
  const res = await fetch(`${base}/agenda/${slug}/inscription`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' } });
  await res.text();
  assert.equal(res.status === 303 ? res.headers.get('location') : null, res.status === 303 ? `/agenda/${slug}/inscription/confirmation` : null);
  return res.status;
}

forEachDialect('Capacité des inscriptions (deux processus serveurs, une base)', (dialect) => {
  let db: TestDb;
  let servers: Server[] = [];
  before(async () => {
    db = await testDb(dialect);
    servers = await Promise.all([startServer(db, 'a'), startServer(db, 'b')]);
  });
  after(async () => {
    await Promise.all(servers.map(stopServer));
    await db.close();
  });

  test(`${PEOPLE} inscriptions simultanées sur ${SEATS} places via deux processus : ${SEATS} confirmées, les autres en attente dans l’ordre de validation`, { timeout: 300_000 }, async () => {
    const event = await insertTestEvent(db.db, { capacity: SEATS });
    const statuses = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => register(servers[i % 2]!.url, event.slug, i)));
    assert.deepEqual(
      statuses.filter((s) => s !== 303),
      [],
    );
    const rows = await db.db.selectFrom('registrations').select(['status', 'sequence', 'email_lower']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.equal(rows.length, PEOPLE);
    assert.equal(new Set(rows.map((r) => r.email_lower)).size, PEOPLE);
    // Sequence numbers are the commit order: 1…500 without a gap or a duplicate.
    assert.deepEqual(
      rows.map((r) => Number(r.sequence)),
      Array.from({ length: PEOPLE }, (_, i) => i + 1),
    );
    assert.equal(rows.filter((r) => r.status === 'registered').length, SEATS);
    assert.ok(rows.slice(0, SEATS).every((r) => r.status === 'registered'), 'the first 50 in commit order have the seats');
    assert.ok(rows.slice(SEATS).every((r) => r.status === 'waitlisted'), 'everybody after them waits');
  });

  test('la même adresse envoyée en même temps aux deux processus ne donne qu’une inscription', { timeout: 120_000 }, async () => {
    const event = await insertTestEvent(db.db, { capacity: 5 });
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => register(servers[i % 2]!.url, event.slug, 7)));
    // Each is answered with the confirmation page (the one registration, or « already registered »).
    assert.deepEqual(
      statuses.filter((s) => s !== 303),
      [],
    );
    const rows = await db.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).execute();
    assert.equal(rows.length, 1);
  });
});
