// Directory: the public directory page (text query + two facets) and an organisation page against
// the bare hello-world, on 50,000 organisations, on SQLite and PostgreSQL; the search's own p95
// in-process (searchDirectory + directoryFacets over 200 varied queries) and its ratio to the raw
// full-text query alone; payload sizes. BENCH_DIRECTORY_POSTGRES_URL reuses a seeded PostgreSQL database.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '../../src/db/migrations/index.js';
import { createDb, type Dialect } from '../../src/kernel/db/create-db.js';
import { seededRandom } from '../../src/setup/demo-organisations.js';
import { type AppProcess, prepareDataDir, runCli, startApp } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { type HelloWorld, startHelloWorld } from '../lib/hello-world.js';
import { type LoadFigure, type LoadSettings, measure, ratio } from '../lib/load.js';
import { createScratchDatabase, postgresReachable, postgresSize, type ScratchDatabase } from '../lib/postgres.js';
import { makeTempDir, repoRoot, sleep, spawnTracked, stopProcess } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const ORGANISATIONS = Number(process.env['BENCH_ORGANISATIONS'] ?? 50_000);
/** A PostgreSQL database already seeded with `maillage seed --bench` to measure instead of seeding a scratch one (minutes saved per run). */
const SEEDED_POSTGRES_URL = process.env['BENCH_DIRECTORY_POSTGRES_URL'];
const SEARCH_QUERIES = 200;
/** Wall-clock budget of the in-process search timings per dialect (a pathological plan cannot stall the run). */
const SEARCH_BUDGET_MS = Number(process.env['BENCH_SEARCH_BUDGET_S'] ?? 120) * 1000;
const DIRECTORY_PATH = '/annuaire?q=eau&famille=association&departement=33';
const GOALS = { directoryRatio: 0.05, directoryP99Ms: 100, organisationRatio: 0.15, searchP95Ms: 20 };

// ---------- Data ----------

/** The seeded SQLite file is kept between runs, keyed by the migrations and the seeder's sources. */
function cacheFile(): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(migrations)) hash.update(name);
  for (const file of ['src/setup/bench-seed.ts', 'src/setup/demo-organisations.ts', 'src/setup/bench-seed-repo.ts']) {
    hash.update(fs.readFileSync(path.join(repoRoot, file)));
  }
  hash.update(String(ORGANISATIONS));
  const dir = path.join(os.tmpdir(), 'maillage-bench-cache');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `directory-${hash.digest('hex').slice(0, 16)}.db`);
}

async function sqliteDataDir(log: (m: string) => void): Promise<{ dataDir: string; seedSeconds: number | null; cached: boolean }> {
  const dataDir = await prepareDataDir();
  const db = path.join(dataDir, 'maillage.db');
  const cache = cacheFile();
  const removeWal = () => ['-wal', '-shm'].forEach((s) => fs.rmSync(db + s, { force: true }));
  if (fs.existsSync(cache)) {
    log(`SQLite: reusing the seeded database ${cache}`);
    removeWal();
    fs.copyFileSync(cache, db);
    return { dataDir, seedSeconds: null, cached: true };
  }
  log(`SQLite: maillage seed --bench ${ORGANISATIONS} (cached afterwards in ${cache})`);
  const started = performance.now();
  await runCli(['seed', '--bench', String(ORGANISATIONS)], { dataDir });
  const seedSeconds = (performance.now() - started) / 1000;
  const tmp = `${cache}.${process.pid}.tmp`;
  fs.copyFileSync(db, tmp);
  fs.renameSync(tmp, cache);
  return { dataDir, seedSeconds, cached: false };
}

// ---------- In-process search ----------

const WORDS = [
  'eau', 'sante', 'jumelage', 'education', 'senegal', 'burkina', 'madagascar', 'femmes', 'mjc', 'lycee', 'ville', 'bordeaux',
  'limoges', 'climat', 'agriculture', 'solidarite', 'commerce equitable', 'association eau senegal', 'numerique', 'energie solaire',
  'jeunes', 'pau', 'maroc', 'haiti', 'comite de jumelage', 'ecoles du monde', 'assainissement', 'gouvernance locale', 'mali', 'togo',
  'coop', 'fondation', 'centre social', 'citoyennete', 'perigord', 'pays basque', 'associations', 'sant', 'ea', 'bur',
];
const KINDS = ['association', 'local_authority', 'education_research', 'popular_education', 'company'];
const DEPARTMENTS = ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'];
const THEMES = ['water_sanitation', 'health', 'education_training', 'global_citizenship', 'agriculture_food', 'local_governance'];
const COUNTRIES = ['SN', 'BF', 'MG', 'MA', 'ML', 'HT'];

/** 200 varied directory queries as they arrive in the query string (deterministic). */
function queries(): Record<string, string | string[]>[] {
  const random = seededRandom(2026);
  const one = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const out: Record<string, string | string[]>[] = [];
  for (let i = 0; i < SEARCH_QUERIES; i++) {
    const q: Record<string, string | string[]> = {};
    if (i % 10 !== 9) q['q'] = one(WORDS);
    if (random() < 0.5) q['famille'] = one(KINDS);
    if (random() < 0.5) q['departement'] = one(DEPARTMENTS);
    if (random() < 0.25) q['theme'] = one(THEMES);
    if (random() < 0.25) q['pays'] = one(COUNTRIES);
    if (random() < 0.1) q['zone'] = 'west_africa';
    if (random() < 0.1) q['adherent'] = 'oui';
    if (random() < 0.15) q['tri'] = one(['nom', 'recent']);
    if (random() < 0.1) q['page'] = String(1 + Math.floor(random() * 5));
    out.push(q);
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface SearchFigures {
  queries: number;
  /** Queries measured before the time budget ran out (the rest were not run). */
  queriesMeasured: number;
  budgetExceeded: boolean;
  searchP50Ms: number | null;
  searchP95Ms: number | null;
  searchP99Ms: number | null;
  searchMaxMs: number | null;
  rawFtsP50Ms: number | null;
  rawFtsP95Ms: number | null;
  ratioToRawFts: number | null;
  slowest: { query: string; ms: number; total: number }[];
}

/** In-process search timings, in a child process stopped after `SEARCH_BUDGET_MS`. */
async function searchTimings(databaseUrl: string, dialect: Dialect, log: (m: string) => void): Promise<SearchFigures> {
  const list = queries();
  const file = path.join(makeTempDir('maillage-bench-queries-'), 'queries.json');
  fs.writeFileSync(file, JSON.stringify(list));
  const child = spawnTracked(process.execPath, ['--import', 'tsx', 'bench/lib/search-timings.ts', databaseUrl, dialect, file], { env: { ...process.env, NODE_ENV: 'production' } });
  const deadline = performance.now() + SEARCH_BUDGET_MS;
  let finished = false;
  void child.exited.then(() => (finished = true));
  while (!finished && performance.now() < deadline) await sleep(200);
  const budgetExceeded = !finished;
  if (budgetExceeded) {
    log(`${dialect}: search budget of ${SEARCH_BUDGET_MS / 1000} s spent: stopping the search timings`);
    await stopProcess(child, 1000);
  }
  const lines = child
    .output()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { phase: string; ms?: number; query?: string; total?: number }];
      } catch {
        return []; // not one of the child's result lines
      }
    });
  const times = lines.filter((l) => l.phase === 'search').map((l) => l.ms!);
  const raw = lines.filter((l) => l.phase === 'fts').map((l) => l.ms!);
  const p95 = times.length ? percentile(times, 95) : null;
  const rawP95 = raw.length ? percentile(raw, 95) : null;
  const r = (v: number | null) => (v === null ? null : round(v, 2));
  return {
    queries: list.length,
    queriesMeasured: times.length,
    budgetExceeded,
    searchP50Ms: times.length ? r(percentile(times, 50)) : null,
    searchP95Ms: r(p95),
    searchP99Ms: times.length ? r(percentile(times, 99)) : null,
    searchMaxMs: times.length ? r(Math.max(...times)) : null,
    rawFtsP50Ms: raw.length ? r(percentile(raw, 50)) : null,
    rawFtsP95Ms: r(rawP95),
    ratioToRawFts: p95 !== null && rawP95 ? round(p95 / rawP95, 2) : null,
    slowest: lines
      .filter((l) => l.phase === 'search')
      .map((l) => ({ query: l.query!, ms: round(l.ms!, 2), total: l.total! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8),
  };
}

// ---------- HTTP ----------

async function payload(url: string): Promise<{ status: number; bytes: number; gzipBytes: number | null }> {
  const plain = await fetch(url, { redirect: 'manual', headers: { 'accept-encoding': 'identity' } });
  const body = Buffer.from(await plain.arrayBuffer());
  const gz = await fetch(url, { redirect: 'manual', headers: { 'accept-encoding': 'gzip' } });
  const encoded = gz.headers.get('content-encoding');
  const length = gz.headers.get('content-length');
  await gz.arrayBuffer();
  return { status: plain.status, bytes: body.length, gzipBytes: encoded === 'gzip' && length ? Number(length) : null };
}

async function organisationSlug(databaseUrl: string): Promise<string | null> {
  const handle = createDb(databaseUrl);
  try {
    const row = await handle.db
      .selectFrom('organisations')
      .select('slug')
      .where('visibility', '=', 'public')
      .where('description_html', 'is not', null)
      .orderBy('slug')
      .offset(Math.floor(ORGANISATIONS / 3))
      .limit(1)
      .executeTakeFirst();
    return row?.slug ?? null;
  } finally {
    await handle.close();
  }
}

interface DialectFigures {
  dialect: Dialect;
  seedSeconds: number | null;
  cachedData: boolean;
  dataSize: unknown;
  directory: (LoadFigure & { ratioToHelloWorld: number | null }) | { notMeasured: string };
  organisation: (LoadFigure & { ratioToHelloWorld: number | null }) | { notMeasured: string };
  payloads: { directoryBytes: number | null; directoryGzipBytes: number | null; organisationBytes: number | null; organisationGzipBytes: number | null; organisationPath: string | null };
  search: SearchFigures;
}

async function measureDialect(
  dialect: Dialect,
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string>,
  hello: LoadFigure,
  load: LoadSettings,
  log: (m: string) => void,
): Promise<Omit<DialectFigures, 'seedSeconds' | 'cachedData' | 'dataSize'>> {
  log(`${dialect}: search p95 in-process (${SEARCH_QUERIES} queries)`);
  const search = await searchTimings(databaseUrl, dialect, log);
  log(`${dialect}: search p95 ${search.searchP95Ms} ms over ${search.queriesMeasured} queries, raw FTS p95 ${search.rawFtsP95Ms} ms`);
  const slug = await organisationSlug(databaseUrl);
  let app: AppProcess | null = null;
  try {
    app = await startApp({ dataDir, env });
    const dir = await payload(`${app.url}${DIRECTORY_PATH}`);
    const orgPath = slug ? `/acteurs/${encodeURIComponent(slug)}` : null;
    const org = orgPath ? await payload(`${app.url}${orgPath}`) : null;
    const withRatio = (f: LoadFigure) => ({ ...f, requestsPerSecond: round(f.requestsPerSecond, 1), ratioToHelloWorld: ratio(f.requestsPerSecond, hello.requestsPerSecond) });
    // The organisation page first: a slow directory leaves requests in flight that would skew it.
    let organisation: DialectFigures['organisation'] = { notMeasured: org ? `GET ${orgPath} answered ${org.status}` : 'no public organisation' };
    if (org?.status === 200) {
      log(`${dialect}: GET ${orgPath}`);
      organisation = withRatio(await measure(`${dialect} GET /acteurs/:slug`, `${app.url}${orgPath}`, load));
    }
    let directory: DialectFigures['directory'] = { notMeasured: `GET ${DIRECTORY_PATH} answered ${dir.status}` };
    if (dir.status === 200) {
      log(`${dialect}: GET ${DIRECTORY_PATH}`);
      directory = withRatio(await measure(`${dialect} GET ${DIRECTORY_PATH}`, `${app.url}${DIRECTORY_PATH}`, load));
    }
    return {
      dialect,
      directory,
      organisation,
      payloads: {
        directoryBytes: dir.status === 200 ? dir.bytes : null,
        directoryGzipBytes: dir.status === 200 ? dir.gzipBytes : null,
        organisationBytes: org?.status === 200 ? org.bytes : null,
        organisationGzipBytes: org?.status === 200 ? org.gzipBytes : null,
        organisationPath: orgPath,
      },
      search,
    };
  } finally {
    await app?.stop();
  }
}

// ---------- Report ----------

function pct(r: number | null | undefined): string | null {
  return r === null || r === undefined ? null : `${formatNumber(r * 100, 1)} %`;
}

function loadRow(label: string, f: DialectFigures['directory'], goal: string): (string | number | null)[] {
  if ('notMeasured' in f) return [label, 'not measured', null, null, null, f.notMeasured, goal];
  return [label, formatNumber(f.requestsPerSecond), formatNumber(f.latencyP50Ms, 1), formatNumber(f.latencyP99Ms, 1), `${f.errors} / ${f.non2xx}`, pct(f.ratioToHelloWorld), goal];
}

function tables(load: LoadSettings, hello: LoadFigure, results: DialectFigures[]): Table[] {
  const rows: (string | number | null)[][] = [['hello-world GET /', formatNumber(hello.requestsPerSecond), formatNumber(hello.latencyP50Ms, 1), formatNumber(hello.latencyP99Ms, 1), `${hello.errors} / ${hello.non2xx}`, '100 %', '']];
  for (const r of results) {
    rows.push(loadRow(`${r.dialect} directory (q + 2 facets)`, r.directory, `≥ ${GOALS.directoryRatio * 100} %, p99 < ${GOALS.directoryP99Ms} ms`));
    rows.push(loadRow(`${r.dialect} organisation page`, r.organisation, `≥ ${GOALS.organisationRatio * 100} %`));
  }
  return [
    {
      title: `Throughput on ${formatNumber(ORGANISATIONS)} organisations (${load.connections} connections, ${load.durationSeconds} s after ${load.warmupSeconds} s warm-up)`,
      columns: ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'vs hello-world', 'goal'],
      rows,
    },
    {
      title: `Search in-process: searchDirectory + directoryFacets, ${SEARCH_QUERIES} varied queries (goal p95 ≤ ${GOALS.searchP95Ms} ms)`,
      columns: ['dialect', 'measured', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'raw FTS p50 ms', 'raw FTS p95 ms', 'p95 ÷ raw FTS p95'],
      rows: results.map((r) => [r.dialect, `${r.search.queriesMeasured} / ${r.search.queries}${r.search.budgetExceeded ? ' (budget spent)' : ''}`, r.search.searchP50Ms, r.search.searchP95Ms, r.search.searchP99Ms, r.search.searchMaxMs, r.search.rawFtsP50Ms, r.search.rawFtsP95Ms, r.search.ratioToRawFts]),
    },
    {
      title: 'Slowest search queries (in-process, ms)',
      columns: ['dialect', 'query', 'ms', 'results'],
      rows: results.flatMap((r) => r.search.slowest.slice(0, 4).map((s) => [r.dialect, s.query, s.ms, s.total])),
    },
    {
      title: 'Payloads and data',
      columns: ['dialect', 'directory page', 'organisation page', 'seed --bench (s)', 'database'],
      rows: results.map((r) => [
        r.dialect,
        r.payloads.directoryBytes === null ? 'not measured' : `${formatBytes(r.payloads.directoryBytes)}${r.payloads.directoryGzipBytes ? ` (gzip ${formatBytes(r.payloads.directoryGzipBytes)})` : ''}`,
        r.payloads.organisationBytes === null ? 'not measured' : `${formatBytes(r.payloads.organisationBytes)}${r.payloads.organisationGzipBytes ? ` (gzip ${formatBytes(r.payloads.organisationGzipBytes)})` : ''}`,
        r.seedSeconds === null ? (r.cachedData ? 'cached' : null) : formatNumber(r.seedSeconds, 1),
        JSON.stringify(r.dataSize).length > 0 ? sizeLabel(r.dataSize) : null,
      ]),
    },
  ];
}

function sizeLabel(size: unknown): string {
  const s = size as { fileBytes?: number; bytes?: number; rows?: Record<string, number> };
  const bytes = s.fileBytes ?? s.bytes;
  return `${formatBytes(bytes)}, ${formatNumber(s.rows?.['organisations'])} organisations, ${formatNumber(s.rows?.['contacts'])} contacts`;
}

const directory: Scenario = {
  name: 'directory',
  description: `Directory page and organisation page vs hello-world, search p95 and raw FTS, on ${ORGANISATIONS} organisations (SQLite and PostgreSQL).`,
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

      const sqlite = await sqliteDataDir(log);
      const sqliteUrl = `sqlite:${path.join(sqlite.dataDir, 'maillage.db')}`;
      const sqliteData = sqliteSize(sqlite.dataDir);
      results.push({ seedSeconds: sqlite.seedSeconds, cachedData: sqlite.cached, dataSize: sqliteData, ...(await measureDialect('sqlite', sqliteUrl, sqlite.dataDir, {}, helloWorld, load, log)) });

      if (SEEDED_POSTGRES_URL) {
        // A database seeded by an earlier run (`maillage seed --bench`), kept: migrated, not seeded nor dropped.
        const env = { DATABASE_URL: SEEDED_POSTGRES_URL };
        log(`PostgreSQL: reusing the seeded database ${new URL(SEEDED_POSTGRES_URL).pathname.slice(1)}`);
        const dataDir = await prepareDataDir(env);
        const dataSize = await postgresSize(SEEDED_POSTGRES_URL);
        results.push({ seedSeconds: null, cachedData: true, dataSize, ...(await measureDialect('postgres', SEEDED_POSTGRES_URL, dataDir, env, helloWorld, load, log)) });
      } else if (await postgresReachable()) {
        scratch = await createScratchDatabase();
        const env = { DATABASE_URL: scratch.url };
        log(`PostgreSQL: database ${scratch.name}, migrate, seed --bench ${ORGANISATIONS}`);
        const dataDir = await prepareDataDir(env);
        const started = performance.now();
        await runCli(['seed', '--bench', String(ORGANISATIONS)], { dataDir, env });
        const seedSeconds = (performance.now() - started) / 1000;
        const dataSize = await postgresSize(scratch.url);
        results.push({ seedSeconds, cachedData: false, dataSize, ...(await measureDialect('postgres', scratch.url, dataDir, env, helloWorld, load, log)) });
      } else {
        log('PostgreSQL is not reachable on 127.0.0.1:5432: measured on SQLite only');
      }

      return {
        dataSize: Object.fromEntries(results.map((r) => [r.dialect, r.dataSize])),
        settings: { organisations: ORGANISATIONS, contacts: ORGANISATIONS * 3, directoryPath: DIRECTORY_PATH, searchQueries: SEARCH_QUERIES, goals: GOALS, nodeEnv: 'production' },
        figures: { helloWorld: { ...helloWorld, requestsPerSecond: round(helloWorld.requestsPerSecond, 1) }, dialects: results },
        tables: tables(load, helloWorld, results),
      };
    } finally {
      await hello?.stop();
      await scratch?.drop();
    }
  },
};

export default directory;
