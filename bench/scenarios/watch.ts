// Watch: a sweep of WATCH_BENCH_FEEDS feeds (2,000 by default; 0 skips it) served by a local HTTP
// server — 70 % answer 304, 25 % bring new items, 5 % are slow (3 s) or broken — with the real fetch
// code (SSRF-safe fetch, parsing, dedupe, bounded concurrency) on SQLite; then, on SQLite and on
// PostgreSQL (when it answers), the archive search p95 over WATCH_BENCH_ITEMS kept items (1,000,000
// by default, seeded with multi-row inserts in large transactions), with the query plans of a
// common and a rare search.
// /annuaire p95 during a sweep is measured by the watch-load scenario (the web process sweeping).
import path from 'node:path';
import { CompiledQuery, type Kysely, type KyselyPlugin, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { systemClock } from '../../src/kernel/clock.js';
import { createDb, type DbHandle, type Dialect } from '../../src/kernel/db/create-db.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import { newId } from '../../src/kernel/ids.js';
import { indexText, searchTokens } from '../../src/kernel/search/normalise.js';
import { fetchSources, searchArchive, type WatchDeps } from '../../src/modules/watch/index.js';
import { benchSourceRow, FEED_WORDS as WORDS, SLOW_DELAY_MS, startFeedServer } from '../lib/feed-server.js';
import { createScratchDatabase, postgresReachable, type ScratchDatabase } from '../lib/postgres.js';
import { makeTempDir } from '../lib/processes.js';
import { formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const FEEDS = Number(process.env['WATCH_BENCH_FEEDS'] ?? 2000);
const ITEMS = Number(process.env['WATCH_BENCH_ITEMS'] ?? 1_000_000);
const SEARCHES = 200;
/** Searches whose query plans are recorded: a common word (~12 % of the items), a rare number (one item). */
const PLAN_COMMON = 'europe';
const PLAN_RARE = String(Math.max(0, ITEMS - 7));
const ARCHIVE_SOURCES = 20;
const GOALS = { sweepSeconds: 120, duplicates: 0, searchP95Ms: 50 };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// ---------- Sweep (SQLite) ----------

async function sweep(db: Kysely<Database>, log: (m: string) => void) {
  const server = await startFeedServer();
  try {
    const port = server.port;
    const deps: WatchDeps = { db, dialect: 'sqlite', clock: systemClock, logger: { warn: () => undefined, info: () => undefined }, allowlist: [`127.0.0.1:${port}`] };
    const at = new Date().toISOString();
    const sources = Array.from({ length: FEEDS }, (_, n) => benchSourceRow(newId(), server.url(n), `Flux ${n}`, at));
    for (let i = 0; i < sources.length; i += 100) await db.insertInto('watch_sources').values(sources.slice(i, i + 100)).execute();
    const ids = sources.map((s) => s.id);
    const all = () => db.selectFrom('watch_sources').selectAll().where('id', 'in', ids).execute();
    log(`first sweep of ${FEEDS} feeds (everything new)…`);
    let started = performance.now();
    const first = await fetchSources(deps, await all(), { concurrency: 16 });
    const firstSeconds = (performance.now() - started) / 1000;
    server.setRound(1);
    log('measured sweep…');
    started = performance.now();
    const second = await fetchSources(deps, await all(), { concurrency: 16 });
    const sweepSeconds = (performance.now() - started) / 1000;
    const dup = await sql<{ n: number }>`select count(*) as n from (select source_id, guid from watch_items group by source_id, guid having count(*) > 1) d`.execute(db);
    const swept = await db.selectFrom('watch_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { first, second, firstSeconds, sweepSeconds, duplicates: Number(dup.rows[0]?.n ?? 0), sweptItems: Number(swept.n) };
  } finally {
    await server.close();
  }
}

// ---------- Archive search (both dialects) ----------

/** Seeded items span 2020-01-01 to the end of 2026 (~7 years), in the order they were kept. */
const START = Date.UTC(2020, 0, 1);
const STEP_MS = Math.floor((Date.UTC(2027, 0, 1) - START) / Math.max(1, ITEMS));

/**
 * ITEMS kept items over 20 sources: three of the 25 words each, drawn by a hash (every word is in
 * ~12 % of the items, at any date), a unique number (rare searches); dates follow the order items
 * were kept, up to 4 days out of order (feeds publish late).
 */
async function seedArchive(db: Kysely<Database>, dialect: Dialect, log: (m: string) => void): Promise<number> {
  const at = new Date().toISOString();
  const sources = Array.from({ length: ARCHIVE_SOURCES }, (_, n) => benchSourceRow(newId(), `https://archive.example/${n}.xml`, `Archive ${n}`, at));
  await db.insertInto('watch_sources').values(sources).execute();
  const perStatement = dialect === 'postgres' ? 1000 : 500; // bound parameters: 22 a row
  const perTransaction = 50_000;
  const started = performance.now();
  for (let done = 0; done < ITEMS; ) {
    await db.transaction().execute(async (trx) => {
      const end = Math.min(ITEMS, done + perTransaction);
      while (done < end) {
        const rows = [];
        for (let i = 0; i < perStatement && done < end; i++, done++) {
          const h = Math.imul(done + 1, 2654435761) >>> 0;
          const words = [WORDS[h % WORDS.length], WORDS[(h >>> 8) % WORDS.length], WORDS[(h >>> 16) % WORDS.length]].join(' ');
          const title = `Archive ${done} ${words}`;
          const day = new Date(START + done * STEP_MS - (h % 5) * 86_400_000).toISOString();
          rows.push({ id: newId(), source_id: sources[done % ARCHIVE_SOURCES]!.id, guid: `a${done}`, link_key: null, title_key: `a${done}|`, link: `https://archive.example/${done}`, title, summary_html: null, excerpt: `Texte ${words}`, author: null, published_at: day, date_missing: 0, content_hash: 'h', status: 'kept', category: null, note: null, decided_by: null, decided_at: null, search_text: indexText(title, words), first_seen_at: day, updated_at: day });
        }
        await trx.insertInto('watch_items').values(rows).execute();
      }
    });
    if (done % 200_000 === 0 || done === ITEMS) log(`  ${dialect}: ${formatNumber(done)} items (${round((performance.now() - started) / 1000, 0)} s)`);
  }
  await sql.raw(dialect === 'postgres' ? 'vacuum analyze watch_items' : 'analyze').execute(db); // as autovacuum would after a bulk load
  return (performance.now() - started) / 1000;
}

/** The searches measured: common words (one or two), a word matching every item, a rare number. */
function searchText(i: number): string {
  if (i % 10 === 9) return String((i * 4999) % ITEMS);
  if (i % 20 === 4) return 'archive';
  return i % 2 === 0 ? WORDS[i % WORDS.length]! : `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]}`;
}

/** The SQL that searchArchive sends, captured to be explained. */
function capture(db: Kysely<Database>): { db: Kysely<Database>; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      queries.push(db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), queries };
}

/** The plans of the statements one search sends, replayed in order (settings included) in one transaction. */
async function explain(handle: DbHandle, q: string, offset = 0): Promise<string[]> {
  const { db, queries } = capture(handle.db);
  await searchArchive(db, handle.dialect, { tokens: searchTokens(q) }, offset, 20);
  // A subquery is captured on its own too: keep the statements that are not part of another.
  const sent = queries.filter((query, n) => !queries.some((other, m) => m !== n && other.sql !== query.sql && other.sql.includes(query.sql)));
  const out: string[] = [];
  if (handle.sqlite) {
    for (const query of sent) {
      out.push(`-- ${query.sql}`);
      const rows = handle.sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>;
      out.push(...rows.map((r) => r.detail));
    }
    return out;
  }
  await handle.db.transaction().execute(async (trx) => {
    for (const query of sent) {
      out.push(`-- ${query.sql}`);
      if (!/^select/i.test(query.sql)) {
        await trx.executeQuery(query);
        continue;
      }
      const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers, costs off) ${query.sql}`, [...query.parameters]));
      out.push(...result.rows.map((r) => r['QUERY PLAN']));
    }
  });
  return out;
}

async function measureSearch(handle: DbHandle, log: (m: string) => void) {
  log(`${handle.dialect}: seeding ${formatNumber(ITEMS)} kept items…`);
  const seedSeconds = await seedArchive(handle.db, handle.dialect, log);
  for (let i = 0; i < 20; i++) await searchArchive(handle.db, handle.dialect, { tokens: searchTokens(searchText(i)) }, 0, 20); // warm-up
  const timings: number[] = [];
  const byKind: Record<string, number[]> = { common: [], archive: [], rare: [] };
  for (let i = 0; i < SEARCHES; i++) {
    const q = searchText(i);
    const t0 = performance.now();
    await searchArchive(handle.db, handle.dialect, { tokens: searchTokens(q) }, 0, 20);
    const ms = performance.now() - t0;
    timings.push(ms);
    byKind[i % 10 === 9 ? 'rare' : i % 20 === 4 ? 'archive' : 'common']!.push(ms);
  }
  const deep: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await searchArchive(handle.db, handle.dialect, { tokens: searchTokens(WORDS[i % WORDS.length]!) }, 49 * 20, 20); // page 50
    deep.push(performance.now() - t0);
  }
  const plans = { common: await explain(handle, PLAN_COMMON), rare: await explain(handle, PLAN_RARE), commonPage50: await explain(handle, PLAN_COMMON, 49 * 20) };
  log(`${handle.dialect}: p95 ${round(percentile(timings, 95), 1)} ms`);
  return {
    dialect: handle.dialect,
    seedSeconds: round(seedSeconds, 1),
    p50Ms: round(percentile(timings, 50), 2),
    p95Ms: round(percentile(timings, 95), 2),
    maxMs: round(Math.max(...timings), 2),
    p95ByKindMs: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, round(percentile(v, 95), 2)])),
    page50P95Ms: round(percentile(deep, 95), 2),
    plans,
  };
}

const scenario: Scenario = {
  name: 'watch',
  description: 'Watch sweep of local feeds (304 / new items / slow or broken) and archive full-text search p95 on SQLite and PostgreSQL',
  async run({ log }) {
    const dir = makeTempDir('maillage-bench-watch-');
    const sqliteHandle = createDb(`sqlite:${path.join(dir, 'watch.db')}`);
    let scratch: ScratchDatabase | null = null;
    try {
      await migrateToLatest(sqliteHandle.db);
      const swept = FEEDS > 0 ? await sweep(sqliteHandle.db, log) : null;
      const searches = [await measureSearch(sqliteHandle, log)];
      await sqliteHandle.close();
      if (await postgresReachable()) {
        scratch = await createScratchDatabase();
        const pgHandle = createDb(scratch.url);
        try {
          await migrateToLatest(pgHandle.db);
          searches.push(await measureSearch(pgHandle, log));
        } finally {
          await pgHandle.close();
        }
      } else log('PostgreSQL does not answer: SQLite only');
      const tables: Table[] = [];
      if (swept) {
        const { first, second } = swept;
        tables.push({
          title: `Watch sweep (${FEEDS} feeds, concurrency 16, SQLite)`,
          columns: ['sweep', 'seconds', 'sources', '304', 'ok', 'errors', 'new', 'updated', 'unchanged'],
          rows: [
            ['first (all new)', round(swept.firstSeconds, 1), first.sources, first.notModified, first.ok, first.errors, first.new, first.updated, first.unchanged],
            ['measured', round(swept.sweepSeconds, 1), second.sources, second.notModified, second.ok, second.errors, second.new, second.updated, second.unchanged],
          ],
        });
      }
      tables.push({
        title: `Archive search over ${formatNumber(ITEMS)} kept items (${SEARCHES} searches, page 1 + capped count)`,
        columns: ['dialect', 'seed (s)', 'p50 (ms)', 'p95 (ms)', 'max (ms)', 'p95 common', 'p95 "archive" (all)', 'p95 rare', 'page 50 p95'],
        rows: searches.map((r) => [r.dialect, r.seedSeconds, r.p50Ms, r.p95Ms, r.maxMs, r.p95ByKindMs['common'] ?? null, r.p95ByKindMs['archive'] ?? null, r.p95ByKindMs['rare'] ?? null, r.page50P95Ms]),
      });
      tables.push({
        title: 'Goals',
        columns: ['figure', 'value', 'goal'],
        rows: [
          ...(swept
            ? [
                ['sweep wall time (s)', round(swept.sweepSeconds, 1), `≤ ${GOALS.sweepSeconds}`],
                ['duplicates', swept.duplicates, GOALS.duplicates],
              ]
            : []),
          ...searches.map((r) => [`archive search p95 over ${formatNumber(ITEMS)} items, ${r.dialect} (ms)`, r.p95Ms, `≤ ${GOALS.searchP95Ms}`]),
        ],
      });
      const planRows = (kind: string, lines: string[]) => lines.filter((l) => !l.startsWith('--') && !/^\s*(Buffers|Planning)/.test(l)).map((l) => [kind, l.replace(/^\s+/, (m) => ' '.repeat(Math.min(m.length, 12)))]);
      for (const r of searches) tables.push({ title: `Query plans, ${r.dialect} (SQL in the result file)`, columns: ['search', 'plan'], rows: [...planRows(`"${PLAN_COMMON}"`, r.plans.common), ...planRows(`"${PLAN_RARE}"`, r.plans.rare)] });
      return {
        dataSize: { feeds: FEEDS, sweptItems: swept?.sweptItems ?? 0, archiveItems: ITEMS },
        settings: { concurrency: 16, slowDelayMs: SLOW_DELAY_MS, mix: '70 % 304, 25 % new items, 5 % slow or broken', sweepDialect: 'sqlite', searchDialects: searches.map((r) => r.dialect), searches: SEARCHES },
        figures: {
          ...(swept ? { firstSweepSeconds: round(swept.firstSeconds, 2), sweepSeconds: round(swept.sweepSeconds, 2), first: swept.first, second: swept.second, duplicates: swept.duplicates } : {}),
          search: searches,
          goals: GOALS,
        },
        tables,
      };
    } finally {
      await sqliteHandle.close().catch(() => undefined);
      await scratch?.drop();
    }
  },
};

export default scenario;
