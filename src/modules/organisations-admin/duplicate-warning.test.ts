import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, smallPng, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { findPair, forgetDraftStats, scanDuplicates } from '../duplicates/index.js';
import { findOrganisationById, type Organisation } from '../organisations/index.js';

/**
 * The staff form of a new local authority of Pessac, as a browser sends it: it shares nothing with
 * the existing "Ville de Pessac" but what the name and the commune say.
 */
const MAIRIE: Record<string, string> = {
  name: 'Mairie de Pessac',
  kind_code: 'local_authority',
  commune: 'Pessac',
  postcode: '33600',
  email: 'relations.internationales@mairie-pessac.example',
  description: 'Service des relations internationales',
  visibility: 'public',
  themes: 'local_governance',
  membership_year_0: '2025',
  membership_status_0: 'paid',
  membership_fee_0: '150',
};

forEachDialect('back office: "this organisation may already exist"', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let ville: Organisation;
  let staffOnly: Organisation;

  const named = (name: string) => t.kernel.db.selectFrom('organisations').select(['id', 'logo_file_id']).where('name', '=', name).execute();

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    await staff.get('/admin/organisations/nouvelle');
    ville = await seedOrganisation(t.kernel, { name: 'Ville de Pessac', kind_code: 'local_authority', commune: 'Pessac', postcode: '33600', visibility: 'public' });
    staffOnly = await seedOrganisation(t.kernel, { name: 'Amis de Kpalimé', kind_code: 'association', commune: 'Talence', postcode: '33400', visibility: 'staff' });
    await seedOrganisation(t.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  test('editing a record is never warned about the record itself', async () => {
    const res = await staff.post(`/admin/organisations/${ville.id}`, { name: 'Ville de Pessac', kind_code: 'local_authority', commune: 'Pessac', postcode: '33600', website: 'https://www.pessac.fr', email: 'contact@pessac.fr', visibility: 'public' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal((await findOrganisationById(t.kernel.db, ville.id))?.email, 'contact@pessac.fr');
  });

  test('creating "Mairie de Pessac" when "Ville de Pessac" exists warns, saves nothing and keeps every value typed, logo included', async () => {
    const res = await staff.postMultipart('/admin/organisations/nouvelle', MAIRIE, [{ field: 'logo_file', filename: 'pessac.png', content: await smallPng(), type: 'image/png' }]);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(await named('Mairie de Pessac'), [], 'nothing is saved');
    const html = res.body;
    assert.match(html, /<section class="flash flash-info duplicate-warning" id="f-duplicates" aria-labelledby="f-duplicates-title" tabindex="-1"><div role="alert"><h2 id="f-duplicates-title">Cette structure existe peut-être déjà<\/h2>/);
    assert.match(html, new RegExp(`<a href="/admin/organisations/${ville.id}">Ville de Pessac</a><span> · 33600 Pessac · Collectivité territoriale</span>`), 'name, place, kind and a link to the back-office record');
    assert.match(html, /Ressemblances : [^<]*noms identiques/);
    assert.match(html, /Ressemblances : [^<]*même commune[^<]*\(probabilité estimée : \d+ %\)/);
    assert.match(html, /Il s’agit d’une autre structure/);
    assert.deepEqual(warnedIds(html), [ville.id]);
    // What was typed is all there.
    assert.match(html, /value="relations.internationales@mairie-pessac.example"/);
    assert.match(html, />Service des relations internationales<\/textarea>/);
    assert.match(html, /name="membership_fee_0"[^>]*value="150"|value="150"[^>]*name="membership_fee_0"/);
    assert.match(html, /<input type="checkbox" id="f-themes-local_governance" name="themes" value="local_governance" checked/);
    const logo = /<input type="hidden" name="logo" value="([0-9a-f-]{36})"/.exec(html)?.[1];
    assert.ok(logo, 'the uploaded logo is kept in a hidden field');
    assert.match(html, new RegExp(`src="/media/logos/${logo}"`));

    // Submitted again without ticking the box: still nothing, and the box says why.
    const again = await staff.post('/admin/organisations/nouvelle', { ...MAIRIE, logo, duplicates_shown: ville.id });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /id="f-duplicates_confirmed-error">Cochez « Il s’agit d’une autre structure » pour continuer/);
    assert.deepEqual(await named('Mairie de Pessac'), []);

    // Confirmed: created with its logo, and the history says the warning was overridden.
    const confirmed = await staff.post('/admin/organisations/nouvelle', { ...MAIRIE, logo, duplicates_shown: ville.id, duplicates_confirmed: '1' });
    assert.equal(confirmed.statusCode, 303, confirmed.body.slice(0, 500));
    const created = await named('Mairie de Pessac');
    assert.equal(created.length, 1);
    assert.equal(created[0]!.logo_file_id, logo);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', created[0]!.id).where('action', '=', 'organisation.duplicate_warning_overridden').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.after!), { duplicates_shown: [ville.id], duplicates_names: ['Ville de Pessac'] });
    const record = await staff.get(`/admin/organisations/${created[0]!.id}`);
    assert.match(record.body, /<span data-action="organisation\.duplicate_warning_overridden">Structure enregistrée malgré un doublon possible<\/span>/);
    assert.match(record.body, /Doublons possibles signalés<\/th><td>—<\/td><td>Ville de Pessac<\/td>/);
  });

  test('a confirmation covers only the records shown: a new match warns again', async () => {
    const res = await staff.post('/admin/organisations/nouvelle', {
      name: 'Amis de Kpalimé',
      kind_code: 'association',
      commune: 'Talence',
      postcode: '33400',
      duplicates_shown: ville.id,
      duplicates_confirmed: '1',
    });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(warnedIds(res.body), [staffOnly.id], 'staff see staff-only organisations too');
    assert.match(res.body, /<span> · 33400 Talence · Association · visibilité : Équipe seulement<\/span>/);
    assert.equal((await named('Amis de Kpalimé')).length, 1, 'only the seeded one');
  });

  test('two records of one name in one commune are told apart, each linked to its back-office record, and their pending pair too', async () => {
    const place = { name: 'Sahel Zinder', kind_code: 'association', commune: 'Foulayronnes', postcode: '47510', visibility: 'public' };
    const typed = await seedOrganisation(t.kernel, { ...place, siret: '44306184100047', website: 'https://www.sahel-zinder.fr', email: 'bureau@sahel-zinder.fr' });
    const imported = await seedOrganisation(t.kernel, place);
    await t.kernel.db
      .updateTable('organisations')
      .set({ source: 'import', source_file: 'adherents-2024.csv', source_row: 12, created_at: '2024-03-05T09:00:00.000Z' })
      .where('id', '=', imported.id)
      .execute();
    await scanDuplicates({ db: t.kernel.db, clock: t.kernel.clock });
    const pair = await findPair(t.kernel.db, typed.id, imported.id);
    assert.equal(pair?.status, 'pending', 'the scan put the two in the review queue');
    forgetDraftStats(t.kernel.db);

    const res = await staff.post('/admin/organisations/nouvelle', { name: 'Sahel Zinder', kind_code: 'association', commune: 'Foulayronnes', postcode: '47510' });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(warnedIds(res.body).sort(), [typed.id, imported.id].sort());
    const warning = /<section class="flash flash-info duplicate-warning"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const links = [...warning.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, name: m[2]! }));
    assert.equal(new Set(links.map((l) => l.name)).size, links.length, `no two links read alike: ${links.map((l) => l.name).join(' | ')}`);

    // Each name links to its own record in the back office, and says which one it is.
    const typedName = 'Sahel Zinder (SIRET 44306184100047)';
    const importedName = 'Sahel Zinder (importée du fichier «\u00a0adherents-2024.csv\u00a0», ligne 12)';
    assert.deepEqual(
      links.filter((l) => l.href.startsWith('/admin/organisations/')),
      [
        { href: `/admin/organisations/${typed.id}`, name: typedName },
        { href: `/admin/organisations/${imported.id}`, name: importedName },
      ].sort((x, y) => warning.indexOf(x.href) - warning.indexOf(y.href)),
    );
    assert.ok(links.some((l) => l.href === `/acteurs/${typed.slug}` && l.name === `Fiche publique de ${typedName}`));
    assert.ok(links.some((l) => l.href === `/acteurs/${imported.slug}` && l.name === `Fiche publique de ${importedName}`));
    assert.ok(links.some((l) => l.href === `/admin/doublons/${pair.id}` && l.name === `Comparer ${typedName} et ${importedName} dans les doublons`), 'the pair in the review queue, once');
    assert.equal(links.filter((l) => l.href.startsWith('/admin/doublons/')).length, 1);

    // What tells them apart is written under each name.
    assert.match(warning, /<span> · 47510 Foulayronnes · Association<\/span><\/p><p class="hint">SIRET 44306184100047 · site sahel-zinder\.fr · e-mail bureau@sahel-zinder\.fr · saisie par l’équipe · créée le [^<]+<\/p>/);
    assert.match(warning, /<p class="hint">importée du fichier «\u00a0adherents-2024\.csv\u00a0», ligne 12 · créée le 5 mars 2024<\/p>/);
  });

  test('a clearly different organisation is created at once', async () => {
    const res = await staff.post('/admin/organisations/nouvelle', { name: 'Collectif Limousin Mali', kind_code: 'association', commune: 'Limoges', postcode: '87000' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal((await named('Collectif Limousin Mali')).length, 1);
  });

  test('an edit that keeps what identifies the record is not checked; one that changes it is', async () => {
    const [mairie] = await named('Mairie de Pessac');
    const quiet = await staff.post(`/admin/organisations/${mairie!.id}`, { ...MAIRIE, description: 'Relations internationales et jumelages' });
    assert.equal(quiet.statusCode, 303, 'the known resemblance does not block every save');
    const changed = await staff.post(`/admin/organisations/${mairie!.id}`, { ...MAIRIE, email: 'jumelages@pessac.fr' });
    assert.equal(changed.statusCode, 409);
    assert.deepEqual(warnedIds(changed.body), [ville.id], 'the other record, never itself');
    assert.match(changed.body, /Enregistrer malgré la ressemblance/);
    assert.equal((await findOrganisationById(t.kernel.db, mairie!.id))?.email, 'relations.internationales@mairie-pessac.example', 'nothing saved');
  });

  test('an empty name is a validation error, not a duplicate question', async () => {
    const res = await staff.post('/admin/organisations/nouvelle', { ...MAIRIE, name: '' });
    assert.equal(res.statusCode, 400);
    assert.doesNotMatch(res.body, /Cette structure existe peut-être déjà/);
  });
});
