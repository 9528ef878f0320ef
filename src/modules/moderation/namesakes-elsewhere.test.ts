import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { findLikelyDuplicates, forgetDraftStats } from '../duplicates/index.js';
import type { Organisation } from '../organisations/index.js';

/** A visitor proposes « Association Eau Vive Dordogne » in Bordeaux; the directory has it in Périgueux. */
const BORDEAUX: Record<string, string> = {
  proposer_name: 'Léa Martin',
  proposer_email: 'lea.martin@example.org',
  name: 'Association Eau Vive Dordogne',
  kind_code: 'association',
  commune: 'Bordeaux',
  postcode: '33000',
};

const CONFIRM_REQUIRED = 'Vérifiez les structures existantes listées plus haut, puis cochez «\u00a0Ce n’est pas la même structure\u00a0» pour accepter la proposition.';

forEachDialect('an identical name in another commune: suggested to the visitor, listed to staff, accepted only once staff confirm', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let staff: Client;
  let perigueux: Organisation;

  const organisationsNamed = async (name: string) => (await t.kernel.db.selectFrom('organisations').select(['id', 'slug']).where('name', '=', name).execute()).length;
  const pendingProposalNamed = async (name: string) => {
    const rows = await t.kernel.db.selectFrom('proposals').select(['id', 'payload', 'status']).where('entity_id', 'is', null).where('status', '=', 'pending').execute();
    return rows.find((p) => (JSON.parse(p.payload) as { name?: string }).name === name)?.id;
  };

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    await visitor.get('/proposer-une-structure');
    staff = await t.loginAs('staff', 'equipe@example.org');
    perigueux = await seedOrganisation(t.kernel, { name: 'Association Eau Vive Dordogne', kind_code: 'association', commune: 'Périgueux', postcode: '24000', siret: '44306184100047', visibility: 'public' });
    await seedOrganisation(t.kernel, { name: 'Eau sans frontières Vienne', kind_code: 'association', commune: 'Poitiers', postcode: '86000', visibility: 'public' });
    await seedOrganisation(t.kernel, { name: 'Collectif Limousin Mali', kind_code: 'association', commune: 'Limoges', postcode: '87000', visibility: 'public' });
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  test('the engine keeps the namesake elsewhere apart from likely matches: below the threshold, marked as such', async () => {
    const found = await findLikelyDuplicates(t.kernel.db, { name: 'Association Eau Vive Dordogne', kind_code: 'association', commune_name: 'Bordeaux', commune_code: '33063', postcode: '33000' });
    assert.deepEqual(
      found.map((m) => [m.record.id, m.namesake]),
      [[perigueux.id, true]],
    );
    assert.ok(found[0]!.score < 0.5, 'not a likely match: the place says otherwise');
    assert.ok(found[0]!.reasons.some((r) => r.code === 'same_name'));
    // Near-identical names elsewhere are no namesakes: without other evidence, nothing is suggested.
    assert.deepEqual(await findLikelyDuplicates(t.kernel.db, { name: 'Eau sans frontières Haute-Vienne', kind_code: 'association', commune_name: 'Limoges', postcode: '87000' }), []);
  });

  test('the public form suggests the namesake of Périgueux, saying why; the visitor may go on with « Il s’agit d’une autre structure »', async () => {
    const res = await visitor.post('/proposer-une-structure', BORDEAUX);
    assert.equal(res.statusCode, 409, 'held with the warning');
    assert.deepEqual(warnedIds(res.body), [perigueux.id]);
    assert.match(res.body, new RegExp(`<a href="/acteurs/${perigueux.slug}">Association Eau Vive Dordogne</a><span> · 24000 Périgueux · Association</span>`));
    assert.match(res.body, /<p class="hint">Ressemblances\u00a0: même nom, autre commune \(Périgueux\) ; même famille d’acteurs<\/p>/);
    assert.equal(await pendingProposalNamed(BORDEAUX['name']!), undefined, 'nothing sent yet');

    const sent = await visitor.post('/proposer-une-structure', { ...BORDEAUX, duplicates_shown: perigueux.id, duplicates_confirmed: '1' });
    assert.equal(sent.statusCode, 303);
    assert.ok(await pendingProposalNamed(BORDEAUX['name']!), 'sent to moderation');
  });

  test('a near-identical name in another département (Vienne / Haute-Vienne) is proposed at once, without a warning', async () => {
    const res = await visitor.post('/proposer-une-structure', { ...BORDEAUX, name: 'Eau sans frontières Haute-Vienne', commune: 'Limoges', postcode: '87000' });
    assert.equal(res.statusCode, 303);
    assert.ok(await pendingProposalNamed('Eau sans frontières Haute-Vienne'));
  });

  test('staff see the existing organisation on the proposal’s page, with its evidence; « Accepter » alone creates nothing', async () => {
    const id = await pendingProposalNamed(BORDEAUX['name']!);
    assert.ok(id);
    const page = await staff.get(`/admin/moderation/${id}`);
    assert.equal(page.statusCode, 200);
    const section = /<section aria-labelledby="matches-title"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    assert.match(section, /<h2 id="matches-title">Structures existantes qui ressemblent à cette proposition<\/h2>/);
    assert.match(section, new RegExp(`<a href="/admin/organisations/${perigueux.id}">Association Eau Vive Dordogne</a><span> · 24000 Périgueux · Association</span>`));
    assert.match(section, /<strong>Même nom, autre commune\u00a0: Périgueux<\/strong>/);
    assert.match(section, /SIRET 44306184100047/, 'what tells it apart');
    assert.match(section, /Ressemblances\u00a0: autre département ; noms identiques ; même famille d’acteurs \(probabilité estimée\u00a0: 1[\u00a0\u202f]%\)/, 'the evidence, with its low probability');
    assert.match(page.body, /<input type="checkbox" id="f-acc-duplicates_confirmed" name="duplicates_confirmed" value="1"/);
    assert.match(page.body, new RegExp(`<input type="hidden" name="duplicates_shown" value="${perigueux.id}"/>`));
    assert.match(page.body, new RegExp(`action="/admin/moderation/${id}/approuver#erreurs-accepter"`));

    const held = await staff.post(`/admin/moderation/${id}/approuver`, { duplicates_shown: perigueux.id });
    assert.equal(held.statusCode, 409);
    assert.match(held.body, new RegExp(`<div class="error-summary" id="erreurs-accepter" role="alert" tabindex="-1"><h2>[^<]*</h2><ul><li><a href="#f-acc-duplicates_confirmed">${CONFIRM_REQUIRED}</a></li></ul></div>`));
    assert.match(held.body, /<p class="field-error" id="f-acc-duplicates_confirmed-error">/);
    assert.equal(await organisationsNamed(BORDEAUX['name']!), 1, 'no second organisation');
    assert.equal(await pendingProposalNamed(BORDEAUX['name']!), id, 'the proposal still waits');
  });

  test('ticked « Ce n’est pas la même structure », it is accepted, and the history says staff overrode the match', async () => {
    const id = (await pendingProposalNamed(BORDEAUX['name']!))!;
    const accepted = await staff.post(`/admin/moderation/${id}/approuver`, { duplicates_shown: perigueux.id, duplicates_confirmed: '1' });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/admin/moderation');
    assert.equal((await flashesOf((await staff.get('/admin/moderation')).body))[0]?.kind, 'success');
    assert.equal(await organisationsNamed(BORDEAUX['name']!), 2);
    const lines = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).where('action', '=', 'proposal.duplicate_warning_overridden').execute();
    assert.equal(lines.length, 2, 'the visitor’s confirmation, then staff’s');
    const byStaff = lines.find((l) => l.actor_email === 'equipe@example.org');
    assert.ok(byStaff);
    assert.deepEqual(JSON.parse(byStaff.after!), { duplicates_shown: [perigueux.id], duplicates_names: ['Association Eau Vive Dordogne'] });
  });

  test('« Corriger puis accepter » shows the staff organisation form’s warning and accepts once it is ticked', async () => {
    const proposal = await visitor.post('/proposer-une-structure', { ...BORDEAUX, name: 'Collectif Limousin Mali', commune: 'Brive-la-Gaillarde', postcode: '19100', duplicates_shown: '', duplicates_confirmed: '' });
    assert.equal(proposal.statusCode, 409, 'the visitor is warned of Limoges’ namesake first');
    const limoges = warnedIds(proposal.body)[0]!;
    assert.equal((await visitor.post('/proposer-une-structure', { ...BORDEAUX, name: 'Collectif Limousin Mali', commune: 'Brive-la-Gaillarde', postcode: '19100', duplicates_shown: limoges, duplicates_confirmed: '1' })).statusCode, 303);
    const id = (await pendingProposalNamed('Collectif Limousin Mali'))!;
    const form = await staff.get(`/admin/moderation/${id}/modifier`);
    assert.equal(form.statusCode, 200);
    const fields = { name: 'Collectif Limousin Mali', kind_code: 'association', commune: 'Brive-la-Gaillarde', postcode: '19100', visibility: 'public', decision_message: '' };
    const held = await staff.post(`/admin/moderation/${id}/modifier`, fields);
    assert.equal(held.statusCode, 409);
    assert.match(held.body, /<h2 id="f-duplicates-title">Cette structure existe peut-être déjà<\/h2>/);
    assert.match(held.body, /Ressemblances\u00a0: Même nom, autre commune\u00a0: Limoges/);
    assert.deepEqual(warnedIds(held.body), [limoges]);
    assert.equal(await organisationsNamed('Collectif Limousin Mali'), 1, 'nothing created');
    const accepted = await staff.post(`/admin/moderation/${id}/modifier`, { ...fields, duplicates_shown: limoges, duplicates_confirmed: '1' });
    assert.equal(accepted.statusCode, 303);
    assert.equal(await organisationsNamed('Collectif Limousin Mali'), 2);
  });
});
