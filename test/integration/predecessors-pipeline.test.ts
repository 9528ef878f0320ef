// The staff's first real task, end to end through the product: both predecessor exports imported
// with the guessed mappings alone, possible duplicates flagged while the second file is validated,
// then the full scan, measured against the sample's truth file (goal: precision ≥ 0.98, recall ≥ 0.95).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../../src/kernel/clock.js';
import { evaluatePairs, scanDuplicates } from '../../src/modules/duplicates/index.js';
import { provideImportDuplicates, runImportCommand } from '../../src/modules/imports/index.js';
import { mergeCandidate } from '../../src/modules/merge/index.js';
import { testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';
import { sharedDir } from '../helpers/paths.js';
import { CAPCOOP_FILE, loadPredecessors, RESODI_FILE } from '../helpers/predecessors.js';

forEachDialect('predecessor databases through import and scan', (dialect) => {
  test('both exports import, the second warns of duplicates, and the scan meets the quality goal', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    provideImportDuplicates();
    const { organisations, truth } = loadPredecessors('predecessors');

    const outputs: string[] = [];
    for (const [file, source] of [[CAPCOOP_FILE, 'capcoop'], [RESODI_FILE, 'resodi']] as const) {
      const lines: string[] = [];
      const code = await runImportCommand(app.kernel, { file: sharedDir('samples', 'predecessors', file), source, mode: 'valid-only' }, { log: (l) => lines.push(l) });
      assert.ok(code === 0 || code === 3, `${file}: exit ${code}\n${lines.join('\n')}`);
      outputs.push(lines.join('\n'));
    }
    const imported = await app.kernel.db.selectFrom('organisations').select(['id', 'source_ref']).where('source', '=', 'import').execute();
    assert.equal(imported.length, organisations.length, 'one organisation per row of the two files');
    // Both files hold duplicates of the first one's organisations: validation says so before writing.
    assert.match(outputs[1]!, /\d[\d  ]* doublons possibles/);

    const result = await scanDuplicates({ db: app.kernel.db, clock: systemClock });
    const evaluation = evaluatePairs(
      result.pairs.map((p) => [p.a.sourceRef ?? p.a.id, p.b.sourceRef ?? p.b.id] as const),
      truth,
    );
    t.diagnostic(`precision ${evaluation.precision.toFixed(4)} recall ${evaluation.recall.toFixed(4)} F1 ${evaluation.f1.toFixed(4)} (${evaluation.predicted} pairs)`);
    assert.ok(evaluation.precision >= 0.98, `precision ${evaluation.precision}`);
    assert.ok(evaluation.recall >= 0.95, `recall ${evaluation.recall}`);

    // A pair inside the first file is merged; a corrected export of that file, imported again,
    // brings in its new row only — not the record merged away.
    const pair = result.pairs.find((p) => p.a.sourceRef?.startsWith('CAP-') && p.b.sourceRef?.startsWith('CAP-'))!;
    await mergeCandidate({ db: app.kernel.db, clock: systemClock }, { id: null, email: null }, pair.id);
    const before = await app.kernel.db.selectFrom('organisations').select('id').execute();
    const original = fs.readFileSync(sharedDir('samples', 'predecessors', CAPCOOP_FILE));
    const extra = Buffer.from('Association Nouvelle Venue;;Association;1 rue Neuve;33000;Bordeaux;;;;;;;;;;;;non;CAP-99999\r\n', 'latin1');
    const corrected = path.join(app.config.dataDir, 'capcoop_corrige.csv');
    fs.writeFileSync(corrected, Buffer.concat([original, extra]));
    const lines: string[] = [];
    const code = await runImportCommand(app.kernel, { file: corrected, source: 'capcoop', mode: 'valid-only' }, { log: (l) => lines.push(l) });
    assert.ok(code === 0 || code === 3);
    // One organisation created, the file's other rows skipped: each count agrees with its number.
    assert.match(lines.join('\n'), /Terminé en .* : 1 structure et 0 contact créés, \d[\d\s]* lignes déjà importées ignorées, /);
    const after = await app.kernel.db.selectFrom('organisations').select(['id', 'source_ref']).execute();
    assert.equal(after.length, before.length + 1);
    assert.ok(after.some((o) => o.source_ref === 'CAP-99999'));
  });
});
