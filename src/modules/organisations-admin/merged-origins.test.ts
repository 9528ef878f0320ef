import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { mergeOrganisations, undoMerge } from '../merge/index.js';

/** One organisation and its contact, as each predecessor network exported them. */
const HEADER = 'Réf;Nom structure;Type de structure;CP;Ville;Contact;Courriel contact';
const CAPCOOP = [HEADER, 'CAP-00331;Association Passerelles Palestine;Association;33000;Bordeaux;Théo Duprat;theo@example.org', ''].join('\n');
const RESODI = [HEADER, 'R00007;Collectif Soleil;Collectif;47000;Agen;Jean Martin;jean@example.org', 'R01010;Assoc. Passerelles Palestine;Association;33000;Bordeaux;Théo DUPRAT;Theo@example.org', ''].join('\n');

forEachDialect('back office: every import a record came from, its own and its merged duplicate’s', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const batches = { capcoop: '', resodi: '' };
  const ids = { kept: '', absorbed: '', person: '', duplicate: '', merge: '' };

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    batches.capcoop = (await seedBatch(t.kernel, 'capcoop-passerelles.csv', 'committed', CAPCOOP)).id;
    batches.resodi = (await seedBatch(t.kernel, 'resodi-passerelles.csv', 'committed', RESODI)).id;
    const db = t.kernel.db;
    const organisation = (batch: string) => db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch).where('name', 'like', '%Passerelles%').executeTakeFirstOrThrow();
    const person = (batch: string) => db.selectFrom('contacts').select('id').where('import_batch_id', '=', batch).where('last_name', 'in', ['Duprat', 'DUPRAT']).executeTakeFirstOrThrow();
    ids.kept = (await organisation(batches.capcoop)).id;
    ids.absorbed = (await organisation(batches.resodi)).id;
    ids.person = (await person(batches.capcoop)).id;
    ids.duplicate = (await person(batches.resodi)).id;
    const outcome = await mergeOrganisations(t.kernel, { id: null, email: 'equipe@example.org' }, { survivorId: ids.kept, absorbedId: ids.absorbed });
    assert.equal(outcome.contactsMerged, 1, 'the same person (same address) is one contact once merged');
    ids.merge = outcome.mergeId;
  });
  after(() => t.close());

  /** The « Provenance » section of a record's page, its list items. */
  async function originsOn(url: string): Promise<string[]> {
    const page = (await staff.get(url)).body;
    const start = page.indexOf('<section class="bo-section" aria-labelledby="provenance-title" id="provenance">');
    if (start < 0) return [];
    const section = page.slice(start, page.indexOf('</section>', start));
    return [...section.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!);
  }

  const capcoopLine = (row: number) => `<span>Fichier «\u00a0capcoop-passerelles.csv\u00a0», ligne ${row}, référence CAP-00331</span> · <a href="/admin/imports/${batches.capcoop}">import «\u00a0capcoop-passerelles\u00a0» du `;
  const resodiLine = (row: number) => `<span>Fichier «\u00a0resodi-passerelles.csv\u00a0», ligne ${row}, référence R01010</span> · <a href="/admin/imports/${batches.resodi}">import «\u00a0resodi-passerelles\u00a0» du `;
  const mergedTail = () => ` · <span>venue d’une fiche fusionnée dans celle-ci</span> <a href="/admin/fusions/${ids.merge}">Voir la fusion</a>`;

  test('an imported organisation’s page names its file, row, reference and import; once merged, both records’', async () => {
    const items = await originsOn(`/admin/organisations/${ids.kept}`);
    assert.equal(items.length, 2, items.join('\n'));
    assert.ok(items[0]!.startsWith(capcoopLine(2)), items[0]);
    assert.ok(!items[0]!.includes('Voir la fusion'), 'the record’s own origin');
    assert.ok(items[1]!.startsWith(resodiLine(3)), items[1]);
    assert.ok(items[1]!.endsWith(mergedTail()), items[1]);
    const page = (await staff.get(`/admin/organisations/${ids.kept}`)).body;
    assert.ok(page.includes('<a href="#provenance">Provenance</a>'), 'in the table of contents');
  });

  test('a person merged from two files has both origins on their page and in their RGPD export', async () => {
    const items = await originsOn(`/admin/contacts/${ids.person}`);
    assert.equal(items.length, 2, items.join('\n'));
    assert.ok(items[0]!.startsWith(capcoopLine(2)), items[0]);
    assert.ok(items[1]!.startsWith(resodiLine(3)) && items[1]!.endsWith(mergedTail()), items[1]);

    const res = await staff.post(`/admin/contacts/${ids.person}/export`);
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    const batchRow = (id: string) => t.kernel.db.selectFrom('import_batches').select('file_sha256').where('id', '=', id).executeTakeFirstOrThrow();
    const shown = (doc.provenance.imports as Record<string, unknown>[]).map((o) => ({ ...o, imported_at: typeof o['imported_at'] }));
    assert.deepEqual(shown, [
      {
        batch_id: batches.capcoop,
        source_name: 'capcoop-passerelles',
        file: 'capcoop-passerelles.csv',
        file_sha256: (await batchRow(batches.capcoop)).file_sha256,
        row: 2,
        source_ref: 'CAP-00331',
        imported_at: 'string',
        batch_status: 'committed',
        legal_basis: { basis: 'legitimate_interest', detail: 'Test' },
        merged_from: null,
      },
      {
        batch_id: batches.resodi,
        source_name: 'resodi-passerelles',
        file: 'resodi-passerelles.csv',
        file_sha256: (await batchRow(batches.resodi)).file_sha256,
        row: 3,
        source_ref: 'R01010',
        imported_at: 'string',
        batch_status: 'committed',
        legal_basis: { basis: 'legitimate_interest', detail: 'Test' },
        merged_from: { contact_id: ids.duplicate, merge_id: ids.merge },
      },
    ]);
  });

  test('undone, the merge takes its origin back: each record names its own file again', async () => {
    await undoMerge(t.kernel, { id: null, email: 'equipe@example.org' }, ids.merge);
    const kept = await originsOn(`/admin/organisations/${ids.kept}`);
    assert.equal(kept.length, 1);
    assert.ok(kept[0]!.startsWith(capcoopLine(2)));
    const absorbed = await originsOn(`/admin/organisations/${ids.absorbed}`);
    assert.equal(absorbed.length, 1);
    assert.ok(absorbed[0]!.startsWith(resodiLine(3)) && !absorbed[0]!.includes('Voir la fusion'), absorbed[0]);
    const doc = JSON.parse((await staff.post(`/admin/contacts/${ids.person}/export`)).body);
    assert.deepEqual(
      (doc.provenance.imports as { file: string }[]).map((o) => o.file),
      ['capcoop-passerelles.csv'],
    );
    assert.equal((await originsOn(`/admin/contacts/${ids.duplicate}`)).length, 1);
  });
});
