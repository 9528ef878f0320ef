// Imports: `maillage import` of both predecessor exports of predecessors-large/ (~51,000 records)
// into a fresh DATA_DIR, each file in its own process exactly as an operator runs it, on SQLite and
// (when reachable) PostgreSQL: rows/s of the whole import (detection + validation report + commit +
// planner statistics) and of the commit alone, peak resident memory (VmHWM, polled, and the process's own maxRSS).
// Then the write floor (lib/write-floor.ts): the same rows written back by the database alone, the
// most any import could reach on this machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CHUNK_ROWS } from '../../src/modules/imports/commit.js';
import { sharedDir } from '../../test/helpers/paths.js';
import { prepareDataDir } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { createScratchDatabase, postgresReachable, postgresSize, type ScratchDatabase } from '../lib/postgres.js';
import { readMemory, sleep, spawnTracked } from '../lib/processes.js';
import { postgresWriteFloor, sqliteWriteFloor, type WriteFloor } from '../lib/write-floor.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const FILES = ['capcoop_export_2016.csv', 'resodi_export_2016.csv'];
/** Peak RSS: the 300 MB, decimal (286.1 MiB, as the tables print it). */
const GOALS = { rowsPerSecond: 10_000, peakRssBytes: 300_000_000 };

interface FileRun {
  file: string;
  rows: number;
  organisations: number;
  contacts: number;
  detectionSeconds: number;
  validationSeconds: number;
  commitSeconds: number;
  /** The planner's statistics refreshed after the commit (the records are in the base already). */
  statisticsSeconds: number;
  /** Detection + validation + commit, as the command measures them (process start excluded). */
  importSeconds: number;
  /** Spawn to exit, tsx start-up and migrations check included. */
  processSeconds: number;
  rowsPerSecond: number;
  commitRowsPerSecond: number;
  peakRssBytes: number;
  /** User + system CPU seconds of the process (all its threads), last polled before it exited. */
  cpuSeconds: number;
  /** One-minute load average of the machine when the process started and when it ended (2 cores: above ~2, wall times stretch). */
  loadAverage: [number, number];
}

/** CPU seconds (user + system) used so far by a process (Linux; NaN elsewhere or once it is gone). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** "1 234,5" (French formatting, narrow spaces) → 1234.5 */
const frNumber = (text: string) => Number(text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));

function environment(dataDir: string, databaseUrl?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JOBS: 'off',
    GEOCODER_URL: '',
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

async function importOne(file: string, dataDir: string, databaseUrl: string | undefined): Promise<FileRun> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const child = spawnTracked(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', file, '--mode', 'valid-only'], { env: environment(dataDir, databaseUrl) });
  let peak = 0;
  let cpu = 0;
  let ended = false;
  void child.exited.then(() => (ended = true));
  while (!ended) {
    // A process that has just exited (zombie) has no VmHWM line any more: NaN is skipped.
    const hwm = readMemory(child.pid)?.peakRssBytes ?? 0;
    if (Number.isFinite(hwm)) peak = Math.max(peak, hwm);
    const used = cpuSecondsOf(child.pid);
    if (Number.isFinite(used)) cpu = Math.max(cpu, used);
    await sleep(50);
  }
  const code = await child.exited;
  const processSeconds = (performance.now() - started) / 1000;
  const out = child.output();
  if (code !== 0) throw new Error(`maillage import ${file} exited with ${code}:\n${out}`);
  const phases = /Durées\s: détection ([\d,]+) s\s; validation ([\d,]+) s\s; écriture ([\d,]+) s\s; (?:statistiques ([\d,]+) s\s; )?total ([\d,]+) s/.exec(out);
  const created = /Terminé en .*\s: ([\d\s\u202f]+) structures? et ([\d\s\u202f]+) contacts? créés/.exec(out);
  const validation = /Validation\s: ([\d\s\u202f]+) lignes?\b/.exec(out);
  const maxRss = /Mémoire maximale\s: ([\d\s\u202f,]+) Mo/.exec(out);
  if (!phases || !created || !validation || !maxRss) throw new Error(`unexpected output of maillage import:\n${out}`);
  const rows = frNumber(validation[1]!);
  const [detectionSeconds, validationSeconds, commitSeconds, statisticsSeconds, importSeconds] = phases.slice(1, 6).map((t) => (t === undefined ? 0 : frNumber(t))) as [number, number, number, number, number];
  return {
    file: path.basename(file),
    rows,
    organisations: frNumber(created[1]!),
    contacts: frNumber(created[2]!),
    detectionSeconds,
    validationSeconds,
    commitSeconds,
    statisticsSeconds,
    importSeconds,
    processSeconds: round(processSeconds, 2),
    rowsPerSecond: Math.round(rows / importSeconds),
    commitRowsPerSecond: Math.round(rows / commitSeconds),
    // The polled VmHWM may miss the last 50 ms; the process's own maxRSS does not.
    peakRssBytes: Math.max(peak, frNumber(maxRss[1]!) * 1024 * 1024),
    cpuSeconds: round(cpu, 2),
    loadAverage: [round(loadAtStart, 2), round(os.loadavg()[0]!, 2)],
  };
}

interface DialectResult {
  files: FileRun[];
  rows: number;
  importSeconds: number;
  rowsPerSecond: number;
  commitRowsPerSecond: number;
  peakRssBytes: number;
  goalsMet: { rowsPerSecond: boolean; peakRss: boolean };
}

async function runDialect(log: (m: string) => void, label: string, databaseUrl?: string): Promise<{ result: DialectResult; dataDir: string }> {
  const dataDir = await prepareDataDir(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  const files: FileRun[] = [];
  for (const name of FILES) {
    log(`${label}: maillage import predecessors-large/${name}`);
    files.push(await importOne(sharedDir('samples', 'predecessors-large', name), dataDir, databaseUrl));
  }
  const rows = files.reduce((s, f) => s + f.rows, 0);
  const importSeconds = files.reduce((s, f) => s + f.importSeconds, 0);
  const commitSeconds = files.reduce((s, f) => s + f.commitSeconds, 0);
  const peakRssBytes = Math.max(...files.map((f) => f.peakRssBytes));
  const rowsPerSecond = Math.round(rows / importSeconds);
  return {
    dataDir,
    result: {
      files,
      rows,
      importSeconds: round(importSeconds, 2),
      rowsPerSecond,
      commitRowsPerSecond: Math.round(rows / commitSeconds),
      peakRssBytes,
      goalsMet: { rowsPerSecond: rowsPerSecond >= GOALS.rowsPerSecond, peakRss: peakRssBytes < GOALS.peakRssBytes },
    },
  };
}

function floorTable(floors: [label: string, floor: WriteFloor][]): Table {
  return {
    title: 'write floor: the imported rows written back by the database alone (one transaction, no JavaScript); keys only: without the directory’s secondary and full-text indexes',
    columns: ['database', 'organisations', 'rows in all tables', 'seconds', 'organisations/s', 'keys only: s', 'keys only: organisations/s'],
    rows: floors.map(([label, f]) => [
      label,
      formatNumber(f.organisations),
      formatNumber(f.rows),
      formatNumber(f.seconds, 2),
      formatNumber(f.organisationsPerSecond),
      formatNumber(f.keysOnly.seconds, 2),
      `${formatNumber(f.keysOnly.organisationsPerSecond)} (${f.keysOnly.secondaryIndexes} secondary indexes and full text set aside)`,
    ]),
  };
}

function table(label: string, r: DialectResult): Table {
  const rows = r.files.map((f) => [
    f.file,
    formatNumber(f.rows),
    formatNumber(f.detectionSeconds, 2),
    formatNumber(f.validationSeconds, 2),
    formatNumber(f.commitSeconds, 2),
    formatNumber(f.statisticsSeconds, 2),
    formatNumber(f.rowsPerSecond),
    formatNumber(f.commitRowsPerSecond),
    formatBytes(f.peakRssBytes),
    formatNumber(f.processSeconds, 1),
    formatNumber(f.cpuSeconds, 1),
    f.loadAverage.map((l) => formatNumber(l, 1)).join(' → '),
  ]);
  rows.push([
    'both files',
    formatNumber(r.rows),
    '',
    '',
    '',
    '',
    `${formatNumber(r.rowsPerSecond)} (goal ≥ ${formatNumber(GOALS.rowsPerSecond)})`,
    formatNumber(r.commitRowsPerSecond),
    `${formatBytes(r.peakRssBytes)} (goal < ${formatBytes(GOALS.peakRssBytes)})`,
    '',
    '',
    '',
  ]);
  return {
    title: `maillage import, predecessors-large/ — ${label}`,
    columns: ['file', 'rows', 'detect s', 'validate s', 'commit s', 'stats s', 'rows/s (all)', 'rows/s (commit)', 'peak RSS', 'process s', 'process CPU s', 'load avg'],
    rows,
  };
}

const scenario: Scenario = {
  name: 'imports',
  description: 'maillage import of predecessors-large/ (~51,000 rows): rows/s and peak RSS, SQLite and PostgreSQL',
  async run({ log }) {
    const figures: Record<string, unknown> = { goals: GOALS };
    const dataSize: Record<string, unknown> = {};
    const tables: Table[] = [];

    const sqlite = await runDialect(log, 'SQLite');
    figures['sqlite'] = sqlite.result;
    dataSize['sqlite'] = sqliteSize(sqlite.dataDir);
    tables.push(table('SQLite', sqlite.result));
    log('SQLite: write floor');
    const floors: [string, WriteFloor][] = [['SQLite', await sqliteWriteFloor(sqlite.dataDir)]];

    if (await postgresReachable()) {
      let scratch: ScratchDatabase | null = null;
      try {
        scratch = await createScratchDatabase(`maillage_bench_imports_${process.pid}`);
        const postgres = await runDialect(log, 'PostgreSQL', scratch.url);
        figures['postgres'] = postgres.result;
        dataSize['postgres'] = await postgresSize(scratch.url);
        tables.push(table('PostgreSQL', postgres.result));
        log('PostgreSQL: write floor');
        floors.push(['PostgreSQL', await postgresWriteFloor(scratch.url)]);
      } finally {
        await scratch?.drop();
      }
    } else {
      log('PostgreSQL not reachable: SQLite only');
      figures['postgres'] = null;
    }
    figures['writeFloor'] = Object.fromEntries(floors.map(([label, f]) => [label.toLowerCase(), f]));
    tables.push(floorTable(floors));
    return { dataSize, settings: { files: FILES.map((f) => `predecessors-large/${f}`), mode: 'valid-only', chunkRows: DEFAULT_CHUNK_ROWS }, figures, tables };
  },
};

export default scenario;
