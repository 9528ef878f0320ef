// A file whose content was imported before (same SHA-256, whatever its name or source) is said to
// be so as soon as it is given: on the wizard's file step, which lets staff go on deliberately,
// and by `maillage import`, which refuses it under another source unless `--again`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { SMALL_CSV, seedBatch } from '../../../test/helpers/import-batches.js';
import { EXIT } from './cli.js';
import { importDeps, runImportCommand, undoBatch } from './index.js';

/** A date and time as formatDateTime writes them, in French or English. */
const DATE_TIME = String.raw`\d{1,2}(?:er)? [\p{L}.]+ \d{4}(?:,| à) \d{2}:\d{2}`;

forEachDialect('a file imported before, given again', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let dir: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
    dir = path.join(t.config.dataDir, 'fichiers');
    fs.mkdirSync(dir, { recursive: true });
  });
  after(() => t.close());

  async function upload(filename: string, content: string, source: string) {
    await staff.get('/admin/imports');
    const sent = await staff.postMultipart('/admin/imports', { source }, [{ field: 'fichier', filename, content: Buffer.from(content), type: 'text/csv' }]);
    assert.equal(sent.statusCode, 303, sent.body);
    return String(sent.headers['location']);
  }

  test('the wizard says so on the file step, with a link to that import, and lets staff go on', async () => {
    const first = await seedBatch(t.kernel, 'adherents_2016.csv', 'committed');
    assert.equal(first.status, 'committed');

    // Another name, another source, the same bytes.
    const step = await upload('copie.csv', SMALL_CSV, 'Autre nom');
    const page = await staff.get(step);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`Ce fichier a déjà été importé le ${DATE_TIME} \\(lot ${first.id}, source adherents_2016\\)\\.`, 'u'));
    assert.match(page.body, new RegExp(`<a href="/admin/imports/${first.id}">Voir l’import du ${DATE_TIME}</a>`, 'u'));
    // Going on is possible, and said to be deliberate; deleting the upload is offered.
    const id = step.split('/')[3]!;
    assert.match(page.body, new RegExp(`href="/admin/imports/${id}/correspondance"[^>]*>Continuer malgré tout\u00a0: correspondance des colonnes<`));
    assert.match(page.body, new RegExp(`href="/admin/imports/${id}#supprimer">Supprimer ce téléversement<`));
    assert.equal((await staff.get(`/admin/imports/${id}/correspondance`)).statusCode, 200);
    // In English too.
    const english = await staff.get(step, { 'accept-language': 'en' });
    assert.match(english.body, new RegExp(`This file was already imported on [^(]+ \\(batch ${first.id}, source adherents_2016\\)\\.`));

    // A file never imported says nothing of the kind.
    const other = await staff.get(await upload('autre.csv', `${SMALL_CSV}Amicale Nouvelle;Association;33000;Bordeaux;\n`, 'autre'));
    assert.doesNotMatch(other.body, /déjà été importé/);
    assert.match(other.body, />Continuer\u00a0: correspondance des colonnes</);

    // Once that import is undone, the file is no longer « already imported ».
    await undoBatch(importDeps(t.kernel), { id: null, email: null }, first.id);
    const again = await staff.get(step);
    assert.doesNotMatch(again.body, /déjà été importé/);
  });

  test('`maillage import` refuses it under another source unless --again, and has nothing to do under the same one', async () => {
    const file = path.join(dir, 'reseau.csv');
    fs.writeFileSync(file, 'Réf;Nom structure;CP;Ville\r\nR1;Eau Vive Gironde;33000;Bordeaux\r\nR2;Solidarité Pessac;33600;Pessac\r\n');
    const run = async (options: { source: string; again?: boolean; name?: string }) => {
      const lines: string[] = [];
      let target = file;
      if (options.name) {
        target = path.join(dir, options.name);
        fs.copyFileSync(file, target);
      }
      const code = await runImportCommand(t.kernel, { file: target, source: options.source, mode: 'valid-only', again: options.again }, { log: (line) => lines.push(line) });
      return { code, out: lines.join('\n') };
    };
    const count = async () => Number((await t.kernel.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const organisations = async () => (await count()) - before;

    const first = await run({ source: 'reseau' });
    assert.equal(first.code, EXIT.ok, first.out);
    const batch = /maillage import:undo ([0-9a-f-]{36})/.exec(first.out)![1]!;
    assert.equal(await organisations(), 2);

    // The same content under another name and another source: refused, said at once, nothing read further.
    const refused = await run({ source: 'Autre nom', name: 'copie-renommee.csv' });
    assert.equal(refused.code, EXIT.refused, refused.out);
    assert.match(refused.out, new RegExp(`^Ce fichier a déjà été importé le ${DATE_TIME} \\(lot ${batch}, source reseau\\)\\.$`, 'mu'));
    assert.match(refused.out, /^Cet import a créé 2 structures et 0 contact\.$/m);
    assert.match(refused.out, new RegExp(`^Voir cet import\u00a0: http://localhost:3000/admin/imports/${batch}$`, 'm'));
    assert.match(refused.out, /^Import refusé\u00a0: pour l’importer quand même sous la source «\u00a0Autre nom\u00a0», relancez avec --again\.$/m);
    assert.doesNotMatch(refused.out, /^Validation/m);
    assert.equal(await organisations(), 2);

    // Under the same source: nothing to do (a re-run), as before.
    const same = await run({ source: 'reseau' });
    assert.equal(same.code, EXIT.ok, same.out);
    assert.match(same.out, /^Rien à faire\. Pour l’importer à nouveau .* relancez avec --again\.$/m);
    assert.equal(await organisations(), 2);

    // Deliberately, with --again: imported once more, in a batch of its own.
    const again = await run({ source: 'Autre nom', again: true, name: 'copie-renommee.csv' });
    assert.equal(again.code, EXIT.ok, again.out);
    assert.match(again.out, /^--again\u00a0: le fichier est importé à nouveau\.$/m);
    assert.match(again.out, /^Terminé en .*\u00a0: 2 structures et 0 contact créés/m);
    assert.notEqual(/maillage import:undo ([0-9a-f-]{36})/.exec(again.out)![1], batch);
    assert.equal(await organisations(), 4);
  });
});
