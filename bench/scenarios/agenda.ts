// Agenda: the public agenda (list, a filtered list, the month view, a filtered iCalendar feed)
// against the bare hello-world, on 5,000 events (60 % to come), on SQLite and PostgreSQL. Visitors
// without cookies are answered by the page cache (keyed on the agenda's version); the uncached work
// is measured apart: sequential requests whose URLs all differ, so every one is rendered.
import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { createDb } from '../../src/kernel/db/create-db.js';
import { departmentCentre } from '../../src/kernel/geo/department-centres.js';
import { findCommune } from '../../src/kernel/geo/communes.js';
import { addEvent } from '../../src/modules/agenda/test-fixtures.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
import { seededRandom } from '../../src/setup/demo-organisations.js';
import { type AppProcess, prepareDataDir, startApp } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { type HelloWorld, startHelloWorld } from '../lib/hello-world.js';
import { type LoadFigure, type LoadSettings, measure, ratio } from '../lib/load.js';
import { createScratchDatabase, postgresReachable, postgresSize, type ScratchDatabase } from '../lib/postgres.js';
import { formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 5_000);
const ORGANISERS = 40;
const UNCACHED_REQUESTS = 200;
const TARGETS = [
  { name: 'agenda (list)', path: '/agenda' },
  { name: 'agenda filtered (theme + département)', path: '/agenda?theme=water_sanitation&departement=33' },
  { name: 'agenda month view', path: '/agenda?vue=mois' },
  { name: 'agenda.ics filtered (département)', path: '/agenda.ics?departement=33' },
] as const;
const GOALS = { agendaRatio: 0.05, agendaP99Ms: 100 };

const COMMUNES = ['33063', '24322', '64445', '87085', '86194', '17300', '40192', '47001', '19272', '16015', '79191', '23096'].filter((c) => findCommune(c));
const TYPES = ['network_meeting', 'training_session', 'country_group_meeting', 'conference', 'multi_actor_day', 'webinar', 'member_event'];
const THEMES = ['water_sanitation', 'health', 'education_training', 'global_citizenship', 'agriculture_food', 'local_governance'];
const COUNTRIES = ['SN', 'BF', 'MG', 'MA', 'ML', 'HT', 'TG', 'BJ'];
const WORDS = ['Rencontre', 'Atelier', 'Formation', 'Webinaire', 'Journée', 'Conférence', 'Groupe pays', 'Projection'];
const SUBJECTS = ['eau', 'santé', 'jumelage', 'climat', 'éducation', 'financements', 'migrations', 'agriculture', 'numérique', 'jeunesse'];

// ---------- Data ----------

/** Organisations and events, in one transaction, from a seeded random source (the same each run). */
async function seed(db: Kysely<Database>): Promise<void> {
  const random = seededRandom(5005);
  const one = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const codes = taxonomyCodes(await taxonomies(db));
  const clock = { now: () => new Date() };
  const organisers: string[] = [];
  for (let i = 0; i < ORGANISERS; i++) {
    const result = validateOrganisation({ name: `Organisateur du réseau ${i + 1}`, kind_code: 'association', commune: one(COMMUNES) }, codes, { currentYear: 2026 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    organisers.push((await createOrganisation({ db, clock }, { id: null, email: null }, result.draft)).id);
  }
  const now = Date.now();
  const day = 86_400_000;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < EVENTS; i++) {
      // 40 % over the last year, 60 % over the next two.
      const offsetDays = random() < 0.4 ? -Math.floor(random() * 365) - 1 : Math.floor(random() * 730);
      const start = new Date(now + offsetDays * day);
      start.setUTCHours(7 + Math.floor(random() * 10), 0, 0, 0);
      const online = random() < 0.3;
      const commune = online && random() < 0.5 ? null : one(COMMUNES);
      const centre = commune ? departmentCentre(findCommune(commune)!.department) : undefined;
      const status = random() < 0.04 ? 'cancelled' : random() < 0.02 ? 'postponed' : 'published';
      await addEvent(trx, {
        title: `${one(WORDS)} ${one(SUBJECTS)} ${i + 1}`,
        summary: `Un temps d’échange sur ${one(SUBJECTS)} et ${one(SUBJECTS)}.`,
        type_code: one(TYPES),
        status,
        starts_at: start.toISOString(),
        ends_at: new Date(start.getTime() + (1 + Math.floor(random() * 4)) * 3_600_000).toISOString(),
        venue: commune ? 'Salle municipale' : null,
        commune_code: commune,
        latitude: centre ? centre.lat + (random() - 0.5) * 0.2 : null,
        longitude: centre ? centre.lng + (random() - 0.5) * 0.2 : null,
        online_url: online ? 'https://visio.example.org/salle' : null,
        organisers: [one(organisers)],
        themes: [one(THEMES)],
        countries: random() < 0.5 ? [one(COUNTRIES)] : [],
      });
    }
  });
}

async function seedDatabase(databaseUrl: string): Promise<number> {
  const handle = createDb(databaseUrl);
  const started = performance.now();
  try {
    await seed(handle.db);
  } finally {
    await handle.close();
  }
  return (performance.now() - started) / 1000;
}

// ---------- Measures ----------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sequential requests whose URLs all differ (an ignored parameter): every page is rendered, none cached. */
async function uncached(url: string): Promise<{ p50Ms: number; p95Ms: number; maxMs: number; cacheMisses: number }> {
  const times: number[] = [];
  let misses = 0;
  for (let i = 0; i < UNCACHED_REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}bench=${i}`);
    await res.text();
    times.push(performance.now() - started);
    if (res.headers.get('x-page-cache') === 'miss') misses++;
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50), 2), p95Ms: round(percentile(times, 95), 2), maxMs: round(times.at(-1)!, 2), cacheMisses: misses };
}

type Measured = LoadFigure & { ratioToHelloWorld: number | null; bytes: number; gzipBytes: number };

interface DialectFigures {
  dialect: 'sqlite' | 'postgres';
  seedSeconds: number;
  dataSize: unknown;
  targets: Measured[];
  uncachedList: Awaited<ReturnType<typeof uncached>>;
  uncachedFiltered: Awaited<ReturnType<typeof uncached>>;
}

async function measureDialect(
  dialect: DialectFigures['dialect'],
  dataDir: string,
  env: Record<string, string>,
  hello: LoadFigure,
  load: LoadSettings,
  log: (m: string) => void,
): Promise<Omit<DialectFigures, 'seedSeconds' | 'dataSize'>> {
  let app: AppProcess | null = null;
  try {
    app = await startApp({ dataDir, env });
    log(`${dialect}: uncached renders (${UNCACHED_REQUESTS} sequential requests, twice)`);
    const uncachedList = await uncached(`${app.url}/agenda`);
    const uncachedFiltered = await uncached(`${app.url}${TARGETS[1].path}`);
    const targets: Measured[] = [];
    for (const target of TARGETS) {
      const res = await fetch(`${app.url}${target.path}`);
      const body = await res.text();
      if (!res.ok) throw new Error(`${target.path}: ${res.status}`);
      log(`${dialect}: GET ${target.path}`);
      const figure = await measure(`${dialect} GET ${target.path}`, `${app.url}${target.path}`, load);
      targets.push({
        ...figure,
        requestsPerSecond: round(figure.requestsPerSecond, 1),
        ratioToHelloWorld: ratio(figure.requestsPerSecond, hello.requestsPerSecond),
        bytes: Buffer.byteLength(body),
        gzipBytes: gzipSync(body).length,
      });
    }
    return { dialect, targets, uncachedList, uncachedFiltered };
  } finally {
    await app?.stop();
  }
}

// ---------- Report ----------

const pct = (r: number | null) => (r === null ? null : `${formatNumber(r * 100, 1)} %`);

function tables(load: LoadSettings, hello: LoadFigure, results: DialectFigures[]): Table[] {
  const rows: (string | number | null)[][] = [['hello-world GET /', formatNumber(hello.requestsPerSecond), formatNumber(hello.latencyP50Ms, 1), formatNumber(hello.latencyP99Ms, 1), `${hello.errors} / ${hello.non2xx}`, '100 %', null]];
  for (const r of results) {
    r.targets.forEach((f, i) => {
      rows.push([
        `${r.dialect} ${TARGETS[i]!.name}`,
        formatNumber(f.requestsPerSecond),
        formatNumber(f.latencyP50Ms, 1),
        formatNumber(f.latencyP99Ms, 1),
        `${f.errors} / ${f.non2xx}`,
        pct(f.ratioToHelloWorld),
        `${formatNumber(f.bytes / 1024, 1)} KiB (gzip ${formatNumber(f.gzipBytes / 1024, 1)} KiB)`,
      ]);
    });
  }
  return [
    {
      title: `Throughput on ${formatNumber(EVENTS)} events (${load.connections} connections, ${load.durationSeconds} s after ${load.warmupSeconds} s warm-up; goal /agenda ≥ ${GOALS.agendaRatio * 100} % of hello-world, p99 < ${GOALS.agendaP99Ms} ms)`,
      columns: ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'vs hello-world', 'page'],
      rows,
    },
    {
      title: `Uncached renders (${UNCACHED_REQUESTS} sequential requests, every URL different)`,
      columns: ['dialect', 'page', 'p50 ms', 'p95 ms', 'max ms', 'cache misses'],
      rows: results.flatMap((r) => [
        [r.dialect, '/agenda', r.uncachedList.p50Ms, r.uncachedList.p95Ms, r.uncachedList.maxMs, r.uncachedList.cacheMisses],
        [r.dialect, TARGETS[1].path, r.uncachedFiltered.p50Ms, r.uncachedFiltered.p95Ms, r.uncachedFiltered.maxMs, r.uncachedFiltered.cacheMisses],
      ]),
    },
    {
      title: 'Data',
      columns: ['dialect', 'seed (s)', 'events'],
      rows: results.map((r) => [r.dialect, formatNumber(r.seedSeconds, 1), formatNumber(EVENTS)]),
    },
  ];
}

const agenda: Scenario = {
  name: 'agenda',
  description: `The public agenda (list, filtered list, month view, filtered .ics) vs hello-world, and its uncached renders, on ${EVENTS} events (SQLite and PostgreSQL).`,
  async run({ load, log }) {
    const results: DialectFigures[] = [];
    let hello: HelloWorld | null = null;
    let scratch: ScratchDatabase | null = null;
    try {
      hello = await startHelloWorld();
      log(`hello-world: ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s`);
      const helloWorld = await measure('hello-world GET /', `${hello.url}/`, load);
      await hello.stop();
      hello = null;

      log(`SQLite: migrate, seed ${EVENTS} events`);
      const dataDir = await prepareDataDir();
      const seedSeconds = await seedDatabase(`sqlite:${dataDir}/maillage.db`);
      results.push({ seedSeconds, dataSize: sqliteSize(dataDir), ...(await measureDialect('sqlite', dataDir, {}, helloWorld, load, log)) });

      if (await postgresReachable()) {
        scratch = await createScratchDatabase();
        const env = { DATABASE_URL: scratch.url };
        log(`PostgreSQL: database ${scratch.name}, migrate, seed ${EVENTS} events`);
        const pgDataDir = await prepareDataDir(env);
        const pgSeedSeconds = await seedDatabase(scratch.url);
        results.push({ seedSeconds: pgSeedSeconds, dataSize: await postgresSize(scratch.url), ...(await measureDialect('postgres', pgDataDir, env, helloWorld, load, log)) });
      } else {
        log('PostgreSQL is not reachable on 127.0.0.1:5432: measured on SQLite only');
      }

      return {
        dataSize: Object.fromEntries(results.map((r) => [r.dialect, r.dataSize])),
        settings: { events: EVENTS, organisers: ORGANISERS, targets: TARGETS, uncachedRequests: UNCACHED_REQUESTS, goals: GOALS, nodeEnv: 'production' },
        figures: { helloWorld: { ...helloWorld, requestsPerSecond: round(helloWorld.requestsPerSecond, 1) }, dialects: results },
        tables: tables(load, helloWorld, results),
      };
    } finally {
      await hello?.stop();
      await scratch?.drop();
    }
  },
};

export default agenda;
