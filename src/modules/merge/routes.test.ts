import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findOrganisationById } from '../organisations/index.js';
import { seedWorld } from './test-world.js';

/** The radio of a form field that is checked on a page, by name. */
function checked(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="radio" id="[^"]+" name="${name}" value="(a|b)" checked`).exec(html);
  return match?.[1];
}

function locationOf(res: { headers: Record<string, unknown> }): string {
  return String(res.headers['location']);
}

forEachDialect('merge screens: queue, comparison, merge, undo, "not a duplicate"', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const deps = () => ({ db: t.kernel.db, clock: t.kernel.clock });

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
  });
  after(() => t.close());

  test('staff review a pair, merge it with a field choice, see the survivor, then undo', async () => {
    const w = await seedWorld(deps(), 'Écran');
    const queue = await staff.get('/admin/doublons');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Eau Vive Gironde Écran/);
    assert.match(queue.body, /même téléphone/, 'the reasons in words');
    assert.match(queue.body, /97 %/);
    assert.match(queue.body, new RegExp(`href="/admin/doublons/${w.candidate}"`));

    const page = await staff.get(`/admin/doublons/${w.candidate}`);
    assert.equal(page.statusCode, 200);
    const a = w.survivor.id < w.absorbed.id ? w.survivor : w.absorbed;
    const survivorSide = a.id === w.survivor.id ? 'a' : 'b';
    const absorbedSide = survivorSide === 'a' ? 'b' : 'a';
    assert.equal(checked(page.body, 'conserver'), survivorSide, 'the record created first is kept by default');
    assert.equal(checked(page.body, 'champ_website'), absorbedSide, 'the more complete value is preselected');
    assert.equal(checked(page.body, 'champ_kind_code'), survivorSide, '"other" says less than a kind');
    assert.match(page.body, /même personne que Marie Dupont \(même adresse électronique\)/);
    assert.match(page.body, /Éducation et formation/, 'the united lists are shown');

    // A bad form comes back with its error next to the survivor choice.
    const bad = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: 'c' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Choisissez la fiche conservée/);

    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: survivorSide, champ_name: survivorSide, champ_website: survivorSide });
    assert.equal(merged.statusCode, 303);
    assert.match(locationOf(merged), /^\/admin\/fusions\/[0-9a-f-]{36}$/);
    const done = await staff.get(locationOf(merged));
    assert.match(done.body, /Fusion effectuée/);
    assert.match(done.body, /Annuler la fusion/);
    const s = (await findOrganisationById(t.kernel.db, w.survivor.id))!;
    assert.equal(s.name, w.survivor.name, 'the chosen name');
    assert.equal(s.website, null, 'the chosen (empty) website');
    assert.equal(s.phone, w.absorbed.phone, 'the default for a field left alone');
    const redirect = await t.client().get(`/acteurs/${w.absorbed.slug}`);
    assert.equal(redirect.statusCode, 301);
    assert.equal(locationOf(redirect), `/acteurs/${w.survivor.slug}`);
    // The pair's page now leads to its merge; the queue lists it among merged pairs.
    assert.equal(locationOf(await staff.get(`/admin/doublons/${w.candidate}`)), locationOf(merged));
    assert.match((await staff.get('/admin/doublons?statut=merged')).body, /EAU VIVE Écran/);

    const undone = await staff.post(`${locationOf(merged)}/annuler`);
    assert.equal(undone.statusCode, 303);
    assert.equal(locationOf(undone), `/admin/doublons/${w.candidate}`);
    const back = await staff.get(locationOf(undone));
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /Fusion annulée/);
    assert.equal((await t.client().get(`/acteurs/${w.absorbed.slug}`)).statusCode, 200);
    const again = await staff.post(`${locationOf(merged)}/annuler`);
    assert.equal(again.statusCode, 303);
    assert.match((await staff.get(locationOf(again))).body, /déjà été annulée/);
  });

  test('the place is compared with its position on the map: two records may differ by it alone', async () => {
    const w = await seedWorld(deps(), 'Carte');
    // The same address and commune; only one of them was geocoded (its job not run yet for the other).
    await t.kernel.db.updateTable('organisations').set({ latitude: 44.8378, longitude: 0.5792, geo_precision: 'department' }).where('id', '=', w.absorbed.id).execute();
    const page = await staff.get(`/admin/doublons/${w.candidate}`);
    assert.equal(page.statusCode, 200);
    const place = page.body.slice(page.body.indexOf('Adresse et commune'));
    assert.match(place, /Sur la carte : 44,8378\d*, 0,5792\d* — centre du département \(approximative\)/);
    assert.match(place, /Sur la carte : Aucune position connue\./);
    const side = (id: string) => ([w.survivor.id, w.absorbed.id].sort()[0] === id ? 'a' : 'b');
    assert.equal(checked(page.body, 'champ_place'), side(w.absorbed.id), 'an approximate position says more than none');

    // The other record found at its address: its place is the one offered.
    await t.kernel.db.updateTable('organisations').set({ latitude: 44.84, longitude: -0.57, geo_precision: 'address' }).where('id', '=', w.survivor.id).execute();
    assert.equal(checked((await staff.get(`/admin/doublons/${w.candidate}`)).body, 'champ_place'), side(w.survivor.id), 'the address’s point says more than a département’s centre');
  });

  test('an undo refused is explained on the merge page (409)', async () => {
    const w = await seedWorld(deps(), 'Refus');
    const first = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: w.survivor.id < w.absorbed.id ? 'a' : 'b' });
    const side = w.survivor.id < w.other.id ? 'a' : 'b';
    const second = await staff.post(`/admin/doublons/${w.movedCandidate}/fusionner`, { conserver: side });
    assert.equal(second.statusCode, 303);
    const refused = await staff.post(`${locationOf(first)}/annuler`);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /une fusion plus récente/);
    assert.match(refused.body, /role="alert"/);
  });

  test('"not a duplicate" leaves the queue and is listed as such', async () => {
    const w = await seedWorld(deps(), 'Distinct');
    const res = await staff.post(`/admin/doublons/${w.candidate}/pas-un-doublon`);
    assert.equal(res.statusCode, 303);
    const queue = await staff.get('/admin/doublons');
    assert.match(queue.body, /Paire écartée/);
    assert.doesNotMatch(queue.body, new RegExp(`/admin/doublons/${w.candidate}"`));
    assert.match((await staff.get('/admin/doublons?statut=dismissed')).body, new RegExp(`/admin/doublons/${w.candidate}"`));
    const page = await staff.get(`/admin/doublons/${w.candidate}`);
    assert.match(page.body, /pas un doublon/);
    assert.doesNotMatch(page.body, /fusionner"/, 'no merge form on a dismissed pair');

    // A misclick is taken back: the pair is in the queue again, with its merge form.
    assert.match(page.body, new RegExp(`action="/admin/doublons/${w.candidate}/reprendre"`));
    const restored = await staff.post(`/admin/doublons/${w.candidate}/reprendre`);
    assert.equal(locationOf(restored), `/admin/doublons/${w.candidate}`);
    const again = await staff.get(`/admin/doublons/${w.candidate}`);
    assert.match(again.body, /Paire remise dans la file d’examen/);
    assert.match(again.body, /fusionner"/);
    assert.match((await staff.get('/admin/doublons')).body, new RegExp(`/admin/doublons/${w.candidate}"`));
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('entity_id', '=', w.candidate).orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['duplicate.dismissed', 'duplicate.restored']);
  });

  test('the full scan is enqueued from the queue, once a minute', async () => {
    const first = await staff.post('/admin/doublons/analyse');
    assert.equal(first.statusCode, 303);
    assert.match((await staff.get('/admin/doublons')).body, /Analyse complète lancée/);
    await staff.post('/admin/doublons/analyse');
    assert.match((await staff.get('/admin/doublons')).body, /déjà demandée/);
  });

  test('members and visitors are kept out', async () => {
    const member = await t.loginAs('member');
    for (const url of ['/admin/doublons', '/admin/fusions']) {
      assert.equal((await member.get(url)).statusCode, 403);
      assert.equal((await t.client().get(url)).statusCode, 302);
    }
  });
});
