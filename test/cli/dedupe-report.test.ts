// `maillage dedupe --report paires.csv`: a CSV a script reads as easily as a spreadsheet — headers
// with plain spaces (no U+00A0 / U+202F from the French typography) — with both records' commune,
// to check a pair by eye.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { forEachDialect } from '../helpers/db.js';
import { type CliTarget, cliTarget, runMaillage } from '../helpers/cli.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-cli-dedupe-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

forEachDialect('maillage dedupe --report', (dialect) => {
  let t: CliTarget;
  before(async () => {
    t = await cliTarget(dialect, fs.mkdtempSync(path.join(scratch, 'data-')), 'maillage_cli_dedupe');
  });
  after(() => t.close());

  test('plain spaces in the header, both records’ communes', async () => {
    const env = { ...t.env, LOG_LEVEL: 'silent', GEOCODER_URL: '' };
    const file = path.join(scratch, `amis-${dialect}.csv`);
    fs.writeFileSync(file, 'Réf;Nom structure;CP;Ville\r\nA1;Association Les Amis de Kpalimé;33600;Pessac\r\nA2;Asso Les Amis de Kpalime;33600;Pessac\r\nA3;Eau sans frontières Vienne;86000;Poitiers\r\n');
    const imported = await runMaillage(['import', file, '--source', 'amis', '--mode', 'valid-only'], env);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);

    const report = path.join(scratch, `paires-${dialect}.csv`);
    const run = await runMaillage(['dedupe', '--report', report], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const text = fs.readFileSync(report, 'utf8');
    const header = text.slice(1, text.indexOf('\r\n'));
    assert.doesNotMatch(header, /[\u00a0\u202f]/, 'no no-break space in the header');
    assert.deepEqual(header.split(';'), [
      'Score', 'Poids des indices (bits)', 'Décision', 'Raisons',
      'A : identifiant', 'A : nom', 'A : commune', 'A : fichier d’origine', 'A : référence d’origine',
      'B : identifiant', 'B : nom', 'B : commune', 'B : fichier d’origine', 'B : référence d’origine',
    ]);
    const rows = parse(text, { delimiter: ';', columns: true, bom: true }) as Record<string, string>[];
    assert.equal(rows.length, 1, text);
    const pair = rows[0]!;
    assert.deepEqual([pair['A : commune'], pair['B : commune']], ['Pessac (33600)', 'Pessac (33600)']);
    assert.deepEqual([pair['A : référence d’origine'], pair['B : référence d’origine']].sort(), ['A1', 'A2']);
  });
});
