import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';

/** Two organisations with their contact; the first one's SIRET fails its check digit. */
const CSV = [
  'Réf;Nom structure;Type de structure;CP;Ville;SIRET;Contact;Courriel contact',
  'R1;Association Lune;Association;33000;Bordeaux;732 829 320 00075;Awa Diop;awa@example.org',
  'R2;Collectif Soleil;Collectif;47000;Agen;;Jean Martin;jean@example.org',
  '',
].join('\n');

/** Posts a form whose fields may repeat. */
async function postForm(client: Client, url: string, fields: [string, string][]) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

forEachDialect('back office: what an import leaves on a record (flagged identifiers, provenance)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let batchId: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    batchId = (await seedBatch(t.kernel, 'reseau-lune.csv', 'committed', CSV)).id;
  });
  after(() => t.close());

  const organisation = (name: string) => t.kernel.db.selectFrom('organisations').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

  test('an identifier kept raw by the import is a visible warning on the record, until staff correct it', async () => {
    const lune = await organisation('Association Lune');
    assert.equal(lune.source_flags, '["siret"]');
    const page = await staff.get(`/admin/organisations/${lune.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="identifiants-a-verifier">Identifiants à vérifier<\/h2>/);
    assert.match(page.body, /<li>SIRET invalide conservé tel quel : 732 829 320 00075<\/li>/);
    const soleil = await organisation('Collectif Soleil');
    assert.doesNotMatch((await staff.get(`/admin/organisations/${soleil.id}`)).body, /Identifiants à vérifier/, 'nothing flagged, no warning');

    const saved = await postForm(staff, `/admin/organisations/${lune.id}`, [
      ['name', 'Association Lune'], ['kind_code', 'association'], ['siret', '73282932000074'], ['visibility', 'public'], ['confirm_duplicates', '1'],
    ]);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 1500));
    assert.equal((await organisation('Association Lune')).source_flags, null, 'the corrected identifier is no longer flagged');
    assert.doesNotMatch((await staff.get(`/admin/organisations/${lune.id}`)).body, /SIRET invalide conservé/);
  });

  test('the RGPD export of an imported person says where the record came from and on what legal basis', async () => {
    const contact = await t.kernel.db.selectFrom('contacts').select('id').where('last_name', '=', 'Martin').executeTakeFirstOrThrow();
    const res = await staff.post(`/admin/contacts/${contact.id}/export`);
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    const batch = await t.kernel.db.selectFrom('import_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
    assert.equal(doc.provenance.source, 'import');
    assert.equal(doc.provenance.imports.length, 1);
    const [origin] = doc.provenance.imports;
    assert.deepEqual(
      { ...origin, imported_at: typeof origin.imported_at },
      {
        batch_id: batchId,
        source_name: 'reseau-lune',
        file: 'reseau-lune.csv',
        file_sha256: batch.file_sha256,
        row: 3,
        source_ref: 'R2',
        imported_at: 'string',
        batch_status: 'committed',
        legal_basis: { basis: 'legitimate_interest', detail: 'Test' },
        merged_from: null,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(origin.imported_at)));
  });

  test('a person entered by hand has no import provenance', async () => {
    const res = await postForm(staff, '/admin/contacts/nouveau', [['last_name', 'Saisie'], ['first_name', 'Manuelle']]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
    const id = String(res.headers.location).split('/').pop()!;
    const doc = JSON.parse((await staff.post(`/admin/contacts/${id}/export`)).body);
    assert.deepEqual(doc.provenance, { source: 'manual', imports: [] });
    assert.doesNotMatch((await staff.get(`/admin/contacts/${id}`)).body, /id="provenance"/, 'no origin to show');
  });
});
