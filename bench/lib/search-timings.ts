// Child process of the directory scenario: times the directory search in-process (searchDirectory +
// directoryFacets, then the raw full-text query alone) and prints one JSON line per query, so the
// harness keeps what was measured even when it has to stop a query that runs for too long.
// Usage: node --import tsx bench/lib/search-timings.ts <databaseUrl> <sqlite|postgres> <queries.json>
import fs from 'node:fs';
import { sql } from 'kysely';
import { createDb, type Dialect } from '../../src/kernel/db/create-db.js';
import { directoryFacets, ftsExpression, parseDirectoryQuery, searchDirectory } from '../../src/modules/organisations/index.js';

const [databaseUrl, dialectArg, queriesFile] = process.argv.slice(2);
const dialect = dialectArg as Dialect;
const queries = JSON.parse(fs.readFileSync(queriesFile!, 'utf8')) as Record<string, string>[];


const handle = createDb(databaseUrl!, { poolSize: 10 });
const db = handle.db;
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function search(raw: Record<string, string>): Promise<number> {
  const p = parseDirectoryQuery(raw, null);
  const [page] = await Promise.all([searchDirectory(db, dialect, p.filter, p.tokens), directoryFacets(db, dialect, p.filter, p.tokens)]);
  return page.total;
}

async function rawFts(raw: Record<string, string>): Promise<boolean> {
  const tokens = parseDirectoryQuery(raw, null).tokens;
  if (!tokens.length) return false;
  const q = ftsExpression(tokens, dialect);
  if (dialect === 'postgres') await sql`select count(*) as n from organisations where search_vector @@ to_tsquery('simple', ${q})`.execute(db);
  else await sql`select count(*) as n from organisations_fts where organisations_fts match ${q}`.execute(db);
  return true;
}

try {
  // Raw FTS first (it is quick): warm-up pass, then the measured one.
  for (const raw of queries) await rawFts(raw);
  for (const raw of queries) {
    const started = performance.now();
    if (await rawFts(raw)) emit({ phase: 'fts', ms: performance.now() - started });
  }
  // A few searches to warm caches and the JIT, then every query once, measured.
  for (const raw of queries.slice(0, 5)) await search(raw);
  for (const raw of queries) {
    const started = performance.now();
    const total = await search(raw);
    emit({ phase: 'search', query: new URLSearchParams(raw).toString(), ms: performance.now() - started, total });
  }
  emit({ phase: 'done' });
} finally {
  await handle.close();
}
