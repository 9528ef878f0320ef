// /annuaire while the web process sweeps the watch: one `maillage serve` with its jobs on (the
// default single-process deployment, SQLite), WATCH_LOAD_ORGANISATIONS organisations (10,000 by
// default) and WATCH_BENCH_FEEDS feeds (2,000) on a local server (70 % 304, 25 % new items, 5 % slow
// or broken, read once beforehand as the measured sweep of the watch scenario). Eight visitors
// browse directory searches (6,000 different addresses, so mostly page-cache misses) without pause;
// the p95 latency while the sweep runs is compared with the p95 of the same process idle.
import http from 'node:http';
import path from 'node:path';
import { systemClock } from '../../src/kernel/clock.js';
import { createDb } from '../../src/kernel/db/create-db.js';
import { newId } from '../../src/kernel/ids.js';
import { Jobs } from '../../src/kernel/jobs/index.js';
import { fetchSources, type WatchDeps } from '../../src/modules/watch/index.js';
import { prepareDataDir, runCli, startApp } from '../lib/app.js';
import { benchSourceRow, FEED_WORDS, startFeedServer } from '../lib/feed-server.js';
import { round } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const ORGANISATIONS = Number(process.env['WATCH_LOAD_ORGANISATIONS'] ?? 10_000);
const FEEDS = Number(process.env['WATCH_BENCH_FEEDS'] ?? 2000) || 2000;
const VISITORS = 8;
const IDLE_SECONDS = 10;
const SWEEP_TIMEOUT_SECONDS = 300;
const GOAL_RATIO = 1.5;
const DEPARTMENTS = ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A visitor's directory search: word × page × département, 6,000 addresses in all. */
function directoryPath(i: number): string {
  const word = FEED_WORDS[i % FEED_WORDS.length]!;
  const page = 1 + (Math.floor(i / FEED_WORDS.length) % 20);
  const department = DEPARTMENTS[Math.floor(i / (FEED_WORDS.length * 20)) % DEPARTMENTS.length]!;
  return `/annuaire?q=${word.slice(0, 4)}&departement=${department}&page=${page}`;
}

interface Load {
  latencies: number[];
  errors: number;
}

/** VISITORS loops requesting directory pages one after the other until `done()` says stop. */
async function browse(baseUrl: string, done: () => boolean, offset: number): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: VISITORS });
  const load: Load = { latencies: [], errors: 0 };
  let next = offset;
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(String(res.statusCode)))));
        })
        .on('error', reject);
    });
  await Promise.all(
    Array.from({ length: VISITORS }, async () => {
      while (!done()) {
        try {
          load.latencies.push(await get(`${baseUrl}${directoryPath(next++)}`));
        } catch {
          load.errors++;
        }
      }
    }),
  );
  agent.destroy();
  return load;
}

const forSeconds = (seconds: number) => {
  const end = performance.now() + seconds * 1000;
  return () => performance.now() >= end;
};

const scenario: Scenario = {
  name: 'watch-load',
  description: '/annuaire p95 while the web process sweeps 2,000 feeds, as a ratio to the same process idle (SQLite)',
  async run({ log }) {
    const feeds = await startFeedServer();
    const dataDir = await prepareDataDir();
    log(`maillage seed --bench ${ORGANISATIONS}…`);
    await runCli(['seed', '--bench', String(ORGANISATIONS)], { dataDir });
    const handle = createDb(`sqlite:${path.join(dataDir, 'maillage.db')}`);
    let app: Awaited<ReturnType<typeof startApp>> | null = null;
    try {
      const at = new Date().toISOString();
      const far = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();
      const sources = Array.from({ length: FEEDS }, (_, n) => benchSourceRow(newId(), feeds.url(n), `Flux ${n}`, at));
      for (let i = 0; i < sources.length; i += 100) await handle.db.insertInto('watch_sources').values(sources.slice(i, i + 100)).execute();
      log(`first read of ${FEEDS} feeds (outside the measure)…`);
      const deps: WatchDeps = { db: handle.db, dialect: 'sqlite', clock: systemClock, logger: { warn: () => undefined, info: () => undefined }, allowlist: [`127.0.0.1:${feeds.port}`] };
      await fetchSources(deps, await handle.db.selectFrom('watch_sources').selectAll().execute(), { concurrency: 16 });
      feeds.setRound(1);
      await handle.db.updateTable('watch_sources').set({ next_fetch_at: far }).execute();

      app = await startApp({ dataDir, env: { JOBS: 'on', FETCH_ALLOWLIST: `127.0.0.1:${feeds.port}` } });
      log('warm-up, then idle measure…');
      await browse(app.url, forSeconds(3), 0);
      const idle = await browse(app.url, forSeconds(IDLE_SECONDS), 100_000);

      log('sweep in the web process, measured meanwhile…');
      const t0 = new Date().toISOString();
      await handle.db.updateTable('watch_sources').set({ next_fetch_at: null }).execute();
      const jobs = new Jobs({ db: handle.db, dialect: 'sqlite', clock: systemClock });
      await jobs.enqueue('watch.sweep', {});
      const sweepStarted = performance.now();
      let sweptAll = false;
      let sweepSeconds = 0;
      const poll = setInterval(() => {
        void handle.db
          .selectFrom('watch_sources')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('last_fetched_at', '>=', t0)
          .executeTakeFirstOrThrow()
          .then((r) => {
            if (Number(r.n) >= FEEDS && !sweptAll) {
              sweptAll = true;
              sweepSeconds = (performance.now() - sweepStarted) / 1000;
            }
          });
      }, 100);
      const timeout = forSeconds(SWEEP_TIMEOUT_SECONDS);
      const during = await browse(app.url, () => sweptAll || timeout(), 200_000);
      clearInterval(poll);
      if (!sweptAll) throw new Error(`the sweep did not finish within ${SWEEP_TIMEOUT_SECONDS} s`);

      const after = await browse(app.url, forSeconds(IDLE_SECONDS), 300_000);
      const figure = (l: Load) => ({ requests: l.latencies.length, errors: l.errors, p50Ms: round(percentile(l.latencies, 50), 2), p95Ms: round(percentile(l.latencies, 95), 2), maxMs: round(Math.max(0, ...l.latencies), 1) });
      const figures = { idle: figure(idle), duringSweep: figure(during), idleAfter: figure(after), sweepSeconds: round(sweepSeconds, 1) };
      const reference = Math.max(figures.idle.p95Ms, figures.idleAfter.p95Ms);
      const ratio = reference > 0 ? round(figures.duringSweep.p95Ms / reference, 2) : null;
      log(`p95 idle ${figures.idle.p95Ms} / ${figures.idleAfter.p95Ms} ms, during the sweep ${figures.duringSweep.p95Ms} ms (×${ratio})`);
      return {
        dataSize: { organisations: ORGANISATIONS, feeds: FEEDS },
        settings: { visitors: VISITORS, idleSeconds: IDLE_SECONDS, addresses: 6000, jobs: 'in the web process', dialect: 'sqlite' },
        figures: { ...figures, p95Ratio: ratio, reference: 'the larger p95 of the two idle runs', goalRatio: GOAL_RATIO },
        tables: [
          {
            title: `/annuaire with ${VISITORS} visitors: idle, during the sweep of ${FEEDS} feeds (${figures.sweepSeconds} s), idle again`,
            columns: ['phase', 'requests', 'errors', 'p50 (ms)', 'p95 (ms)', 'max (ms)'],
            rows: (['idle', 'duringSweep', 'idleAfter'] as const).map((k) => [k, figures[k].requests, figures[k].errors, figures[k].p50Ms, figures[k].p95Ms, figures[k].maxMs]),
          },
          { title: 'Goal', columns: ['figure', 'value', 'goal'], rows: [['p95 during the sweep ÷ p95 idle', ratio, `≤ ${GOAL_RATIO}`]] },
        ],
      };
    } finally {
      await app?.stop();
      await handle.close();
      await feeds.close();
    }
  },
};

export default scenario;
