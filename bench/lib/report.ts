import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadSettings } from './load.js';
import { repoRoot } from './processes.js';
import type { ScenarioResult, Table } from './scenario.js';

export interface Machine {
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  /** 1, 5 and 15 minute load averages when the scenario started: other work skews every figure. */
  loadAverage: number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    loadAverage: os.loadavg().map((load) => round(load, 2)),
  };
}

export const resultsDir = path.join(repoRoot, 'bench', 'results');

export interface ResultFile {
  scenario: string;
  description: string;
  date: string;
  /** Wall time of the whole scenario, in seconds. */
  elapsedSeconds: number;
  machine: Machine;
  dataSize: Record<string, unknown>;
  settings: LoadSettings & Record<string, unknown>;
  figures: Record<string, unknown>;
}

/** Writes bench/results/<scenario>.json (replacing the previous run) and returns its path. */
export function writeResult(
  scenario: { name: string; description: string },
  load: LoadSettings,
  result: ScenarioResult,
  startedAt: Date,
  elapsedSeconds: number,
  machineAtStart: Machine,
): string {
  const file: ResultFile = {
    scenario: scenario.name,
    description: scenario.description,
    date: startedAt.toISOString(),
    elapsedSeconds: round(elapsedSeconds, 1),
    machine: machineAtStart,
    dataSize: result.dataSize,
    settings: { ...load, ...result.settings },
    figures: result.figures,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  const target = path.join(resultsDir, `${scenario.name}.json`);
  fs.writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
  return target;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Formats a number for the table: thousands separated by a thin space, fixed decimals. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replaceAll(',', ' ');
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '–';
  const gib = 1024 ** 3;
  if (bytes >= gib) return `${formatNumber(bytes / gib, 1)} GiB`;
  return `${formatNumber(bytes / 1024 ** 2, 1)} MiB`;
}

export function formatTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map((cell) => (cell === null ? '–' : String(cell))))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  // Text in the first column is left-aligned, figures right-aligned.
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [table.title, line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export function describeMachine(m: Machine): string {
  return `${m.cpuModel} × ${m.cores}, ${formatBytes(m.totalMemoryBytes)} RAM, Node ${m.node}, ${m.platform}/${m.arch}, load ${m.loadAverage.join(' ')}`;
}
