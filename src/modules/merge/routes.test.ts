import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { scanDuplicates } from '../duplicates/index.js';
import { findOrganisationById } from '../organisations/index.js';
import { QUEUE_PAGE_SIZE } from './views-queue.js';
import { addCandidate, addOrganisation, seedWorld } from './test-world.js';

/** The value of a page's hidden `retour` fields, one per form carrying it. */
function returnFields(html: string): string[] {
  return [...html.matchAll(/<input type="hidden" name="retour" value="([^"]*)"/g)].map((m) => m[1]!);
}

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
    assert.match(queue.body, /97,0\s%/, 'the score to a tenth of a percent');
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
    // None chosen: the same message, not « Ce champ est obligatoire. ».
    const unchosen = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: '' });
    assert.equal(unchosen.statusCode, 400);
    assert.match(unchosen.body, /Choisissez la fiche conservée/);
    assert.doesNotMatch(unchosen.body, /Ce champ est obligatoire/);

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

  test('the merge history and a merge are part of « Doublons » in the menu; the queue links the history above its list', async () => {
    const w = await seedWorld(deps(), 'Menu');
    const side = w.survivor.id < w.absorbed.id ? 'a' : 'b';
    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: side, champ_name: side });
    assert.equal(merged.statusCode, 303);
    const menu = (html: string) => /<nav aria-label="Menu de l’administration"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
    for (const url of ['/admin/doublons', '/admin/fusions', locationOf(merged)]) {
      const links = menu((await staff.get(url)).body);
      assert.match(links, /<a href="\/admin\/doublons" aria-current="page">Doublons<\/a>/, url);
      assert.equal(links.match(/aria-current/g)?.length, 1, `one current item on ${url}`);
    }
    const queue = (await staff.get('/admin/doublons?statut=merged')).body;
    const history = queue.indexOf('<a href="/admin/fusions">Historique des fusions</a>');
    assert.ok(history > queue.indexOf('<h1>') && history < queue.indexOf('<table'), 'the history link sits under the title, before the list');
    await staff.post(`${locationOf(merged)}/annuler`);
  });

  test('the place is compared with its position on the map: two records may differ by it alone', async () => {
    const w = await seedWorld(deps(), 'Carte');
    // The same address and commune; only one of them was geocoded (its job not run yet for the other).
    await t.kernel.db.updateTable('organisations').set({ latitude: 44.8378, longitude: 0.5792, geo_precision: 'department' }).where('id', '=', w.absorbed.id).execute();
    const page = await staff.get(`/admin/doublons/${w.candidate}`);
    assert.equal(page.statusCode, 200);
    const place = page.body.slice(page.body.indexOf('Adresse et commune'));
    assert.match(place, /Sur la carte : 44,8378\d*, 0,5792\d* — centre du département \(approximative\)/);
    assert.match(place, /Sur la carte : Aucune position connue\./);
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

  test('a merge that can no longer be undone says why up front, without the undo button', async () => {
    const w = await seedWorld(deps(), 'Effacement');
    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: w.survivor.id < w.absorbed.id ? 'a' : 'b' });
    const url = locationOf(merged);
    assert.match((await staff.get(url)).body, /<button type="submit" class="button button-danger"[^>]*>Annuler la fusion<\/button>/, 'undoable: the button');
    // A person the merge joined is erased since (RGPD): the journal would bring their data back.
    assert.equal((await staff.post(`/admin/contacts/${w.contacts.marieS}/effacer`)).statusCode, 303);
    const page = (await staff.get(url)).body;
    assert.doesNotMatch(page, /Annuler la fusion/);
    assert.doesNotMatch(page, /Les deux fiches redeviendront/);
    assert.doesNotMatch(page, /action="[^"]*\/annuler"/);
    assert.match(page, /<h2 id="merge-undo-title">Annulation impossible<\/h2>/);
    assert.match(page, /Impossible d’annuler cette fusion\u00a0: un contact fusionné a depuis été effacé à sa demande \(RGPD\)/);
    assert.doesNotMatch(page, /role="alert"/, 'told, not an alert: nobody asked yet');
    // The undo itself is still refused, as before.
    assert.equal((await staff.post(`${url}/annuler`)).statusCode, 409);
  });

  test('the kept record’s and the person’s histories tell the merge and its undo in words, with a link to the merge', async () => {
    const w = await seedWorld(deps(), 'Historique');
    const survivorSide = w.survivor.id < w.absorbed.id ? 'a' : 'b';
    const absorbedSide = survivorSide === 'a' ? 'b' : 'a';
    // The absorbed record's website and phone are kept: the history shows them as changed fields.
    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: survivorSide, champ_name: survivorSide, champ_website: absorbedSide });
    const mergeUrl = locationOf(merged);
    const historyOf = (html: string) => html.slice(html.indexOf('id="historique"'));
    const raw = /<th scope="row">(survivor|absorbed|choices|repointed|candidates|contacts_merged|merge_id|absorbed_id|restored|contacts_restored|skipped)<\/th>/;

    const organisation = historyOf((await staff.get(`/admin/organisations/${w.survivor.id}`)).body);
    assert.ok(organisation.includes(`<span>Fusion avec «\u00a0EAU VIVE Historique\u00a0» (fiche absorbée)\u00a0: 2 contacts réunis.</span> <a href="${mergeUrl}">Voir la fusion</a>`), organisation.slice(0, 3000));
    assert.doesNotMatch(organisation, raw, 'no raw JSON of the merge');
    assert.match(organisation, /<th scope="row">Site web<\/th><td>—<\/td><td>https:\/\/eauvive-historique\.example\.org<\/td>/, 'the field the merge changed, before → after');
    assert.doesNotMatch(organisation, /<th scope="row">Nom<\/th>/, 'a field the merge left alone is not listed as new');

    const person = historyOf((await staff.get(`/admin/contacts/${w.contacts.marieS}`)).body);
    assert.ok(person.includes(`<span>Fusion avec un doublon de ce contact, MARIE DUPONT (même adresse électronique)\u00a0: ses adresses, rôles, intérêts et consentements sont réunis ici.</span> <a href="${mergeUrl}">Voir la fusion</a>`), person.slice(0, 3000));
    assert.doesNotMatch(person, /<th scope="row">(absorbed|merged_into|reason|merge_id)<\/th>/);

    assert.equal((await staff.post(`${mergeUrl}/annuler`)).statusCode, 303);
    const undone = historyOf((await staff.get(`/admin/organisations/${w.survivor.id}`)).body);
    assert.ok(undone.includes(`<span>Fusion avec «\u00a0EAU VIVE Historique\u00a0» annulée\u00a0: la fiche absorbée est rétablie. 2 contacts séparés de nouveau.</span> <a href="${mergeUrl}">Voir la fusion</a>`), undone.slice(0, 3000));
    assert.doesNotMatch(undone, raw);
    const restored = historyOf((await staff.get(`/admin/organisations/${w.absorbed.id}`)).body);
    assert.ok(restored.includes(`<span>Fiche rétablie\u00a0: la fusion qui l’avait absorbée a été annulée.</span> <a href="${mergeUrl}">Voir la fusion</a>`), restored.slice(0, 3000));
    assert.ok(restored.includes(`<span>Fiche fusionnée dans une autre.</span> <a href="${mergeUrl}">Voir la fusion</a>`));
    assert.doesNotMatch(restored, /<th scope="row">(merged_into|merge_id|split_from)<\/th>/);
    const back = historyOf((await staff.get(`/admin/contacts/${w.contacts.marieA}`)).body);
    assert.ok(back.includes(`<a href="${mergeUrl}">Voir la fusion</a>`), back.slice(0, 3000));
    assert.doesNotMatch(back, /<th scope="row">(merge_id|split_from|organisation_id)<\/th>/);
  });

  test('"not a duplicate" leaves the queue and is listed as such', async () => {
    const w = await seedWorld(deps(), 'Distinct');
    const res = await staff.post(`/admin/doublons/${w.candidate}/pas-un-doublon`);
    assert.equal(res.statusCode, 303);
    const queue = await staff.get('/admin/doublons');
    assert.match(queue.body, /Paire écartée/);
    assert.doesNotMatch(queue.body, new RegExp(`/admin/doublons/${w.candidate}"`));
    assert.match((await staff.get('/admin/doublons?statut=dismissed')).body, new RegExp(`/admin/doublons/${w.candidate}\\?retour=%2Fadmin%2Fdoublons%3Fstatut%3Ddismissed"`));
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
    const asked = (await staff.get('/admin/doublons')).body;
    assert.match(asked, /déjà demandée/);
    // After a reload, the queue says where the scan stands: waiting, running, then done with its counts.
    assert.match(asked, /Analyse complète demandée le (?:1er|\d+) [a-zéû.]+ \d{4}, \d\d:\d\d : elle attend son tour/);
    await t.kernel.db.updateTable('jobs').set({ status: 'running', updated_at: '2026-11-30T14:05:00.000Z' }).where('name', '=', 'duplicates.scan').where('status', '=', 'queued').execute();
    assert.match((await staff.get('/admin/doublons')).body, /Analyse complète en cours depuis le 30 nov\. 2026, 15:05/);
    await t.kernel.db.updateTable('jobs').set({ status: 'queued', lease_until: null }).where('name', '=', 'duplicates.scan').where('status', '=', 'running').execute();
    await t.kernel.jobs.runDue();
    const done = (await staff.get('/admin/doublons')).body;
    assert.doesNotMatch(done, /en cours depuis|attend son tour/);
    const organisations = Number((await t.kernel.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const found = new RegExp(`Dernière analyse complète terminée le (?:1er|\\d+) [a-zéû.]+ \\d{4}, \\d\\d:\\d\\d : ${organisations} structures comparées, \\d+ paires? trouvées?, dont \\d+ nouvelles? dans la file \\(les autres y étaient déjà ou ont été traitées\\) ; \\d+ paires? retirées? de la file \\(plus trouvées\\)\\.`);
    assert.match(done, found);
  });

  test('a pair opened from a page of the queue leads back to that page after "not a duplicate", a merge, an undo', async () => {
    // Enough pairs, low enough, for a second page of pending pairs.
    const filler = await addOrganisation(deps(), { name: 'Maison des solidarités Retour', commune: '33063' });
    for (let i = 0; i < QUEUE_PAGE_SIZE + 1; i++) {
      const other = await addOrganisation(deps(), { name: `Maison des solidarités Retour ${i}`, commune: '33063' });
      await addCandidate(deps(), filler.id, other.id, 'pending', 0.2 - i / 1000);
    }
    const w = await seedWorld(deps(), 'Retour');
    await t.kernel.db.updateTable('duplicate_candidates').set({ score: 0.1 }).where('id', 'in', [w.candidate, w.movedCandidate]).execute();
    const page2 = '/admin/doublons?page=2';
    const encoded = encodeURIComponent(page2);

    const queue = await staff.get(page2);
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(`href="/admin/doublons/${w.candidate}\\?retour=${encoded}"`), 'the pair’s link says where it was opened from');
    const pair = await staff.get(`/admin/doublons/${w.candidate}?retour=${encoded}`);
    assert.ok(pair.body.includes(`<a href="${page2}">Doublons</a>`), 'the way back is that page');
    assert.deepEqual(returnFields(pair.body), [page2, page2], 'the merge and "not a duplicate" forms carry it');

    const dismissed = await staff.post(`/admin/doublons/${w.movedCandidate}/pas-un-doublon`, { retour: page2 });
    assert.equal(locationOf(dismissed), page2);
    assert.match((await staff.get(page2)).body, /Paire écartée/);
    const restored = await staff.post(`/admin/doublons/${w.movedCandidate}/reprendre`, { retour: '/admin/doublons?statut=dismissed&page=3' });
    assert.equal(locationOf(restored), `/admin/doublons/${w.movedCandidate}?retour=${encodeURIComponent('/admin/doublons?statut=dismissed&page=3')}`);
    // Without a way back, the queue's first page, as before.
    await staff.post(`/admin/doublons/${w.movedCandidate}/pas-un-doublon`);
    await staff.post(`/admin/doublons/${w.movedCandidate}/reprendre`);
    assert.equal(locationOf(await staff.post(`/admin/doublons/${w.movedCandidate}/pas-un-doublon`, {})), '/admin/doublons');

    // A merge shows its page (and its undo), which leads back to the queue page; so does the undo.
    const side = w.survivor.id < w.absorbed.id ? 'a' : 'b';
    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: side, retour: page2 });
    assert.equal(merged.statusCode, 303);
    assert.match(locationOf(merged), new RegExp(`^/admin/fusions/[0-9a-f-]{36}\\?retour=${encoded}$`));
    const done = await staff.get(locationOf(merged));
    assert.match(done.body, /Fusion effectuée/);
    assert.ok(done.body.includes(`<a href="${page2}">Retour à la file d’examen</a>`));
    assert.deepEqual(returnFields(done.body), [page2], 'the undo form carries it');
    const undone = await staff.post(`${locationOf(merged).split('?')[0]}/annuler`, { retour: page2 });
    assert.equal(locationOf(undone), `/admin/doublons/${w.candidate}?retour=${encoded}`);
  });

  test('the way back is a page of the queue, never another address', async () => {
    const w = await seedWorld(deps(), 'Ailleurs');
    const cases: [string, string][] = [
      ['https://evil.example/admin/doublons', '/admin/doublons'],
      ['//evil.example/admin/doublons', '/admin/doublons'],
      ['/\\evil.example', '/admin/doublons'],
      ['/admin/doublonsx', '/admin/doublons'],
      ['/admin/doublons/../../deconnexion', '/admin/doublons'],
      ['/admin/fusions', '/admin/doublons'],
      ['/admin/doublons?statut=dismissed&page=2&x=%22%3E%3Cscript%3E', '/admin/doublons?statut=dismissed&page=2'],
      ['/admin/doublons?statut=%3Cscript%3E&page=-1', '/admin/doublons'],
      ['/admin/doublons?statut=merged', '/admin/doublons?statut=merged'],
    ];
    for (const [given, expected] of cases) {
      const page = await staff.get(`/admin/doublons/${w.candidate}?retour=${encodeURIComponent(given)}`);
      assert.equal(page.statusCode, 200, given);
      assert.ok(page.body.includes(`<a href="${expected}">Doublons</a>`), given);
      const dismissed = await staff.post(`/admin/doublons/${w.candidate}/pas-un-doublon`, { retour: given });
      assert.equal(locationOf(dismissed), expected, given);
      await staff.post(`/admin/doublons/${w.candidate}/reprendre`);
    }
  });

  test('the name and the address written in full are preselected over their abbreviations, though the abbreviated record is more recent', async () => {
    const full = await addOrganisation(deps(), { name: 'Association Passerelles Palestine', address: '27 rue de la Paix', commune: '33063', postcode: '33000' });
    const short = await addOrganisation(deps(), { name: 'Assoc. Passerelles Palestine', address: '27 r. de la Paix', commune: '33063', postcode: '33000' });
    await t.kernel.db.updateTable('organisations').set({ updated_at: '2016-01-01T00:00:00.000Z' }).where('id', '=', full.id).execute();
    const id = await addCandidate(deps(), full.id, short.id, 'pending', 0.99);
    const page = (await staff.get(`/admin/doublons/${id}`)).body;
    const fullSide = full.id < short.id ? 'a' : 'b';
    assert.equal(checked(page, 'champ_name'), fullSide, 'the rule printed on the page: the name whose words are complete');
    assert.equal(checked(page, 'champ_place'), fullSide, 'the most complete value: « rue » rather than « r. »');
  });

  test('the record whose address has no added number is kept by default ("eau-vive" rather than "eau-vive-2")', async () => {
    const plain = await addOrganisation(deps(), { name: 'Eau Vive Adresse', commune: '33063' });
    const numbered = await addOrganisation(deps(), { name: 'EAU VIVE ADRESSE', commune: '33063' });
    assert.deepEqual([plain.slug, numbered.slug], ['eau-vive-adresse', 'eau-vive-adresse-2']);
    // The numbered record is the older one (imported with its first creation date, say).
    await t.kernel.db.updateTable('organisations').set({ created_at: '2016-01-01T00:00:00.000Z' }).where('id', '=', numbered.id).execute();
    const id = await addCandidate(deps(), plain.id, numbered.id, 'pending', 0.95);
    const plainSide = plain.id < numbered.id ? 'a' : 'b';
    const page = await staff.get(`/admin/doublons/${id}`);
    assert.equal(checked(page.body, 'conserver'), plainSide);
    assert.match(page.body, new RegExp(`value="${plainSide}" checked/><label [^>]+>Fiche ${plainSide.toUpperCase()} : Eau Vive Adresse \\(/acteurs/eau-vive-adresse\\)</label>`));
    const merged = await staff.post(`/admin/doublons/${id}/fusionner`, { conserver: plainSide });
    assert.equal(merged.statusCode, 303);
    const survivor = await findOrganisationById(t.kernel.db, plain.id);
    assert.equal(survivor?.slug, 'eau-vive-adresse', 'the plain address stays');
    assert.equal(locationOf(await t.client().get('/acteurs/eau-vive-adresse-2')), '/acteurs/eau-vive-adresse', 'the numbered one redirects to it');
  });

  test('two names a letter apart are shown as very close, not identical, in the queue a scan fills', async () => {
    const a = await addOrganisation(deps(), { name: 'Collectif Racines Lormont', commune: '33249', phone: '05 56 11 22 33' });
    const b = await addOrganisation(deps(), { name: 'Collectif Racine Lormont', commune: '33249', phone: '05 56 11 22 33' });
    await scanDuplicates(deps());
    const queue = await staff.get('/admin/doublons');
    const row = queue.body.slice(queue.body.indexOf('Collectif Racine'), queue.body.indexOf('</tr>', queue.body.indexOf('Collectif Racine')));
    assert.ok(row.includes(a.name) && row.includes(b.name), 'the pair is listed');
    assert.match(row, /noms très proches \(0,99\)/);
    assert.doesNotMatch(row, /noms identiques/);
  });

  test('the pair page says where each record came from, as the queue does', async () => {
    const w = await seedWorld(deps(), 'Provenance');
    const batch = '01a22cce-0000-7000-8000-00000000b001';
    await t.kernel.db
      .updateTable('organisations')
      .set({ source: 'capcoop', source_file: 'capcoop_export_2016.csv', source_ref: 'CAP-00331', import_batch_id: batch })
      .where('id', '=', w.absorbed.id)
      .execute();
    const source = '<span>Source : <span class="merge-file">capcoop_<wbr/>export_<wbr/>2016.csv</span></span> · <span>réf. CAP-00331</span>';
    assert.ok((await staff.get('/admin/doublons')).body.includes(source), 'the queue says it');
    const page = (await staff.get(`/admin/doublons/${w.candidate}`)).body;
    const card = (id: string) => page.slice(page.indexOf(`<section class="panel merge-card" aria-labelledby="merge-side-${id}"`), page.indexOf('</section>', page.indexOf(`aria-labelledby="merge-side-${id}"`)));
    const [absorbedSide, survivorSide] = w.absorbed.id < w.survivor.id ? ['a', 'b'] : ['b', 'a'];
    assert.ok(card(absorbedSide).includes(`${source} · <a href="/admin/imports/${batch}">voir l’import</a>`), card(absorbedSide));
    assert.doesNotMatch(card(survivorSide), /Source :|voir l’import/, 'a record typed in by hand has none');
  });

  test('a merge where the kept record takes the other’s name is told with the name it now has', async () => {
    const w = await seedWorld(deps(), 'Nom');
    const survivorSide = w.survivor.id < w.absorbed.id ? 'a' : 'b';
    const absorbedSide = survivorSide === 'a' ? 'b' : 'a';
    // Record kept: the survivor ("Eau Vive Gironde Nom"); name chosen: the absorbed one's ("EAU VIVE Nom").
    const merged = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: survivorSide, champ_name: absorbedSide });
    assert.equal(merged.statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, w.survivor.id))?.name, 'EAU VIVE Nom');
    const done = await staff.get(locationOf(merged));
    const text = done.body.replace(/[ \t\n]+/g, ' ');
    assert.match(text, /Fusion effectuée : les deux fiches sont réunies sous le nom «\u00a0EAU VIVE Nom\u00a0», celui de la fiche fusionnée ; la fiche conservée s’appelait «\u00a0Eau Vive Gironde Nom\u00a0»\./);
    assert.doesNotMatch(text, /a été fusionnée dans «\u00a0Eau Vive Gironde Nom\u00a0»\./, 'never "merged into" a name the record no longer has');
    assert.match(text, /<h1>Fusion de «\u00a0EAU VIVE Nom\u00a0» dans «\u00a0Eau Vive Gironde Nom\u00a0», renommée «\u00a0EAU VIVE Nom\u00a0»<\/h1>/);
    assert.match(text, /a pris le nom «\u00a0EAU VIVE Nom\u00a0»/);
    // Its address follows the name: the absorbed record's; its own former address leads there.
    assert.ok(text.includes(`qui a pris le nom «\u00a0EAU VIVE Nom\u00a0» et l’adresse /acteurs/${w.absorbed.slug}. L’ancienne adresse /acteurs/${w.survivor.slug} y redirige.`), text);
    assert.ok(!text.includes(`L’ancienne adresse /acteurs/${w.absorbed.slug}`), 'the address it holds is no former one');
    assert.doesNotMatch(text, /s’appelle désormais/, 'the name the merge gave is not a later rename');

    // The history names the kept record as it is now, and as it was.
    const history = (await staff.get('/admin/fusions')).body;
    assert.match(history, /\d+ fusions?</, 'the history counts merges, not pairs');
    assert.doesNotMatch(history, /\d+ paires?</);
    const row = history.slice(history.lastIndexOf('<tr', history.indexOf('EAU VIVE Nom')), history.indexOf('</tr>', history.indexOf('EAU VIVE Nom')));
    assert.match(row, /data-label="Fiche conservée"><div><span>EAU VIVE Nom<\/span><span class="merge-line muted">anciennement «\u00a0Eau Vive Gironde Nom\u00a0»<\/span>/);
    assert.match(row, /data-label="Fiche fusionnée">EAU VIVE Nom</);

    // Keeping its own name: said as before.
    const other = await staff.post(`/admin/doublons/${w.movedCandidate}/fusionner`, { conserver: w.survivor.id < w.other.id ? 'a' : 'b', champ_name: w.survivor.id < w.other.id ? 'a' : 'b' });
    assert.match((await staff.get(locationOf(other))).body, /Fusion effectuée : «\u00a0Eau Vive Landes Nom\u00a0» a été fusionnée dans «\u00a0EAU VIVE Nom\u00a0»\./);
  });

  test('an older merge of a chain links to the later one to undo first, and says where its former address leads now', async () => {
    const w = await seedWorld(deps(), 'Chaîne');
    const first = await staff.post(`/admin/doublons/${w.candidate}/fusionner`, { conserver: w.survivor.id < w.absorbed.id ? 'a' : 'b', champ_name: w.survivor.id < w.absorbed.id ? 'a' : 'b' });
    const firstUrl = locationOf(first);
    const before = (await staff.get(firstUrl)).body;
    assert.ok(before.includes(`L’ancienne adresse /acteurs/${w.absorbed.slug} y redirige.`), 'true while nothing moved it');

    // Then the kept record is itself merged into another: its addresses, the older one too, lead there.
    const otherSide = w.other.id < w.survivor.id ? 'a' : 'b';
    const second = await staff.post(`/admin/doublons/${w.movedCandidate}/fusionner`, { conserver: otherSide, champ_name: otherSide });
    assert.equal(second.statusCode, 303);
    const secondId = locationOf(second).split('/').pop()!;
    assert.equal(locationOf(await t.client().get(`/acteurs/${w.absorbed.slug}`)), `/acteurs/${w.other.slug}`);
    const page = (await staff.get(firstUrl)).body;
    assert.doesNotMatch(page, /y redirige/);
    assert.ok(page.includes(`L’ancienne adresse /acteurs/${w.absorbed.slug} redirige désormais vers «\u00a0Eau Vive Landes Chaîne\u00a0», à la suite d’une fusion plus récente.`));

    const refused = await staff.post(`${firstUrl}/annuler`);
    assert.equal(refused.statusCode, 409);
    const alert = refused.body.slice(refused.body.indexOf('role="alert"'), refused.body.indexOf('</p>', refused.body.indexOf('role="alert"')));
    assert.match(alert, /une fusion plus récente \(«\u00a0Eau Vive Gironde Chaîne\u00a0» dans «\u00a0Eau Vive Landes Chaîne\u00a0»\)/);
    assert.ok(alert.includes(`<a href="/admin/fusions/${secondId}">Ouvrir la fusion plus récente</a>`), alert);
    // Undone in order, each page tells the truth again.
    const undoneSecond = await staff.post(`/admin/fusions/${secondId}/annuler`);
    assert.equal(undoneSecond.statusCode, 303, undoneSecond.body.slice(undoneSecond.body.indexOf('role="alert"'), undoneSecond.body.indexOf('role="alert"') + 600));
    assert.ok((await staff.get(firstUrl)).body.includes(`L’ancienne adresse /acteurs/${w.absorbed.slug} y redirige.`));
    assert.equal((await staff.post(`${firstUrl}/annuler`)).statusCode, 303);
    assert.doesNotMatch((await staff.get(firstUrl)).body, /redirige/, 'an undone merge redirects nothing');
  });

  test('the safe pairs are merged from the queue after a confirmation, by the CLI’s scan, in the background, each merge undoable', async () => {
    /** A SIREN whose check digit is right (Luhn), from 8 digits. */
    const siren = (eight: string) => {
      const sum = (digits: string) => [...digits].reverse().reduce((s, d, i) => s + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(d)]! : Number(d)), 0);
      return eight + String((10 - (sum(`${eight}0`) % 10)) % 10);
    };
    const pair = async (name: string, id: string) => {
      const a = await addOrganisation(deps(), { name, commune: '33063', postcode: '33000', siren: id, kind_code: 'local_authority' });
      const b = await addOrganisation(deps(), { name: name.toUpperCase(), commune: '33063', postcode: '33000', siren: id, kind_code: 'local_authority' });
      return [a.id, b.id];
    };
    const first = await pair('Commune de Melleran Sûre', siren('21790179'));
    const second = await pair('Syndicat des eaux de Melleran Sûr', siren('25790179'));
    await scanDuplicates(deps());
    const safe = await t.kernel.db.selectFrom('duplicate_candidates').select(['organisation_a_id', 'organisation_b_id']).where('status', '=', 'pending').where('auto_mergeable', '=', 1).execute();
    assert.deepEqual(safe.map((p) => [p.organisation_a_id, p.organisation_b_id].sort()).sort(), [first.sort(), second.sort()].sort(), 'the scan marks both pairs safe');

    const queue = (await staff.get('/admin/doublons')).body;
    assert.ok(queue.includes('<a class="button button-primary" href="/admin/doublons/fusion-automatique" aria-describedby="merge-auto-hint">Fusionner les 2 paires sûres</a>'), 'the queue offers the action');
    const confirm = await staff.get('/admin/doublons/fusion-automatique');
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /2 paires de la file remplissent la règle de la fusion automatique/);
    assert.match(confirm.body, /probabilité d’au moins 99,5\u202f?\u00a0?%/);
    assert.match(confirm.body, /même SIREN ou SIRET, même numéro RNA ou même code INSEE/);
    assert.match(confirm.body, /<form method="post" action="\/admin\/doublons\/fusion-automatique"/);
    assert.match(confirm.body, /<button type="submit" class="button button-primary"[^>]*>Fusionner les 2 paires sûres<\/button>/);
    assert.equal(await t.kernel.db.selectFrom('merges').select('id').where('kind', '=', 'auto').executeTakeFirst(), undefined, 'nothing merged by looking');

    const asked = await staff.post('/admin/doublons/fusion-automatique');
    assert.equal(asked.statusCode, 303);
    assert.equal(locationOf(asked), '/admin/doublons');
    const waiting = (await staff.get('/admin/doublons')).body;
    assert.match(waiting, /Fusion automatique lancée/);
    assert.match(waiting, /Fusion automatique des paires sûres demandée le [^<]+\u00a0: elle attend son tour/);
    assert.doesNotMatch(waiting, /href="\/admin\/doublons\/fusion-automatique"/, 'not offered twice');
    // Asked again (a double click, another person): the same job.
    await staff.post('/admin/doublons/fusion-automatique');
    assert.match((await staff.get('/admin/doublons')).body, /déjà demandée/);
    const jobs = await t.kernel.db.selectFrom('jobs').select(['payload']).where('name', '=', 'duplicates.scan').where('status', '=', 'queued').execute();
    assert.equal(jobs.filter((j) => JSON.parse(j.payload).autoMerge === true).length, 1);

    // Running: its progress on the queue.
    await t.kernel.db.updateTable('jobs').set({ status: 'running', updated_at: t.kernel.clock.now().toISOString() }).where('name', '=', 'duplicates.scan').where('status', '=', 'queued').execute();
    const running = (await staff.get('/admin/doublons')).body;
    assert.match(running, /Fusion automatique des paires sûres en cours depuis le [^<]+\u00a0: 0 paire fusionnée jusqu’ici, 2 paires sûres encore dans la file\./);
    assert.match(running, /<a href="\/admin\/doublons">Actualiser<\/a>/);
    await t.kernel.db.updateTable('jobs').set({ status: 'queued', lease_until: null }).where('name', '=', 'duplicates.scan').where('status', '=', 'running').execute();
    await t.kernel.jobs.runDue();

    const merges = await t.kernel.db.selectFrom('merges').select(['id', 'kind', 'merged_by', 'survivor_id', 'absorbed_id']).where('kind', '=', 'auto').execute();
    assert.equal(merges.length, 2);
    const staffId = (await t.kernel.db.selectFrom('users').select('id').where('email', '=', 'camille@example.org').executeTakeFirstOrThrow()).id;
    assert.deepEqual(merges.map((m) => m.merged_by), [staffId, staffId], 'made in the name of who asked');
    const done = (await staff.get('/admin/doublons')).body;
    assert.match(done, /2 paires fusionnées automatiquement\./);
    assert.doesNotMatch(done, /fusion-automatique/, 'no safe pair left to offer');
    assert.match((await staff.get('/admin/doublons/fusion-automatique')).body, /Aucune paire de la file ne remplit la règle/);
    // Each one is undone on its own, as any merge.
    const page = (await staff.get(`/admin/fusions/${merges[0]!.id}`)).body;
    const asker = await t.kernel.db.selectFrom('users').select(['display_name', 'email']).where('email', '=', 'camille@example.org').executeTakeFirstOrThrow();
    assert.ok(page.includes(`par ${asker.display_name || asker.email}`), 'the merge page names who asked');
    assert.equal((await staff.post(`/admin/fusions/${merges[0]!.id}/annuler`)).statusCode, 303);
    assert.ok(await findOrganisationById(t.kernel.db, merges[0]!.absorbed_id), 'the absorbed record is back');
    assert.ok(!(await findOrganisationById(t.kernel.db, merges[1]!.absorbed_id)), 'the other merge stays');
  });

  test('members and visitors are kept out', async () => {
    const member = await t.loginAs('member');
    for (const url of ['/admin/doublons', '/admin/fusions']) {
      assert.equal((await member.get(url)).statusCode, 403);
      assert.equal((await t.client().get(url)).statusCode, 302);
    }
  });
});
