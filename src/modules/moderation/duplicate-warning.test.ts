import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, smallPng, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { findLikelyDuplicates, forgetDraftStats } from '../duplicates/index.js';
import type { Organisation } from '../organisations/index.js';

/** A visitor's proposal of an organisation that is already in the directory. */
const KPALIME: Record<string, string> = {
  proposer_name: 'Awa Diallo',
  proposer_email: 'awa.diallo@example.org',
  name: 'Amis de Kpalimé',
  kind_code: 'association',
  commune: 'Talence',
  postcode: '33400',
  email: 'bonjour@amis-kpalime.example.org',
  description: 'Échanges scolaires avec le Togo',
};

forEachDialect('public proposals: "this organisation may already exist"', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let open: Organisation;
  let membersOnly: Organisation;
  let staffOnly: Organisation;
  let hidden: Organisation;

  const proposalsNamed = async (name: string) =>
    (await t.kernel.db.selectFrom('proposals').select(['id', 'payload']).where('entity_id', 'is', null).execute()).filter((p) => (JSON.parse(p.payload) as { name?: string }).name === name);

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const seed = (name: string, visibility: string, commune = 'Talence', postcode = '33400') => seedOrganisation(t.kernel, { name, kind_code: 'association', commune, postcode, visibility });
    open = await seed('Amis de Kpalimé', 'public');
    membersOnly = await seed('AMIS DE KPALIME', 'members');
    staffOnly = await seed('Les Amis de Kpalimé', 'staff');
    hidden = await seed('Solidarité Bénin Mérignac', 'staff', 'Mérignac', '33700');
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  test('the engine finds all three Kpalimé records: the checks below are about what a visitor may see', async () => {
    const found = await findLikelyDuplicates(t.kernel.db, { name: 'Amis de Kpalimé', kind_code: 'association', commune_code: '33522', commune_name: 'Talence', postcode: '33400' }, { limit: 10 });
    assert.deepEqual(found.map((m) => m.record.id).sort(), [open.id, membersOnly.id, staffOnly.id].sort());
  });

  test('a visitor is warned about public organisations only, nothing is sent, and everything typed stays', async () => {
    const res = await visitor.postMultipart('/proposer-une-structure', KPALIME, [{ field: 'logo_file', filename: 'kpalime.png', content: await smallPng(), type: 'image/png' }]);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(await proposalsNamed('Amis de Kpalimé'), [], 'nothing is sent');
    const html = res.body;
    assert.match(html, /<h2 id="f-duplicates-title">Cette structure existe peut-être déjà<\/h2>/);
    assert.deepEqual(warnedIds(html), [open.id], 'the public organisation only');
    assert.match(html, new RegExp(`<a href="/acteurs/${open.slug}">Amis de Kpalimé</a><span> · 33400 Talence · Association</span>`));
    assert.match(html, new RegExp(`href="/demande-de-compte\\?structure=${open.id}">Demander un accès pour gérer Amis de Kpalimé</a>`));
    assert.match(html, /Ressemblances : [^<]*noms identiques/);
    for (const secret of [membersOnly, staffOnly, hidden]) {
      assert.ok(!html.includes(secret.id), `${secret.name} (${secret.visibility}) is never disclosed`);
      assert.ok(!html.includes(secret.slug), `${secret.name} (${secret.visibility}) is never disclosed`);
    }
    assert.doesNotMatch(html, /Les Amis de Kpalimé|AMIS DE KPALIME/);
    // What was typed is all there, the logo in its hidden field.
    assert.match(html, /name="proposer_name" type="text" value="Awa Diallo"|value="Awa Diallo"/);
    assert.match(html, /value="awa.diallo@example.org"/);
    assert.match(html, /value="bonjour@amis-kpalime.example.org"/);
    assert.match(html, />Échanges scolaires avec le Togo<\/textarea>/);
    const logo = /<input type="hidden" name="logo" value="([0-9a-f-]{36})"/.exec(html)?.[1];
    assert.ok(logo, 'the uploaded logo is kept');
    assert.match(html, /Un logo est joint à cette fiche/);

    // Confirmed: the proposal is sent with its logo, and its history says the warning was overridden.
    const sent = await visitor.post('/proposer-une-structure', { ...KPALIME, logo, duplicates_shown: open.id, duplicates_confirmed: '1' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/proposer-une-structure/merci');
    const [proposal] = await proposalsNamed('Amis de Kpalimé');
    assert.ok(proposal);
    assert.equal((JSON.parse(proposal.payload) as { logo?: string }).logo, logo);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', proposal.id).where('action', '=', 'proposal.duplicate_warning_overridden').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.after!), { duplicates_shown: [open.id], duplicates_names: ['Amis de Kpalimé'] });
    assert.equal(audit[0]!.actor_email, 'awa.diallo@example.org');
  });

  test('a match the visitor may not see is no warning at all: the proposal goes to moderation', async () => {
    const found = await findLikelyDuplicates(t.kernel.db, { name: 'Solidarité Bénin Mérignac', kind_code: 'association', commune_code: '33281', commune_name: 'Mérignac', postcode: '33700' });
    assert.deepEqual(
      found.map((m) => m.record.id),
      [hidden.id],
      'a likely match exists, staff only',
    );
    const res = await visitor.post('/proposer-une-structure', { ...KPALIME, name: 'Solidarité Bénin Mérignac', commune: 'Mérignac', postcode: '33700' });
    assert.equal(res.statusCode, 303);
    assert.equal((await proposalsNamed('Solidarité Bénin Mérignac')).length, 1);
  });

  test('a clearly different organisation is proposed at once', async () => {
    const res = await visitor.post('/proposer-une-structure', { ...KPALIME, name: 'Collectif Limousin Mali', commune: 'Limoges', postcode: '87000', email: '' });
    assert.equal(res.statusCode, 303);
    assert.equal((await proposalsNamed('Collectif Limousin Mali')).length, 1);
  });

  test('an account request for a "new" organisation that exists is warned, and offered the existing one', async () => {
    const request = {
      mode: 'new',
      person_name: 'Kofi Mensah',
      person_email: 'kofi@example.org',
      message: 'Je coordonne les échanges.',
      name: 'Amis de Kpalimé',
      kind_code: 'association',
      commune: 'Talence',
      postcode: '33400',
    };
    const res = await visitor.post('/demande-de-compte', request);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(warnedIds(res.body), [open.id]);
    assert.match(res.body, /value="Kofi Mensah"/);
    assert.match(res.body, />Je coordonne les échanges.<\/textarea>/);
    assert.match(res.body, /Envoyer ma demande/);
    assert.equal((await t.kernel.db.selectFrom('account_requests').selectAll().where('email', '=', 'kofi@example.org').execute()).length, 0, 'nothing is kept');

    // "Request access" opens the request for the existing organisation, already chosen.
    const access = await visitor.get(`/demande-de-compte?structure=${open.id}`);
    assert.equal(access.statusCode, 200);
    assert.match(access.body, new RegExp(`<input type="radio" id="f-organisation_id-${open.id}" name="organisation_id" value="${open.id}" checked`));
    // A non-public organisation cannot be chosen that way.
    // (The page's address, with the id in it, comes back in the language switch: the choice itself is what must not.)
    assert.ok(!(await visitor.get(`/demande-de-compte?structure=${staffOnly.id}`)).body.includes(`value="${staffOnly.id}"`));

    // Or the person says it is another organisation: the request and its proposal are kept, the override recorded.
    const sent = await visitor.post('/demande-de-compte', { ...request, duplicates_shown: open.id, duplicates_confirmed: '1' });
    assert.equal(sent.statusCode, 303);
    const row = await t.kernel.db.selectFrom('account_requests').selectAll().where('email', '=', 'kofi@example.org').executeTakeFirstOrThrow();
    assert.ok(row.proposal_id);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', row.proposal_id).where('action', '=', 'proposal.duplicate_warning_overridden').execute();
    assert.deepEqual(JSON.parse(audit[0]!.after!), { duplicates_shown: [open.id], duplicates_names: ['Amis de Kpalimé'] });
  });
});
