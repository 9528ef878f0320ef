import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { organisationPlace } from '../map/index.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { POSITION_TYPE } from './position-entity.js';

/** The id of the proposal the queue page lists under that title. */
function proposalIdFrom(body: string, title: string): string {
  const match = new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec(body);
  assert.ok(match, `the queue lists the proposal « ${title} »`);
  return match[1]!;
}

interface Collection {
  features: { geometry: { coordinates: [number, number] }; properties: { name?: string } }[];
}

forEachDialect('members propose a move of their organisation’s marker; staff review it', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let n = 0;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe-carte@example.org');
  });
  after(() => t.close());

  /** An organisation of Bordeaux, placed at its address. */
  async function organisation(name: string, at: [number, number] | null = [44.8378, -0.5792]) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    const org = await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
    await t.kernel.db
      .updateTable('organisations')
      .set({ latitude: at?.[0] ?? null, longitude: at?.[1] ?? null, geo_precision: at ? 'address' : null })
      .where('id', '=', org.id)
      .execute();
    return org;
  }

  async function memberOf(orgId: string) {
    n++;
    const email = `carte${n}@example.org`;
    const client = await t.loginAs('member', email);
    const user = (await findUserByEmail(t.kernel.db, email))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    return { client, email, user };
  }

  const place = async (id: string) => {
    const p = (await organisationPlace(t.kernel.db, id))!;
    return { latitude: p.latitude, longitude: p.longitude, geo_precision: p.geo_precision };
  };

  test('a member proposes a move; staff see both points and approve; the map and the public page show it, the geocoder never moves it back', async () => {
    const org = await organisation('Cartes Solidaires Gironde');
    const { client, email } = await memberOf(org.id);

    const list = await client.get('/mon-espace/structures');
    assert.match(list.body, new RegExp(`href="/mon-espace/structures/${org.id}/position">Déplacer le repère de Cartes Solidaires Gironde sur la carte<`));
    const page = await client.get(`/mon-espace/structures/${org.id}/position`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Position sur la carte : Cartes Solidaires Gironde<\/h1>/);
    assert.match(page.body, /value="44,8378"/, 'the fields hold the marker as it is, French style');
    assert.match(page.body, /value="-0,5792"/);
    assert.match(page.body, /data-position-map/);
    assert.match(page.body, /<script src="\/assets\/js\/map.js" defer><\/script>/);
    assert.match(page.body, /name="_csrf"/);

    // Bad input: French messages next to the fields, what was typed is kept.
    const bad = await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '95', longitude: 'ouest' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="f-latitude-error">Indiquez une latitude entre −90 et 90/);
    assert.match(bad.body, /id="f-longitude-error">Indiquez une longitude entre −180 et 180/);
    assert.match(bad.body, /value="95"/);
    assert.match(bad.body, /value="ouest"/);
    assert.match(bad.body, /aria-describedby="f-latitude-hint f-latitude-error"/);

    const sent = await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '44,8412', longitude: ' -0,5701 ' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/mon-espace/structures');
    const listed = await client.get('/mon-espace/structures');
    assert.match(listed.body, /Position proposée le .*, en attente de validation/);
    assert.match(listed.body, /Position sur la carte/, 'the member’s proposals say what kind they are');
    assert.deepEqual(await place(org.id), { latitude: 44.8378, longitude: -0.5792, geo_precision: 'address' }, 'nothing moves before review');
    const again = await client.get(`/mon-espace/structures/${org.id}/position`);
    assert.match(again.body, /value="44,8412"/, 'the member sees their pending proposal');
    assert.match(again.body, /attend la validation de l’équipe/);

    const queue = await staff.get('/admin/moderation');
    assert.match(queue.body, /Position sur la carte/);
    const id = proposalIdFrom(queue.body, 'Cartes Solidaires Gironde');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /<del class="mod-value">44,8378<\/del>/);
    assert.match(detail.body, /<ins class="mod-value">44,8412<\/ins>/);
    assert.match(detail.body, /<del class="mod-value">-0,5792<\/del>/);
    assert.match(detail.body, /<ins class="mod-value">-0,5701<\/ins>/);
    const review = await staff.get(`/admin/moderation/${id}/modifier`);
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /data-from="44.8378,-0.5792"/, 'the review map shows where the marker is now');
    assert.match(review.body, /value="44,8412"/, 'and the proposed point in the fields');
    assert.match(review.body, /openstreetmap\.org\/directions\?route=44\.8378%2C-0\.5792%3B44\.8412%2C-0\.5701/);

    const mails = t.smtp.messages.length;
    const approved = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(approved.statusCode, 303);
    assert.deepEqual(await place(org.id), { latitude: 44.8412, longitude: -0.5701, geo_precision: 'manual' });
    const audit = await t.kernel.db.selectFrom('audit_log').select(['actor_email', 'before', 'after']).where('entity_id', '=', org.id).where('action', '=', 'organisation.position').executeTakeFirstOrThrow();
    assert.equal(audit.actor_email, 'equipe-carte@example.org');
    assert.match(String(audit.before), /44\.8378/);
    assert.match(String(audit.after), /"manual"/);
    // The email leaves through the job queue.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const mail = t.smtp.lastTo(email)!;
    assert.match(mail.parsed.subject ?? '', /acceptée/);
    assert.match(mail.parsed.text ?? '', /Cartes Solidaires Gironde/);

    const publicPage = await t.client().get(`/acteurs/${org.slug}`);
    assert.equal(publicPage.statusCode, 200);
    assert.match(publicPage.body, /data-lat="44.8412"/);
    assert.match(publicPage.body, /data-lng="-0.5701"/);
    const clusters = JSON.parse((await t.client().get('/carte/clusters.json?bbox=-0.6,44.83,-0.56,44.85&zoom=17&q=cartes')).body) as Collection;
    assert.deepEqual(
      clusters.features.map((f) => [f.properties.name, f.geometry.coordinates]),
      [['Cartes Solidaires Gironde', [-0.5701, 44.8412]]],
    );

    await t.kernel.jobs.enqueue('organisations.geocode', { id: org.id });
    await t.kernel.jobs.runDue();
    assert.equal((await place(org.id)).geo_precision, 'manual', 'the geocoder keeps a position placed by hand');
  });

  test('staff correct the proposed point before approving, or refuse it with a message', async () => {
    const org = await organisation('Repères du Médoc');
    const { client, email } = await memberOf(org.id);
    await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '45,2', longitude: '-0,9' });
    const id = proposalIdFrom((await staff.get('/admin/moderation')).body, 'Repères du Médoc');

    const wrong = await staff.post(`/admin/moderation/${id}/modifier`, { name: 'Repères du Médoc', from_latitude: '44.8378', from_longitude: '-0.5792', latitude: 'nord', longitude: '-0,91' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Indiquez une latitude entre −90 et 90/);
    assert.match(wrong.body, /value="nord"/);
    assert.match(wrong.body, /data-from="44.8378,-0.5792"/, 'the current point stays on the review map');
    const before = t.smtp.messages.length;
    const fixed = await staff.post(`/admin/moderation/${id}/modifier`, { name: 'Repères du Médoc', latitude: '45,21', longitude: '-0,91', decision_message: 'Placé sur la mairie.' });
    assert.equal(fixed.statusCode, 303);
    assert.deepEqual(await place(org.id), { latitude: 45.21, longitude: -0.91, geo_precision: 'manual' });
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(before + 1);
    const accepted = t.smtp.lastTo(email)!;
    assert.match(accepted.parsed.text ?? '', /Repères du Médoc/);
    assert.match(accepted.parsed.text ?? '', /Placé sur la mairie/);

    await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '10', longitude: '10' });
    const second = proposalIdFrom((await staff.get('/admin/moderation')).body, 'Repères du Médoc');
    const mails = t.smtp.messages.length;
    const refused = await staff.post(`/admin/moderation/${second}/rejeter`, { message: 'Ce point est au Nigeria : gardez la mairie.' });
    assert.equal(refused.statusCode, 303);
    assert.deepEqual(await place(org.id), { latitude: 45.21, longitude: -0.91, geo_precision: 'manual' }, 'a refused move changes nothing');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.lastTo(email)!.parsed.text ?? '', /gardez la mairie/);
  });

  test('only a member attached to the organisation may propose; a new proposal replaces the pending one; the same point sends nothing', async () => {
    const org = await organisation('Atlas des Landes', null);
    const { client } = await memberOf(org.id);
    const outsider = await t.loginAs('member', 'ailleurs@example.org');
    assert.equal((await outsider.get(`/mon-espace/structures/${org.id}/position`)).statusCode, 403);
    assert.equal((await outsider.post(`/mon-espace/structures/${org.id}/position`, { latitude: '1', longitude: '1' })).statusCode, 403);
    assert.equal((await staff.post(`/mon-espace/structures/${org.id}/position`, { latitude: '1', longitude: '1' })).statusCode, 403, 'staff use the back office');
    const visitor = await t.client().get(`/mon-espace/structures/${org.id}/position`);
    assert.equal(visitor.statusCode, 302);
    assert.match(String(visitor.headers.location), /^\/connexion/);

    const page = await client.get(`/mon-espace/structures/${org.id}/position`);
    assert.match(page.body, /Aucune position connue/);
    assert.match(page.body, /value=""/, 'empty fields when the organisation has no position');
    assert.match(page.body, /data-start="44.83\d*,-0.5\d*"/, 'the map opens on the département');

    await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '43,9', longitude: '-0,5' });
    const replaced = await client.post(`/mon-espace/structures/${org.id}/position`, { latitude: '43,89', longitude: '-0,49' });
    assert.equal(replaced.statusCode, 303);
    const pending = await t.kernel.db.selectFrom('proposals').select(['payload']).where('entity_type', '=', POSITION_TYPE).where('entity_id', '=', org.id).where('status', '=', 'pending').execute();
    assert.equal(pending.length, 1, 'one pending proposal per member and organisation');
    assert.deepEqual(JSON.parse(pending[0]!.payload), { name: 'Atlas des Landes', latitude: 43.89, longitude: -0.49 });
    const outsiderList = await outsider.get('/mon-espace/structures');
    assert.doesNotMatch(outsiderList.body, /Atlas des Landes/);

    // The same point as the map's (as the page shows it) is not a proposal.
    const placed = await organisation('Boussole Basque');
    const owner = await memberOf(placed.id);
    const same = await owner.client.post(`/mon-espace/structures/${placed.id}/position`, { latitude: '44,8378', longitude: '-0,5792' });
    assert.equal(same.statusCode, 303);
    assert.match((await owner.client.get('/mon-espace/structures')).body, /déjà celle de la carte/);
    const none = await t.kernel.db.selectFrom('proposals').select('id').where('entity_id', '=', placed.id).execute();
    assert.equal(none.length, 0);
  });
});
