// Registrations: a burst of 1,000 registrations fired at once at a 100-seat event, through HTTP like
// browsers (each visitor first opens the form for its CSRF token, then all post together). Latency
// of the posts (p50/p95/p99/max), errors, and what the database holds after: exactly 100 confirmed,
// the rest waitlisted, sequence numbers 1…1000 in commit order. SQLite: one server process;
// PostgreSQL (when reachable): two server processes sharing the database.
import path from 'node:path';
import { createDb, type DbHandle } from '../../src/kernel/db/create-db.js';
import { insertTestEvent } from '../../src/modules/registrations/test-fixtures-repo.js';
import { type AppProcess, prepareDataDir, startApp } from '../lib/app.js';
import { createScratchDatabase, postgresReachable, type ScratchDatabase } from '../lib/postgres.js';
import { formatNumber, round } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const PEOPLE = Number(process.env['BENCH_REGISTRATIONS'] ?? 1000);
const SEATS = Number(process.env['BENCH_REGISTRATION_SEATS'] ?? 100);
const SECRET = 'bench-shared-session-secret-0123456789abcdef';

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

interface Prepared {
  url: string;
  cookie: string;
  token: string;
}

async function openForm(base: string, slug: string): Promise<Prepared> {
  const res = await fetch(`${base}/agenda/${slug}/inscription`);
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF token on the form (${res.status})`);
  return { url: `${base}/agenda/${slug}/inscription`, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), token };
}

async function post(p: Prepared, i: number): Promise<{ status: number; ms: number }> {
  const body = new URLSearchParams({
    _csrf: p.token,
    first_name: 'Personne',
    last_name: `N°${i}`,
    email: `personne${i}@example.org`,
    organisation_name: 'Association du banc d’essai',
    organisation_kind: 'association',
    organisation_department: '33',
    consent: '1',
  });
  const started = performance.now();
  try {
    // A registration answers 303 to its confirmation page (post/redirect/get): the page itself is not timed.
    const res = await fetch(p.url, { method: 'POST', body, redirect: 'manual', headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    await res.text();
    const registered = res.status === 303 && (res.headers.get('location') ?? '').endsWith('/confirmation');
    return { status: registered ? 303 : res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

interface Figures {
  dialect: string;
  processes: number;
  people: number;
  seats: number;
  burstMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  confirmed: number;
  waitlisted: number;
  sequenceInCommitOrder: boolean;
  capacityKept: boolean;
}

async function burst(dialect: 'sqlite' | 'postgres', log: (m: string) => void): Promise<Figures> {
  let scratch: ScratchDatabase | null = null;
  const apps: AppProcess[] = [];
  let handle: DbHandle | null = null;
  try {
    const env: Record<string, string> = { SESSION_SECRET: SECRET };
    if (dialect === 'postgres') {
      scratch = await createScratchDatabase(`maillage_bench_reg_${process.pid}`);
      env['DATABASE_URL'] = scratch.url;
    }
    const dataDir = await prepareDataDir(env);
    const url = env['DATABASE_URL'] ?? `sqlite:${path.join(dataDir, 'maillage.db')}`;
    handle = createDb(url, { poolSize: 2 });
    const event = await insertTestEvent(handle.db, { capacity: SEATS });
    const count = dialect === 'postgres' ? 2 : 1;
    for (let i = 0; i < count; i++) apps.push(await startApp({ dataDir, env }));
    log(`${dialect}: ${count} process(es), opening ${PEOPLE} forms`);
    const prepared: Prepared[] = [];
    for (let i = 0; i < PEOPLE; i += 50) {
      prepared.push(...(await Promise.all(Array.from({ length: Math.min(50, PEOPLE - i) }, (_, j) => openForm(apps[(i + j) % count]!.url, event.slug)))));
    }
    log(`${dialect}: firing ${PEOPLE} registrations at once`);
    const started = performance.now();
    const results = await Promise.all(prepared.map((p, i) => post(p, i)));
    const burstMs = performance.now() - started;
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const rows = await handle.db.selectFrom('registrations').select(['status', 'sequence']).where('event_id', '=', event.id).orderBy('sequence').execute();
    const confirmed = rows.filter((r) => r.status === 'registered').length;
    const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
    return {
      dialect,
      processes: count,
      people: PEOPLE,
      seats: SEATS,
      burstMs: round(burstMs, 0),
      p50Ms: round(percentile(times, 50), 1),
      p95Ms: round(percentile(times, 95), 1),
      p99Ms: round(percentile(times, 99), 1),
      maxMs: round(times.at(-1) ?? 0, 1),
      errors: results.filter((r) => r.status !== 303).length,
      confirmed,
      waitlisted,
      sequenceInCommitOrder: rows.every((r, i) => Number(r.sequence) === i + 1) && rows.slice(0, confirmed).every((r) => r.status === 'registered'),
      capacityKept: confirmed <= SEATS,
    };
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await handle?.close();
    await scratch?.drop();
  }
}

const scenario: Scenario = {
  name: 'registrations',
  description: `${PEOPLE} concurrent registrations on a ${SEATS}-seat event (SQLite; PostgreSQL with two processes)`,
  async run({ log }) {
    const figures: Figures[] = [await burst('sqlite', log)];
    if (await postgresReachable()) figures.push(await burst('postgres', log));
    else log('PostgreSQL unreachable: measured on SQLite only');
    return {
      dataSize: { registrations: PEOPLE, seats: SEATS },
      settings: { people: PEOPLE, seats: SEATS },
      figures: Object.fromEntries(figures.map((f) => [f.dialect, f])),
      tables: [
        {
          title: `Burst of ${PEOPLE} registrations on ${SEATS} seats`,
          columns: ['dialect', 'processes', 'burst (ms)', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'max (ms)', 'errors', 'confirmed', 'waitlisted', 'commit order'],
          rows: figures.map((f) => [
            f.dialect,
            f.processes,
            formatNumber(f.burstMs),
            formatNumber(f.p50Ms, 1),
            formatNumber(f.p95Ms, 1),
            formatNumber(f.p99Ms, 1),
            formatNumber(f.maxMs, 1),
            f.errors,
            f.confirmed,
            f.waitlisted,
            f.sequenceInCommitOrder ? 'yes' : 'NO',
          ]),
        },
      ],
    };
  },
};

export default scenario;
