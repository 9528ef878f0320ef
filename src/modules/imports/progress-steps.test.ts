// The progress of an import moves at least every ~500 rows (or every second): chunks are sized by
// the pace (first 500 rows, then about a second's worth), not 5,000 rows at once on SQLite — an
// 8,000-row file went 0 % → 62.5 % → 100 %, a 1,000-row file from 0 to 100.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { testConfig } from '../../../test/helpers/app.js';
import { forEachDialect, testDb } from '../../../test/helpers/db.js';
import { createKernel } from '../../kernel/create-kernel.js';
import { createBatch, importDeps, inspectFile, queueCommit, runCommit, validateBatch } from './index.js';
import { MIN_CHUNK_ROWS, pacedChunkRows } from './commit.js';

test('a chunk is about a second of rows at the pace so far, between 500 rows and the dialect’s largest', () => {
  assert.equal(pacedChunkRows(0, 0, 5000), MIN_CHUNK_ROWS, 'the first chunk, before any pace is known');
  assert.equal(pacedChunkRows(500, 0.25, 5000), 2000);
  assert.equal(pacedChunkRows(20_000, 1, 5000), 5000, 'fast: the largest chunk, as before');
  assert.equal(pacedChunkRows(20_000, 1, 1000), 1000, 'PostgreSQL’s largest');
  assert.equal(pacedChunkRows(300, 3, 5000), MIN_CHUNK_ROWS, 'slow: still a report every 500 rows');
});

forEachDialect('import progress', (dialect) => {
  test('a 1,300-row file reports its progress after its first 500 rows, not only at its end', async (t) => {
    const db = await testDb(dialect);
    const kernel = createKernel(testConfig(db, 'smtp://127.0.0.1:9'), { dbHandle: db });
    t.after(async () => {
      await kernel.mail.close();
      await db.close();
    });
    const deps = importDeps(kernel);
    const file = path.join(db.dataDir, 'progression.csv');
    const rows = Array.from({ length: 1300 }, (_, i) => `P${i + 1};Association numéro ${i + 1};33000;Bordeaux`);
    fs.writeFileSync(file, ['Réf;Nom structure;CP;Ville', ...rows].join('\r\n'));
    const actor = { id: null, email: null };
    const inspection = await inspectFile(deps, file, fs.statSync(file).size);
    const batch = await createBatch(deps, actor, { filePath: file, fileName: 'progression.csv', sourceName: 'progression', inspection });
    await validateBatch(deps, batch.id);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: { basis: 'legitimate_interest', detail: 'Test' }, inline: true });

    const reported: number[] = [];
    const done = await runCommit(deps, actor, batch.id, { onProgress: (b) => reported.push(b.processed_rows) });
    assert.equal(done.created_organisations, 1300);
    assert.equal(reported[0], 500, `progress reported at ${reported.join(', ')} rows`);
    assert.ok(reported.length >= 2 && reported.at(-1) === 1300, reported.join(', '));
    for (let i = 1; i < reported.length; i++) assert.ok(reported[i]! > reported[i - 1]!, 'in order');
    // Each report is a chunk written: the checkpoint moved with it.
    assert.equal(done.checkpoint_row, 1301);
  });
});
