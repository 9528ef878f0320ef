// Runs every test file with Node's test runner and a TAP report (CI reads `# pass` / `# fail`).
// Node 20 neither expands globs nor fails on zero tests, so this script does both.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromiumAvailable, inCi, postgresAvailable } from './helpers/environment.js';
import { repoRoot } from './helpers/paths.js';

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path.relative(repoRoot, full));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...findTests(path.join(repoRoot, 'src')), ...findTests(path.join(repoRoot, 'test'))]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error('Aucun fichier de test trouvé (no test files found).');
  process.exit(1);
}

const pg = await postgresAvailable();
const chromium = chromiumAvailable();
for (const [name, ok] of [
  ['PostgreSQL', pg],
  ['Chromium', chromium],
] as const) {
  if (!ok) {
    const line = `!!! ${name} est absent : ses tests seront ${inCi ? 'en ÉCHEC (CI=true)' : 'IGNORÉS'} !!!`;
    console.error(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
  }
}

// Three files at once on the two-core machines CI runs on: most files wait on PostgreSQL, SMTP or
// Chromium, and the suite took 18 minutes two at a time against 8 three at a time.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=3', ...files],
  { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
);
let testsRun = -1;
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const match = /^# tests (\d+)/m.exec(chunk.toString());
  if (match) testsRun = Number(match[1]);
});
child.on('close', (code) => {
  if (code === 0 && testsRun === 0) {
    console.error('Aucun test exécuté (no test ran).');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
