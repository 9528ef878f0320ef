// Map: the server-side cluster endpoint on 50,000 organisations (p95 for the whole region and a city
// zoom, payload sizes, throughput against the hello-world), and in Chromium the time from navigation
// start to the first cluster marker in the map's DOM, against the same measure when every point is
// handed to Leaflet.markercluster (the goal: ≤ 0.2 of it), and optionally to plain Leaflet.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../test/helpers/browser.js';
import { chromiumAvailable, chromiumPath } from '../../test/helpers/environment.js';
import { type AppProcess, prepareDataDir, runCli, startApp } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { type HelloWorld, startHelloWorld } from '../lib/hello-world.js';
import { type LoadFigure, measure, ratio } from '../lib/load.js';
import { makeTempDir } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const require = createRequire(import.meta.url);
const ORGANISATIONS = Number(process.env['BENCH_MAP_ORGANISATIONS'] ?? 50_000);
const SEQUENTIAL_REQUESTS = 300;
const BROWSER_RUNS = 3;

/** The region of the seed (Nouvelle-Aquitaine) at the zoom /carte opens on, and central Bordeaux. */
const CASES = [
  { name: 'whole region (zoom 7)', query: 'bbox=-2.5,42.7,2.9,47.4&zoom=7' },
  { name: 'city zoom: Bordeaux (zoom 13)', query: 'bbox=-0.64,44.81,-0.52,44.87&zoom=13' },
  { name: 'region, filtered (famille=association)', query: 'bbox=-2.5,42.7,2.9,47.4&zoom=7&famille=association' },
] as const;

const kib = (bytes: number) => `${formatNumber(bytes / 1024, 1)} KiB`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Sequential {
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
  gzipBytes: number;
  features: number;
  clusters: number;
}

/** One request at a time: the endpoint's own latency, not a queue's. The first one builds the index. */
async function sequential(url: string, count: number): Promise<Sequential> {
  const times: number[] = [];
  let body = '';
  let firstMs = 0;
  for (let i = 0; i <= count; i++) {
    const started = performance.now();
    const res = await fetch(url);
    body = await res.text();
    const ms = performance.now() - started;
    if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
    if (i === 0) firstMs = ms;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  const parsed = JSON.parse(body) as { features: { properties: { cluster?: boolean } }[] };
  return {
    firstMs,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: times.at(-1)!,
    bytes: Buffer.byteLength(body),
    gzipBytes: gzipSync(body).length,
    features: parsed.features.length,
    clusters: parsed.features.filter((f) => f.properties.cluster).length,
  };
}

/** The region's view the baselines open on (the seed's Nouvelle-Aquitaine, as /carte does). */
const REGION_BOUNDS = '[[42.7, -2.5], [47.4, 2.9]]';
/** Every point of the set, one feature each: past the server's last clustering zoom nothing is grouped. */
const ALL_POINTS_URL = '/carte/clusters.json?bbox=-180,-90,180,90&zoom=18';

const MARKERCLUSTER_PATH = '/__bench/markercluster';
const PLAIN_PATH = '/__bench/plain-leaflet';
const MARKERCLUSTER_DIST = path.dirname(require.resolve('leaflet.markercluster/dist/leaflet.markercluster.js'));
const MARKERCLUSTER_VERSION = (JSON.parse(fs.readFileSync(path.join(MARKERCLUSTER_DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The goal's baseline: every point handed to Leaflet.markercluster (client-side clustering, default
 * options) in one `addLayers` call. The page is served by the bench on the app's origin; the points
 * come from the app as JSON, so fetching them is part of the measure, as fetching clusters is for /carte.
 */
function markerclusterHtml(): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>baseline markercluster</title>
<link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="${MARKERCLUSTER_PATH}/MarkerCluster.css">
<link rel="stylesheet" href="${MARKERCLUSTER_PATH}/MarkerCluster.Default.css">
<style>#m{height:600px}.p{width:10px;height:10px;border-radius:50%;background:#a4161a}</style>
<script src="${MARKERCLUSTER_PATH}/leaflet.js"></script>
<script src="${MARKERCLUSTER_PATH}/leaflet.markercluster.js"></script></head><body><div id="m"></div><script>
const map = L.map('m', { maxZoom: 18 }).fitBounds(${REGION_BOUNDS});
const started = performance.now();
fetch('${ALL_POINTS_URL}').then((r) => r.json()).then((data) => {
  const fetched = performance.now();
  const icon = L.divIcon({ className: 'p', iconSize: [10, 10] });
  const markers = data.features.map((f) => L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { icon }));
  const group = L.markerClusterGroup();
  map.addLayer(group);
  group.addLayers(markers);
  window.__baseline = { markers: markers.length, fetchMs: fetched - started, addLayersMs: performance.now() - fetched };
});
</script></body></html>`;
}

/** Plain Leaflet, every point a DOM marker, no clustering (opt-in: minutes at 50k). */
function plainHtml(): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>baseline plain Leaflet</title>
<link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css">
<style>#m{height:600px}.p{width:10px;height:10px;border-radius:50%;background:#a4161a}</style>
<script src="${MARKERCLUSTER_PATH}/leaflet.js"></script></head><body><div id="m"></div><script>
const map = L.map('m', { maxZoom: 18 }).fitBounds(${REGION_BOUNDS});
const started = performance.now();
fetch('${ALL_POINTS_URL}').then((r) => r.json()).then((data) => {
  const fetched = performance.now();
  const group = L.layerGroup();
  const icon = L.divIcon({ className: 'p', iconSize: [10, 10] });
  for (const f of data.features) group.addLayer(L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { icon }));
  group.addTo(map);
  window.__baseline = { markers: data.features.length, fetchMs: fetched - started, addLayersMs: performance.now() - fetched };
});
</script></body></html>`;
}

/**
 * Milliseconds from navigation start to the first marker element in the page: a cluster or a point
 * of /carte (.map-cluster, .map-point), a Leaflet.markercluster cluster (.marker-cluster) or any
 * Leaflet marker (.leaflet-marker-icon).
 */
const WATCH_FIRST_MARKER = `
window.__firstMarkerMs = null;
new MutationObserver((records, observer) => {
  if (document.querySelector('.map-cluster, .map-point, .marker-cluster, .leaflet-marker-icon')) { window.__firstMarkerMs = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });
`;

type Page = 'app' | 'markercluster' | 'plain';

interface BaselineFigures {
  runsMs: number[];
  medianMs: number;
  markers: number;
  /** Of the last run: fetching and parsing the points, then handing them to Leaflet. */
  fetchMs: number;
  addLayersMs: number;
}

interface BrowserFigures {
  appRunsMs: number[];
  appMedianMs: number;
  markercluster: BaselineFigures | null;
  plain: BaselineFigures | null;
  /** app median ÷ Leaflet.markercluster median; the goal is ≤ 0.2. */
  ratio: number | null;
  goalMet: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function browserFigures(app: AppProcess, log: (m: string) => void): Promise<BrowserFigures | null> {
  if (!chromiumAvailable()) {
    log(`Chromium absent (${chromiumPath}): browser figures skipped`);
    return null;
  }
  const profile = makeTempDir('maillage-bench-chromium-');
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  const files: Record<string, { type: string; body: Buffer | string }> = {
    '': { type: 'text/html; charset=utf-8', body: markerclusterHtml() },
    '/leaflet.js': { type: 'text/javascript', body: fs.readFileSync(require.resolve('leaflet/dist/leaflet.js')) },
    '/leaflet.markercluster.js': { type: 'text/javascript', body: fs.readFileSync(path.join(MARKERCLUSTER_DIST, 'leaflet.markercluster.js')) },
    '/MarkerCluster.css': { type: 'text/css', body: fs.readFileSync(path.join(MARKERCLUSTER_DIST, 'MarkerCluster.css')) },
    '/MarkerCluster.Default.css': { type: 'text/css', body: fs.readFileSync(path.join(MARKERCLUSTER_DIST, 'MarkerCluster.Default.css')) },
  };
  try {
    for (const [name, file] of Object.entries(files)) {
      await context.route(`${app.url}${MARKERCLUSTER_PATH}${name}`, (route) => route.fulfill({ status: 200, contentType: file.type, body: file.body }));
    }
    await context.route(`${app.url}${PLAIN_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: plainHtml() }));
    // Tiles are refused (as offline): no page waits for them.
    await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
    await context.addInitScript(WATCH_FIRST_MARKER);
    const runs: Record<Page, number[]> = { app: [], markercluster: [], plain: [] };
    const last: Partial<Record<Page, { markers: number; fetchMs: number; addLayersMs: number }>> = {};
    // Run 0 of each page warms the server's caches and the browser's; it is not counted. The app and
    // its baseline alternate, so that both see the same machine. BENCH_MAP_BASELINE=off skips the
    // baselines; BENCH_MAP_PLAIN=on adds plain Leaflet (every marker in the DOM: minutes), once.
    const baselines = process.env['BENCH_MAP_BASELINE'] !== 'off';
    const plan: [Page, number][] = [];
    for (let run = 0; run <= BROWSER_RUNS; run++) {
      plan.push(['app', run]);
      if (baselines) plan.push(['markercluster', run]);
    }
    if (baselines && process.env['BENCH_MAP_PLAIN'] === 'on') plan.push(['plain', 1]);
    const urls: Record<Page, string> = { app: '/carte', markercluster: MARKERCLUSTER_PATH, plain: PLAIN_PATH };
    for (const [which, run] of plan) {
      const page = await context.newPage();
      await page.goto(`${app.url}${urls[which]}`);
      await page.waitForFunction(() => (window as unknown as { __firstMarkerMs: number | null }).__firstMarkerMs !== null, undefined, { timeout: 600_000 });
      const ms = await page.evaluate(() => (window as unknown as { __firstMarkerMs: number }).__firstMarkerMs);
      if (which !== 'app') {
        await page.waitForFunction(() => (window as unknown as { __baseline?: unknown }).__baseline !== undefined, undefined, { timeout: 600_000 });
        last[which] = await page.evaluate(() => (window as unknown as { __baseline: { markers: number; fetchMs: number; addLayersMs: number } }).__baseline);
      }
      await page.close();
      if (run === 0) continue;
      runs[which].push(ms);
      log(`browser run ${run}: ${which} first marker after ${formatNumber(ms)} ms`);
    }
    const baseline = (which: Page): BaselineFigures | null =>
      runs[which].length ? { runsMs: runs[which], medianMs: median(runs[which]), markers: last[which]?.markers ?? 0, fetchMs: last[which]?.fetchMs ?? 0, addLayersMs: last[which]?.addLayersMs ?? 0 } : null;
    const appMedianMs = median(runs.app);
    const markercluster = baseline('markercluster');
    const ratioToMarkercluster = markercluster ? appMedianMs / markercluster.medianMs : null;
    return {
      appRunsMs: runs.app,
      appMedianMs,
      markercluster,
      plain: baseline('plain'),
      ratio: ratioToMarkercluster,
      goalMet: ratioToMarkercluster === null ? null : ratioToMarkercluster <= 0.2,
    };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function loadRow(figure: LoadFigure, reference: LoadFigure) {
  const r = ratio(figure.requestsPerSecond, reference.requestsPerSecond);
  return [figure.target, formatNumber(figure.requestsPerSecond), formatNumber(figure.latencyP50Ms, 1), formatNumber(figure.latencyP99Ms, 1), `${figure.errors} / ${figure.non2xx}`, r === null ? null : `${formatNumber(r * 100, 1)} %`];
}

const map: Scenario = {
  name: 'map',
  description: `Cluster endpoint on ${ORGANISATIONS} organisations (p95 region and city, payloads, req/s) and time to the first marker in Chromium.`,
  async run({ load, log }) {
    const reuse = process.env['BENCH_MAP_DATA_DIR'];
    let dataDir: string;
    if (reuse) {
      dataDir = makeTempDir('maillage-bench-map-');
      fs.copyFileSync(path.join(reuse, 'maillage.db'), path.join(dataDir, 'maillage.db'));
      log(`copied the seeded database of ${reuse}`);
    } else {
      log('preparing a DATA_DIR (maillage migrate, SQLite)');
      dataDir = await prepareDataDir();
      log(`seeding ${ORGANISATIONS} organisations (maillage seed --bench; takes a few minutes)`);
      await runCli(['seed', '--bench', String(ORGANISATIONS)], { dataDir });
    }
    const dataSize = sqliteSize(dataDir);

    let hello: HelloWorld | null = null;
    let app: AppProcess | null = null;
    try {
      hello = await startHelloWorld();
      log('hello-world');
      const helloWorld = await measure('hello-world GET /', `${hello.url}/`, load);
      await hello.stop();
      hello = null;

      app = await startApp({ dataDir });
      const sequentialFigures: Record<string, Sequential> = {};
      for (const c of CASES) {
        log(`${c.name}: ${SEQUENTIAL_REQUESTS} sequential requests`);
        sequentialFigures[c.name] = await sequential(`${app.url}/carte/clusters.json?${c.query}`, SEQUENTIAL_REQUESTS);
      }
      const loads: LoadFigure[] = [];
      for (const c of CASES.slice(0, 2)) {
        log(`${c.name}: ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s at ${load.connections} connections`);
        loads.push(await measure(`clusters, ${c.name}`, `${app.url}/carte/clusters.json?${c.query}`, load));
      }
      const worldRes = await fetch(`${app.url}/carte/monde.json`, { headers: { 'accept-encoding': 'gzip' } });
      const worldGzip = Number(worldRes.headers.get('content-length') ?? 0) || (await worldRes.arrayBuffer()).byteLength;
      const worldRaw = (await (await fetch(`${app.url}/carte/monde.json`, { headers: { 'accept-encoding': 'identity' } })).text()).length;
      const browser = await browserFigures(app, log);
      await app.stop();
      app = null;

      const seqRows = CASES.map((c) => {
        const s = sequentialFigures[c.name]!;
        return [c.name, formatNumber(s.firstMs, 1), formatNumber(s.p50Ms, 2), formatNumber(s.p95Ms, 2), formatNumber(s.maxMs, 1), `${s.clusters} / ${s.features}`, `${kib(s.bytes)} (${kib(s.gzipBytes)} gz)`, s.p95Ms < 20 ? 'yes' : 'NO'];
      });
      return {
        dataSize,
        settings: { organisations: ORGANISATIONS, sequentialRequests: SEQUENTIAL_REQUESTS, browserRuns: BROWSER_RUNS, database: 'sqlite', nodeEnv: 'production', baseline: `Leaflet.markercluster ${MARKERCLUSTER_VERSION}, default options, every point in one addLayers call` },
        figures: {
          helloWorld,
          sequential: Object.fromEntries(Object.entries(sequentialFigures).map(([k, v]) => [k, { ...v, firstMs: round(v.firstMs), p50Ms: round(v.p50Ms, 3), p95Ms: round(v.p95Ms, 3), maxMs: round(v.maxMs) }])),
          load: loads.map((l) => ({ ...l, ratioToHelloWorld: ratio(l.requestsPerSecond, helloWorld.requestsPerSecond) })),
          world: { rawBytes: worldRaw, gzipBytes: worldGzip },
          browser,
        },
        tables: [
          {
            title: `Cluster endpoint, one request at a time (${SEQUENTIAL_REQUESTS} after the first, which builds the index; goal p95 < 20 ms)`,
            columns: ['case', 'first ms', 'p50 ms', 'p95 ms', 'max ms', 'clusters / features', 'payload', 'goal met'],
            rows: seqRows,
          },
          {
            title: `Cluster endpoint under load (${load.connections} connections, ${load.durationSeconds} s after ${load.warmupSeconds} s warm-up)`,
            columns: ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'vs hello-world'],
            rows: [loadRow(helloWorld, helloWorld), ...loads.map((l) => loadRow(l, helloWorld))],
          },
          {
            title: 'Payloads and browser',
            columns: ['figure', 'value'],
            rows: [
              ['/carte/monde.json (world choropleth, 50m atlas)', `${formatBytes(worldRaw)} (${formatBytes(worldGzip)} gz)`],
              ...(browser
                ? [
                    [`Chromium: navigation start → first cluster marker, /carte (median of ${BROWSER_RUNS})`, `${formatNumber(browser.appMedianMs)} ms`],
                    ...(browser.markercluster
                      ? [
                          [
                            `Chromium: same, ${browser.markercluster.markers} markers handed to Leaflet.markercluster ${MARKERCLUSTER_VERSION} (median of ${BROWSER_RUNS})`,
                            `${formatNumber(browser.markercluster.medianMs)} ms (fetch ${formatNumber(browser.markercluster.fetchMs)} ms, addLayers ${formatNumber(browser.markercluster.addLayersMs)} ms)`,
                          ],
                          ['ratio /carte ÷ Leaflet.markercluster (goal ≤ 0.2)', `${formatNumber(browser.ratio, 3)} — goal ${browser.goalMet ? 'met' : 'NOT met'}`],
                        ]
                      : [['Leaflet.markercluster baseline', 'skipped (BENCH_MAP_BASELINE=off)']]),
                    ...(browser.plain ? [[`Chromium: same, ${browser.plain.markers} plain Leaflet markers, no clustering (one run)`, `${formatNumber(browser.plain.medianMs)} ms`]] : []),
                  ]
                : [['Chromium', 'absent: not measured']]),
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

export default map;
