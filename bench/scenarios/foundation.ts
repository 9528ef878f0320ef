// Foundation: what the bare platform costs before any feature — the home page and /healthz against a
// bare Fastify hello-world, the cold start and the idle memory of the app process.
import { type AppProcess, prepareDataDir, startApp } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { type HelloWorld, startHelloWorld } from '../lib/hello-world.js';
import { type LoadFigure, measure, ratio } from '../lib/load.js';
import { sleep } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const COLD_START_RUNS = 3;
const IDLE_SECONDS = 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function loadRow(figure: LoadFigure, reference: LoadFigure) {
  const r = ratio(figure.requestsPerSecond, reference.requestsPerSecond);
  return [
    figure.target,
    formatNumber(figure.requestsPerSecond),
    formatNumber(figure.latencyP50Ms, 1),
    formatNumber(figure.latencyP99Ms, 1),
    `${figure.errors} / ${figure.non2xx}`,
    r === null ? null : `${formatNumber(r * 100, 1)} %`,
  ];
}

function loadFigure(figure: LoadFigure, reference: LoadFigure) {
  const r = ratio(figure.requestsPerSecond, reference.requestsPerSecond);
  return {
    ...figure,
    requestsPerSecond: round(figure.requestsPerSecond, 1),
    latencyMeanMs: round(figure.latencyMeanMs),
    ratioToHelloWorld: r === null ? null : round(r, 4),
  };
}

const foundation: Scenario = {
  name: 'foundation',
  description: 'Home page and /healthz of the app against a bare Fastify hello-world; cold start; idle RSS.',
  async run({ load, log }) {
    log('preparing a DATA_DIR (maillage migrate, SQLite)');
    const dataDir = await prepareDataDir();
    const dataSize = sqliteSize(dataDir);

    const coldStarts: number[] = [];
    for (let run = 1; run <= COLD_START_RUNS; run++) {
      const app = await startApp({ dataDir });
      coldStarts.push(app.startupMs);
      log(`cold start ${run}/${COLD_START_RUNS}: ${formatNumber(app.startupMs)} ms`);
      await app.stop();
    }

    let hello: HelloWorld | null = null;
    let app: AppProcess | null = null;
    try {
      hello = await startHelloWorld();
      log(`hello-world: ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s`);
      const helloWorld = await measure('hello-world GET /', `${hello.url}/`, load);
      await sleep(IDLE_SECONDS * 1000);
      const helloMemory = hello.memory();
      await hello.stop();
      hello = null;

      app = await startApp({ dataDir });
      log(`app GET /: ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s`);
      const home = await measure('app GET /', `${app.url}/`, load);
      log(`app GET /healthz: ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s`);
      const healthz = await measure('app GET /healthz', `${app.url}/healthz`, load);
      log(`idle ${IDLE_SECONDS} s, then reading VmRSS`);
      await sleep(IDLE_SECONDS * 1000);
      const appMemory = app.memory();
      await app.stop();
      app = null;

      const coldStartMs = median(coldStarts);
      return {
        dataSize,
        settings: { coldStartRuns: COLD_START_RUNS, idleSeconds: IDLE_SECONDS, database: 'sqlite', nodeEnv: 'production' },
        figures: {
          helloWorld: loadFigure(helloWorld, helloWorld),
          home: loadFigure(home, helloWorld),
          healthz: loadFigure(healthz, helloWorld),
          coldStart: { medianMs: round(coldStartMs, 1), runsMs: coldStarts.map((ms) => round(ms, 1)) },
          idleMemory: {
            appRssBytes: appMemory?.rssBytes ?? null,
            appPeakRssBytes: appMemory?.peakRssBytes ?? null,
            helloWorldRssBytes: helloMemory?.rssBytes ?? null,
          },
        },
        tables: [
          {
            title: `Throughput (${load.connections} connections, ${load.durationSeconds} s after ${load.warmupSeconds} s warm-up)`,
            columns: ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'vs hello-world'],
            rows: [loadRow(helloWorld, helloWorld), loadRow(home, helloWorld), loadRow(healthz, helloWorld)],
          },
          {
            title: 'Process',
            columns: ['figure', 'value'],
            rows: [
              [
                `cold start (spawn → first 200 on /healthz, median of ${COLD_START_RUNS})`,
                `${formatNumber(coldStartMs)} ms (${coldStarts.map((ms) => formatNumber(ms)).join(', ')})`,
              ],
              [`app idle RSS (after load + ${IDLE_SECONDS} s idle)`, formatBytes(appMemory?.rssBytes)],
              ['app peak RSS (VmHWM)', formatBytes(appMemory?.peakRssBytes)],
              [`hello-world idle RSS (after load + ${IDLE_SECONDS} s idle)`, formatBytes(helloMemory?.rssBytes)],
            ],
          },
        ],
      };
    } finally {
      await hello?.stop();
      await app?.stop();
    }
  },
};

export default foundation;
