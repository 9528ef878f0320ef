// What an import's page says once it is undone (what the undo removed, not « 2 structures
// créées »), and the import of a file already imported from the same source, which wrote nothing:
// it is deleted, not undone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { findBatch, importDeps, undoBatch } from './index.js';

const WITH_REFS = 'Réf;Nom structure;CP;Ville\nR1;Association Lune;33000;Bordeaux\nR2;Collectif Soleil;47000;Agen\nR3;Amicale Étoile;33600;Pessac\n';

function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, '’').replace(/\s+/g, ' ');
}

forEachDialect('an undone import, and an import that wrote nothing', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
  });
  after(() => t.close());

  test('an undone import says what its undo removed, on its page and in the list', async () => {
    const batch = await seedBatch(t.kernel, 'lune.csv', 'committed', WITH_REFS);
    assert.equal(batch.created_organisations, 3);
    // One of its organisations deleted by hand before the undo: the undo removes the two left.
    const [one] = await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute();
    await t.kernel.db.deleteFrom('organisations').where('id', '=', one!.id).execute();
    await undoBatch(importDeps(t.kernel), { id: null, email: null }, batch.id);

    const page = await staff.get(`/admin/imports/${batch.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<ul class="stats" aria-label="Ce que l’annulation a retiré">/);
    assert.match(page.body, /2<\/span><span class="stat-label">structures retirées</);
    assert.match(page.body, /0<\/span><span class="stat-label">contact retiré</);
    assert.doesNotMatch(page.body, /structures? créées?/);
    assert.match(text(page.body), /Import annulé le .+ : 2 structures et 0 contact qu’il avait créés ont été retirés\./);
    const english = await staff.get(`/admin/imports/${batch.id}`, { 'accept-language': 'en' });
    assert.match(english.body, /2<\/span><span class="stat-label">organisations removed</);

    const list = await staff.get('/admin/imports');
    const row = list.body.slice(list.body.indexOf('lune.csv'));
    assert.match(row.slice(0, row.indexOf('</tr>')), /2 structures retirées, 0 contact retiré/);
  });

  test('the same file imported again from the same source wrote nothing: « Supprimer », not « Annuler cet import »', async () => {
    const first = await seedBatch(t.kernel, 'soleil.csv', 'committed', WITH_REFS.replace(/R(\d)/g, 'S$1'));
    assert.equal(first.created_organisations, 3);
    const again = await seedBatch(t.kernel, 'soleil.csv', 'committed', WITH_REFS.replace(/R(\d)/g, 'S$1'));
    assert.deepEqual([again.status, again.created_organisations, again.created_contacts, again.skipped_rows], ['committed', 0, 0, 3]);

    const page = await staff.get(`/admin/imports/${again.id}`);
    assert.doesNotMatch(page.body, /Annuler cet import/);
    assert.match(page.body, /id="supprimer"/);
    const list = await staff.get('/admin/imports');
    assert.match(list.body, new RegExp(`href="/admin/imports/${again.id}#supprimer"`));
    // The first one, which wrote its records, is undone as before.
    assert.match((await staff.get(`/admin/imports/${first.id}`)).body, /Annuler cet import/);
    await assert.rejects(undoBatch(importDeps(t.kernel), { id: null, email: null }, again.id), /n’a rien écrit/);

    const deleted = await staff.post(`/admin/imports/${again.id}/supprimer`, { confirmer: '1' });
    assert.equal(deleted.statusCode, 303);
    assert.equal(await findBatch(t.kernel.db, again.id), undefined);
    assert.equal((await findBatch(t.kernel.db, first.id))?.status, 'committed', 'the first import stays');
    const kept = await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', first.id).execute();
    assert.equal(kept.length, 3);
  });
});
