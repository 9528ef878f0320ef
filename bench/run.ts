// npm run bench [-- <scenario>… --connections N --duration S --warmup S --list]
// Runs every scenario of bench/scenarios/ (or those named), prints a table per scenario and writes
// bench/results/<scenario>.json. Every process a scenario starts is killed at the end, even on error.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LOAD, type LoadSettings } from './lib/load.js';
import { cleanupAll, installCleanupHandlers, repoRoot } from './lib/processes.js';
import { describeMachine, formatTable, machine, writeResult } from './lib/report.js';
import type { Scenario } from './lib/scenario.js';

const scenariosDir = path.join(repoRoot, 'bench', 'scenarios');

const USAGE = `Usage: npm run bench -- [scenario…] [options]

  scenario            file name in bench/scenarios/ without .ts (default: all of them)
  --list              list the scenarios and exit
  --connections N     concurrent connections (default ${DEFAULT_LOAD.connections})
  --duration S        measured seconds per target (default ${DEFAULT_LOAD.durationSeconds})
  --warmup S          discarded warm-up seconds before each target (default ${DEFAULT_LOAD.warmupSeconds})
`;

async function loadScenarios(): Promise<Scenario[]> {
  const files = fs
    .readdirSync(scenariosDir)
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(scenariosDir, file)).href)) as { default?: Scenario };
    const scenario = module.default;
    if (!scenario || typeof scenario.run !== 'function') throw new Error(`bench/scenarios/${file} has no default-exported scenario`);
    scenarios.push(scenario);
  }
  return scenarios;
}

function positiveNumber(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} expects a non-negative number, got ${raw}`);
  return value;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const all = await loadScenarios();
  if (values.list) {
    for (const scenario of all) console.log(`${scenario.name.padEnd(20)} ${scenario.description}`);
    return 0;
  }
  const unknown = positionals.filter((name) => !all.some((scenario) => scenario.name === name));
  if (unknown.length) {
    console.error(`Unknown scenario(s): ${unknown.join(', ')}. Available: ${all.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = positionals.length ? all.filter((scenario) => positionals.includes(scenario.name)) : all;
  const load: LoadSettings = {
    connections: positiveNumber(values.connections, 'connections', DEFAULT_LOAD.connections),
    durationSeconds: positiveNumber(values.duration, 'duration', DEFAULT_LOAD.durationSeconds),
    warmupSeconds: positiveNumber(values.warmup, 'warmup', DEFAULT_LOAD.warmupSeconds),
    pipelining: DEFAULT_LOAD.pipelining,
  };

  installCleanupHandlers();
  console.log(`Machine: ${describeMachine(machine())}\n`);
  let failures = 0;
  for (const scenario of selected) {
    const startedAt = new Date();
    const started = performance.now();
    const machineAtStart = machine();
    console.error(`▶ ${scenario.name}: ${scenario.description}`);
    if (machineAtStart.loadAverage[0]! > machineAtStart.cores / 2) {
      console.error(`  warning: load average ${machineAtStart.loadAverage[0]} on ${machineAtStart.cores} cores — figures will be skewed`);
    }
    try {
      const result = await scenario.run({ load, log: (message) => console.error(`  ${scenario.name}: ${message}`) });
      const elapsed = (performance.now() - started) / 1000;
      const file = writeResult(scenario, load, result, startedAt, elapsed, machineAtStart);
      console.log(`\n## ${scenario.name} (${elapsed.toFixed(0)} s)\n`);
      for (const table of result.tables) console.log(`${formatTable(table)}\n`);
      console.log(`→ ${path.relative(process.cwd(), file)}\n`);
    } catch (error) {
      failures++;
      console.error(`✗ ${scenario.name} failed:`, error);
    } finally {
      // A scenario that forgot to stop a process (or threw) leaves nothing behind for the next one.
      await cleanupAll();
    }
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await cleanupAll();
    process.exit(1);
  },
);
