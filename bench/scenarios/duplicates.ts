// Duplicates: the full scan of the predecessor networks' large sample (~51,000 organisations), in
// process (engine only) and through the database (`maillage dedupe` on SQLite and PostgreSQL, after
// a bulk load): wall time, peak RSS, candidate pairs, and precision / recall / F1 against the
// sample's truth, with the baseline rule (same normalised name or same e-mail) beside.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Insertable } from 'kysely';
import type { OrganisationsTable } from '../../src/db/schema.js';
import { createDb } from '../../src/kernel/db/create-db.js';
import { translator } from '../../src/kernel/i18n/index.js';
import { newId } from '../../src/kernel/ids.js';
import { slugify } from '../../src/kernel/identifiers.js';
import { indexText } from '../../src/kernel/search/normalise.js';
import { baselinePairs, detectDuplicates, type Evaluation, evaluatePairs, REPORT_COLUMNS, type RefPair } from '../../src/modules/duplicates/index.js';
import { sortNameOf } from '../../src/modules/organisations/index.js';
import { emptySeedRows, insertSeedRows } from '../../src/setup/bench-seed-repo.js';
import { loadPredecessors, type SampleOrganisation } from '../../test/helpers/predecessors.js';
import { prepareDataDir } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { createScratchDatabase, postgresReachable, type ScratchDatabase } from '../lib/postgres.js';
import { readMemory, repoRoot, sleep, spawnTracked } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const SCAN_GOAL_SECONDS = 30;
/** Peak resident memory of `maillage dedupe`: the issue's < 300 MB (decimal: 286.1 MiB), as for the import. */
const PEAK_RSS_GOAL_BYTES = 300_000_000;

function peakRss(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

function figuresOf(e: Evaluation) {
  return { precision: round(e.precision, 4), recall: round(e.recall, 4), f1: round(e.f1, 4), predicted: e.predicted, falsePositives: e.falsePositives, falseNegatives: e.falseNegatives };
}

function organisationRow(o: SampleOrganisation, at: string): Insertable<OrganisationsTable> {
  return {
    id: newId(),
    slug: `${slugify(o.name)}-${o.source_ref.toLowerCase()}`,
    name: o.name,
    acronym: o.acronym ?? null,
    kind_code: o.kind_code ?? 'other',
    website: o.website ?? null,
    email: o.email ?? null,
    phone: o.phone ?? null,
    address: o.address,
    postcode: o.postcode ?? null,
    commune_code: o.commune_code ?? null,
    commune_name: o.commune_name ?? null,
    department_code: o.department_code ?? null,
    siren: o.siren ?? null,
    siret: o.siret ?? null,
    rna: o.rna ?? null,
    visibility: 'public',
    is_member: 0,
    source: 'import',
    source_file: o.source_file,
    source_ref: o.source_ref,
    search_text: indexText(o.name, o.acronym, o.commune_name),
    sort_name: sortNameOf(o.name),
    created_at: at,
    updated_at: at,
  };
}

/** Writes the sample's organisations into a migrated database, in transactions of 5,000. */
async function bulkLoad(databaseUrl: string, organisations: readonly SampleOrganisation[]): Promise<number> {
  const started = performance.now();
  const handle = createDb(databaseUrl);
  try {
    const at = new Date().toISOString();
    for (let i = 0; i < organisations.length; i += 5000) {
      const rows = emptySeedRows();
      rows.organisations = organisations.slice(i, i + 5000).map((o) => organisationRow(o, at));
      await insertSeedRows(handle.db, rows);
    }
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}

interface CliScan {
  wallMs: number;
  scanSeconds: number | null;
  peakRssBytes: number | null;
  pairs: RefPair[];
  autoMergeable: number;
  output: string;
}

/** `maillage dedupe --report` in its own process, its memory polled until it exits. */
async function cliScan(env: Record<string, string>, report: string): Promise<CliScan> {
  const started = performance.now();
  const tracked = spawnTracked(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'dedupe', '--report', report], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'production', LOG_LEVEL: 'warn', JOBS: 'off', ...env },
  });
  let peak: number | null = null;
  let done = false;
  const exited = tracked.exited.then((code) => {
    done = true;
    return code;
  });
  while (!done) {
    const memory = readMemory(tracked.pid);
    if (memory && Number.isFinite(memory.peakRssBytes)) peak = Math.max(peak ?? 0, memory.peakRssBytes);
    await sleep(25);
  }
  const code = await exited;
  const wallMs = performance.now() - started;
  const output = tracked.output();
  if (code !== 0) throw new Error(`maillage dedupe exited with ${code}:\n${output}`);
  // The header is in French; the columns are read by position.
  const rows = parse(fs.readFileSync(report, 'utf8'), { delimiter: ';', columns: [...REPORT_COLUMNS], from_line: 2, bom: true }) as Record<string, string>[];
  const seconds = /\(([\d\s,]+) s\)/.exec(output);
  return {
    wallMs,
    scanSeconds: seconds ? Number(seconds[1]!.replace(/\s/g, '').replace(',', '.')) : null,
    peakRssBytes: peak,
    pairs: rows.map((r) => [r['a_source_ref']!, r['b_source_ref']!] as const),
    autoMergeable: rows.filter((r) => SURE_DECISIONS.has(r['decision']!)).length,
    output,
  };
}

/** The report's decisions of a pair sure enough to merge automatically (merged by the run, or not with --auto-merge off). */
const SURE_DECISIONS = new Set([translator('fr')('duplicates.decision.auto'), translator('fr')('duplicates.decision.reviewAuto')]);

const scenario: Scenario = {
  name: 'duplicates',
  description: 'Full duplicate scan of predecessors-large (~51,000 organisations): in process and through the database (maillage dedupe), wall time, peak RSS, pairs, precision/recall/F1 and the baseline',
  async run({ log }) {
    log('reading the sample (predecessors-large)…');
    let started = performance.now();
    const { organisations, records, truth } = loadPredecessors('predecessors-large');
    const loadMs = performance.now() - started;

    log(`in-process scan of ${records.length} records…`);
    started = performance.now();
    const detection = detectDuplicates(records);
    const detectMs = performance.now() - started;
    const inProcessPeak = peakRss();
    const engine = evaluatePairs(
      detection.pairs.map((p) => [p.a.id, p.b.id] as const),
      truth,
    );
    started = performance.now();
    const baseline = evaluatePairs(baselinePairs(records), truth);
    const baselineMs = performance.now() - started;

    const databases: Record<string, { loadMs: number; scan: CliScan; evaluation: Evaluation; size?: unknown }> = {};
    log('SQLite: migrating and loading the organisations…');
    const dataDir = await prepareDataDir();
    const sqliteUrl = `sqlite:${path.join(dataDir, 'maillage.db')}`;
    const sqliteLoadMs = await bulkLoad(sqliteUrl, organisations);
    log('SQLite: maillage dedupe…');
    const sqliteScan = await cliScan({ DATA_DIR: dataDir, DATABASE_URL: sqliteUrl }, path.join(dataDir, 'pairs.csv'));
    databases['sqlite'] = { loadMs: sqliteLoadMs, scan: sqliteScan, evaluation: evaluatePairs(sqliteScan.pairs, truth), size: sqliteSize(dataDir) };

    if (await postgresReachable()) {
      let scratch: ScratchDatabase | null = null;
      try {
        scratch = await createScratchDatabase();
        const env = { DATABASE_URL: scratch.url };
        const pgDir = await prepareDataDir(env);
        log('PostgreSQL: loading the organisations…');
        const pgLoadMs = await bulkLoad(scratch.url, organisations);
        log('PostgreSQL: maillage dedupe…');
        const pgScan = await cliScan({ DATA_DIR: pgDir, ...env }, path.join(pgDir, 'pairs.csv'));
        databases['postgres'] = { loadMs: pgLoadMs, scan: pgScan, evaluation: evaluatePairs(pgScan.pairs, truth) };
      } finally {
        await scratch?.drop();
      }
    } else {
      log('PostgreSQL unreachable: SQLite only.');
    }

    const quality: Table = {
      title: `Duplicates on predecessors-large (${formatNumber(records.length)} records, ${formatNumber(truth.length)} true pairs)`,
      columns: ['method', 'pairs', 'precision', 'recall', 'F1'],
      rows: [
        ['engine, in process (auto-merge + review)', formatNumber(engine.predicted), engine.precision.toFixed(4), engine.recall.toFixed(4), engine.f1.toFixed(4)],
        ...Object.entries(databases).map(([name, d]) => [`engine, maillage dedupe on ${name}`, formatNumber(d.evaluation.predicted), d.evaluation.precision.toFixed(4), d.evaluation.recall.toFixed(4), d.evaluation.f1.toFixed(4)]),
        ['baseline: same normalised name or same e-mail', formatNumber(baseline.predicted), baseline.precision.toFixed(4), baseline.recall.toFixed(4), baseline.f1.toFixed(4)],
      ],
    };
    const speed: Table = {
      title: `Full scan wall time (goal ≤ ${SCAN_GOAL_SECONDS} s) and peak RSS of maillage dedupe (goal < ${formatBytes(PEAK_RSS_GOAL_BYTES)})`,
      columns: ['run', 'wall s', 'scan s', 'peak RSS', 'pairs compared', 'candidates', 'auto-mergeable'],
      rows: [
        ['in process (records already in memory)', formatNumber(detectMs / 1000, 1), formatNumber(detectMs / 1000, 1), `${formatBytes(inProcessPeak)} (bench process)`, formatNumber(detection.compared), formatNumber(detection.pairs.length), formatNumber(detection.pairs.filter((p) => p.autoMergeable).length)],
        ...Object.entries(databases).map(([name, d]) => [
          `maillage dedupe on ${name} (process start to exit)`,
          formatNumber(d.scan.wallMs / 1000, 1),
          d.scan.scanSeconds === null ? '–' : formatNumber(d.scan.scanSeconds, 1),
          formatBytes(d.scan.peakRssBytes),
          '–',
          formatNumber(d.scan.pairs.length),
          formatNumber(d.scan.autoMergeable),
        ]),
      ],
    };
    return {
      dataSize: { records: records.length, truthPairs: truth.length, sqlite: databases['sqlite']?.size },
      settings: { sample: 'predecessors-large', scanGoalSeconds: SCAN_GOAL_SECONDS, peakRssGoalBytes: PEAK_RSS_GOAL_BYTES },
      figures: {
        csvLoadMs: round(loadMs, 0),
        inProcess: {
          detectMs: round(detectMs, 0),
          peakRssBytes: inProcessPeak,
          compared: detection.compared,
          allPairs: (records.length * (records.length - 1)) / 2,
          candidates: detection.pairs.length,
          autoMergeable: detection.pairs.filter((p) => p.autoMergeable).length,
          engine: figuresOf(engine),
        },
        baseline: { ...figuresOf(baseline), ms: round(baselineMs, 0) },
        databases: Object.fromEntries(
          Object.entries(databases).map(([name, d]) => [
            name,
            {
              bulkLoadMs: round(d.loadMs, 0),
              cliWallMs: round(d.scan.wallMs, 0),
              scanSeconds: d.scan.scanSeconds,
              peakRssBytes: d.scan.peakRssBytes,
              candidates: d.scan.pairs.length,
              autoMergeable: d.scan.autoMergeable,
              withinGoal: d.scan.wallMs / 1000 <= SCAN_GOAL_SECONDS,
              peakRssWithinGoal: d.scan.peakRssBytes !== null && d.scan.peakRssBytes < PEAK_RSS_GOAL_BYTES,
              engine: figuresOf(d.evaluation),
            },
          ]),
        ),
      },
      tables: [quality, speed],
    };
  },
};

export default scenario;
