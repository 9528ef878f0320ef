// The legal basis of imported contacts when staff write no text for it: the wizard and `maillage
// import` record the same text, which says only what is known (the file and its source), never
// that people were « informés de l’import ». The command line takes the consent's source as the
// wizard does, and requires it, with its date, for a consent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { findBatch, ImportError, runImportCommand } from './index.js';

forEachDialect('the default legal-basis text, in the wizard and on the command line', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
  });
  after(() => t.close());

  /** The legal basis the wizard records for a file, from the report step's choices. */
  async function fromWizard(name: string, choices: Record<string, string>) {
    const batch = await seedBatch(t.kernel, name, 'validated', `Nom structure;CP;Ville\n${name} Solidarité;33000;Bordeaux\n`);
    await staff.get(`/admin/imports/${batch.id}/rapport`);
    const res = await staff.post(`/admin/imports/${batch.id}/importer`, { mode: 'valid-only', ...choices });
    assert.equal(res.statusCode, 303, res.body);
    return JSON.parse((await findBatch(t.kernel.db, batch.id))!.legal_basis!) as { basis: string; detail: string; date?: string };
  }

  /** The legal basis `maillage import` records for a file of one contact. */
  async function fromCommandLine(name: string, options: { legalBasis?: string; legalDate?: string; consentSource?: string } = {}) {
    const file = path.join(t.config.dataDir, name);
    fs.writeFileSync(file, `Nom structure;CP;Ville;Nom contact;Mail contact\r\n${name} Amitié;33600;Pessac;MARTIN;${name.replace(/\W/g, '')}@example.org\r\n`);
    const lines: string[] = [];
    const code = await runImportCommand(t.kernel, { file, source: name.replace(/\.csv$/, ''), mode: 'valid-only', ...options }, { log: (line) => lines.push(line) });
    assert.equal(code, 0, lines.join('\n'));
    const batch = /maillage import:undo ([0-9a-f-]{36})/.exec(lines.join('\n'))![1]!;
    const consent = await t.kernel.db
      .selectFrom('consents')
      .innerJoin('contacts', 'contacts.id', 'consents.contact_id')
      .select(['consents.basis', 'consents.detail'])
      .where('contacts.import_batch_id', '=', batch)
      .executeTakeFirstOrThrow();
    return { ...consent, stored: JSON.parse((await findBatch(t.kernel.db, batch))!.legal_basis!) as { detail: string } };
  }

  test('legitimate interest without a text: the same honest default from both', async () => {
    const web = await fromWizard('adherents.csv', { base: 'legitimate_interest' });
    assert.equal(web.detail, 'Contact importé du fichier adherents.csv (source adherents).');
    const dated = await fromWizard('annuaire.csv', { base: 'legitimate_interest', date: '2016-09-01' });
    assert.equal(dated.detail, 'Contact importé du fichier annuaire.csv (source annuaire), informé le 2016-09-01.');

    const cli = await fromCommandLine('reseau.csv');
    assert.deepEqual([cli.basis, cli.detail, cli.stored.detail], ['legitimate_interest', 'Contact importé du fichier reseau.csv (source reseau).', 'Contact importé du fichier reseau.csv (source reseau).']);
    const cliDated = await fromCommandLine('liste.csv', { legalDate: '2016-09-01' });
    assert.equal(cliDated.detail, 'Contact importé du fichier liste.csv (source liste), informé le 2016-09-01.');
    for (const text of [web.detail, dated.detail, cli.detail ?? '']) assert.doesNotMatch(text, /informés? de l’import|réseau prédécesseur|Intérêt légitime/);
  });

  test('consent: its source, as in the wizard, and its date are required on the command line too', async () => {
    const web = await fromWizard('bulletins.csv', { base: 'consent', date: '2020-03-01', source_consent: 'bulletin d’adhésion' });
    assert.equal(web.detail, 'Consentement (source du consentement\u00a0: bulletin d’adhésion)');

    const file = path.join(t.config.dataDir, 'consentis.csv');
    fs.writeFileSync(file, 'Nom structure;CP;Ville;Nom contact\r\nConsentis;33000;Bordeaux;LEROY\r\n');
    const refused = (options: object, key: string) =>
      assert.rejects(runImportCommand(t.kernel, { file, source: 'consentis', mode: 'valid-only', legalBasis: 'consent', ...options }, { log: () => undefined }), (e: unknown) => e instanceof ImportError && e.key === key);
    await refused({ consentSource: 'bulletin d’adhésion' }, 'imports.error.consentDate');
    await refused({ legalDate: '2020-03-01' }, 'imports.error.consentSource');
    await refused({ legalDate: '2020-03-01', consentSource: 'x'.repeat(201) }, 'imports.error.consentSource');

    const cli = await fromCommandLine('adhesions.csv', { legalBasis: 'consent', legalDate: '2020-03-01', consentSource: 'bulletin d’adhésion' });
    assert.equal(cli.basis, 'consent');
    assert.equal(cli.detail, web.detail);
  });
});
