import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { draftOf, findOrganisationBySlug, linkUserToOrganisation, updateOrganisation } from '../organisations/index.js';
import { addOrganisation, type DirectoryFixtures, seedDirectory, XSS_NAME } from './test-fixtures.js';

/** The names of the result cards, in page order. */
function cardNames(html: string): string[] {
  return [...html.matchAll(/<li class="org-card"><h3><a href="[^"]+"><span>([^<]*)<\/span>/g)].map((m) => decode(m[1] ?? ''));
}

function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&#34;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function count(html: string): string {
  return decode(/<p id="directory-count"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? '');
}

/** A facet checkbox: whether it is there, ticked, and the label with its count. */
function facet(html: string, name: string, value: string): { checked: boolean; label: string } | undefined {
  const id = `facet-${name}-${value}`;
  const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  if (!input) return undefined;
  const label = new RegExp(`<label for="${id}">([^<]*)</label>`).exec(html)?.[1] ?? '';
  return { checked: /\schecked(\s|\/|>)/.test(input), label: decode(label) };
}

forEachDialect('the public directory', (dialect) => {
  let t: TestApp;
  let f: DirectoryFixtures;
  let visitor: Client;

  before(async () => {
    t = await testApp(dialect);
    const deps = { db: t.kernel.db, clock: t.kernel.clock };
    f = await seedDirectory(deps);
    // Enough twinning committees in Lot-et-Garonne to fill more than one page (50 per page).
    for (let i = 1; i <= 52; i++) {
      await addOrganisation(deps, { name: `Comité de jumelage ${String(i).padStart(2, '0')}`, kind_code: 'other', commune: '47001', themes: ['culture_heritage'] });
    }
    visitor = t.client();
  });
  after(() => t.close());

  test('"association eau senegal" finds "Associations … l\'eau … Sénégal", whatever the accents and case', async () => {
    for (const q of ['association eau senegal', 'ASSOCIATIONS EAU SÉNÉGAL', 'Sénégal']) {
      const res = await visitor.get(`/annuaire?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(cardNames(res.body), ["Associations pour l'eau du Sénégal"], q);
      assert.equal(count(res.body), '1 structure');
    }
  });

  test('a prefix finds as one types, and a word that matches nothing says so', async () => {
    assert.deepEqual(cardNames((await visitor.get('/annuaire?q=pess')).body), ['Mairie de Pessac']);
    assert.deepEqual(cardNames((await visitor.get('/annuaire?q=perigo')).body), ['Éducation à la citoyenneté en Périgord']);
    const none = await visitor.get('/annuaire?q=zzzzzz');
    assert.equal(count(none.body), 'Aucune structure ne correspond.');
    assert.match(none.body, /Essayez un autre mot/);
  });

  test('facets show counts, tick what is chosen, and combine', async () => {
    const all = await visitor.get('/annuaire');
    assert.equal(count(all.body), '57 structures', 'visitors see the public records only');
    assert.deepEqual(facet(all.body, 'famille', 'association'), { checked: false, label: 'Association (3)' });
    assert.deepEqual(facet(all.body, 'departement', '47'), { checked: false, label: '47 – Lot-et-Garonne (52)' });
    assert.deepEqual(facet(all.body, 'pays', 'BF'), { checked: false, label: 'Burkina Faso (2)' });
    assert.deepEqual(facet(all.body, 'odd', '6'), { checked: false, label: 'ODD 6 : Eau propre et assainissement (1)' });
    assert.deepEqual(facet(all.body, 'zone', 'west_africa'), { checked: false, label: 'Afrique de l’Ouest (3)' });

    const combined = await visitor.get('/annuaire?famille=association&famille=local_authority&pays=BF');
    assert.deepEqual(cardNames(combined.body), ['Mairie de Pessac']);
    assert.equal(facet(combined.body, 'famille', 'association')?.checked, true);
    assert.equal(facet(combined.body, 'famille', 'local_authority')?.checked, true);
    assert.equal(facet(combined.body, 'pays', 'BF')?.checked, true);
    // Each facet counts the set filtered by the others: Burkina Faso holds one association or local authority.
    assert.equal(facet(combined.body, 'pays', 'BF')?.label, 'Burkina Faso (1)');
    assert.equal(facet(combined.body, 'famille', 'popular_education')?.label, 'Structure d’éducation populaire (1)');

    const member = await visitor.get('/annuaire?adherent=oui');
    assert.deepEqual(cardNames(member.body), ["Associations pour l'eau du Sénégal"]);
    assert.match(member.body, /<input type="radio" id="facet-adherent-oui" name="adherent" value="oui" checked/);
  });

  test('a chosen value the other filters exclude stays listed, at zero, so it can be unticked', async () => {
    const res = await visitor.get('/annuaire?famille=company&departement=33');
    assert.equal(count(res.body), 'Aucune structure ne correspond.');
    assert.deepEqual(facet(res.body, 'famille', 'company'), { checked: true, label: 'Entreprise (0)' });
  });

  test('results are sorted by name or by last update, and paged with links that keep the filters', async () => {
    const first = await visitor.get('/annuaire?departement=47&tri=nom');
    assert.equal(count(first.body), '52 structures');
    const names = cardNames(first.body);
    assert.equal(names.length, 50);
    assert.equal(names[0], 'Comité de jumelage 01');
    // Name order is the default without a query: the link leaves it implicit.
    assert.match(first.body, /<a href="\/annuaire\?departement=47&page=2" rel="next">/);
    const second = await visitor.get('/annuaire?departement=47&tri=nom&page=2');
    assert.deepEqual(cardNames(second.body), ['Comité de jumelage 51', 'Comité de jumelage 52']);
    // A page past the end (an old link, narrower filters) leads to the last page, the address otherwise as asked.
    const beyond = await visitor.get('/annuaire?departement=47&tri=nom&page=99');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/annuaire?departement=47&tri=nom&page=2');
    for (const page of ['3', '99999', '99999999999999999999']) {
      const far = await visitor.get(`/annuaire?page=${page}&departement=47&tri=nom`);
      assert.equal(far.headers.location, '/annuaire?page=2&departement=47&tri=nom', `page ${page}`);
    }
    // Every value of a repeated filter travels; an empty list leads to its address without page.
    const none = await visitor.get('/annuaire?departement=47&famille=company&famille=foundation&page=2');
    assert.equal(none.statusCode, 302);
    assert.equal(none.headers.location, '/annuaire?departement=47&famille=company&famille=foundation');
    assert.equal((await visitor.get('/annuaire?departement=47&tri=nom&page=2')).statusCode, 200);

    const found = await findOrganisationBySlug(t.kernel.db, 'comite-de-jumelage-07');
    assert.ok(found);
    const later = { now: () => new Date(Date.now() + 60_000) };
    await updateOrganisation({ db: t.kernel.db, clock: later }, { id: null, email: null }, found.organisation.id, {
      ...draftOf(found.organisation),
      acronym: 'CJ7',
    });
    const recent = await visitor.get('/annuaire?departement=47&tri=recent');
    assert.equal(cardNames(recent.body)[0], 'Comité de jumelage 07');
    assert.match(recent.body, /<option value="recent" selected>/);
  });

  test('with HX-Request (or ?partiel=1) only the count, the facets, the results and the filters’ disclosure words come back', async () => {
    for (const res of [
      await visitor.get('/annuaire?theme=water_sanitation', { 'hx-request': 'true' }),
      await visitor.get('/annuaire?theme=water_sanitation&partiel=1'),
    ]) {
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, /<html|<form|<header/);
      assert.match(res.body, /^<p id="directory-count" class="result-count" role="status">1 structure<\/p><div id="directory-facets"/);
      assert.match(res.body, /<div id="directory-results"/);
      assert.deepEqual(cardNames(res.body), ["Associations pour l'eau du Sénégal"]);
      assert.match(res.body, /<span id="directory-filter-label" class="filter-disclosure-label">Filtres \(1 actif\)<\/span>$/);
    }
    const full = await visitor.get('/annuaire?theme=water_sanitation');
    assert.match(String(full.headers.vary), /HX-Request/i, 'caches keep the page and the fragment apart');
    assert.match(full.body, /<script src="\/assets\/directory.js" defer><\/script>/);
    assert.match(full.body, /<form id="directory-form" class="directory-form" method="get" action="\/annuaire"/);
  });

  test('members-only and staff-only records appear only to those allowed, in the list and as pages', async () => {
    const member = await t.loginAs('member');
    const staff = await t.loginAs('staff');
    const q = '/annuaire?famille=association&famille=other&departement=33&departement=87';
    assert.deepEqual(cardNames((await visitor.get(q)).body).includes('Collectif Limousin Mali'), false);
    assert.equal(cardNames((await member.get(q)).body).includes('Collectif Limousin Mali'), true);
    assert.equal(cardNames((await member.get(q)).body).includes('Cellule de veille interne'), false);
    assert.equal(cardNames((await staff.get(q)).body).includes('Cellule de veille interne'), true);

    assert.equal((await visitor.get(`/acteurs/${f.limousin.slug}`)).statusCode, 404);
    const asMember = await member.get(`/acteurs/${f.limousin.slug}`);
    assert.equal(asMember.statusCode, 200);
    assert.match(asMember.body, /Fiche visible des membres du réseau seulement/);
    assert.equal((await member.get(`/acteurs/${f.internal.slug}`)).statusCode, 404);
    assert.equal((await staff.get(`/acteurs/${f.internal.slug}`)).statusCode, 200);
    assert.equal((await visitor.get('/acteurs/structure-inconnue')).statusCode, 404);
  });

  test('an organisation’s page offers its own people to propose a change, and staff to edit it; nobody else', async () => {
    const editLink = /<a class="button button-secondary button-small" href="([^"]+)">([^<]+)<\/a>/;
    assert.doesNotMatch((await visitor.get(`/acteurs/${f.water.slug}`)).body, editLink);
    const member = await t.loginAs('member', 'fiche.apes@example.org');
    assert.doesNotMatch((await member.get(`/acteurs/${f.water.slug}`)).body, editLink, 'not a person of this organisation');
    const user = (await findUserByEmail(t.db.db, 'fiche.apes@example.org'))!;
    await linkUserToOrganisation(t.db.db, user.id, f.water.id, new Date().toISOString());
    const own = editLink.exec((await member.get(`/acteurs/${f.water.slug}`)).body);
    assert.deepEqual(own?.slice(1), [`/mon-espace/structures/${f.water.id}/modifier`, 'Proposer une modification de cette fiche']);
    assert.equal((await member.get(own![1]!)).statusCode, 200, 'the proposal form opens');
    const staff = editLink.exec((await (await t.loginAs('staff')).get(`/acteurs/${f.water.slug}`)).body);
    assert.deepEqual(staff?.slice(1), [`/admin/organisations/${f.water.id}`, 'Modifier cette fiche dans le back-office']);
  });

  test("an organisation's page: public fields, links back into the directory, map, JSON-LD", async () => {
    const res = await visitor.get(`/acteurs/${f.water.slug}`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h1><span>Associations pour l&#39;eau du Sénégal<\/span><span class="org-acronym"> \(APES\)<\/span><\/h1>/);
    assert.match(html, /<a href="tel:\+33556000000">05 56 00 00 00<\/a>/, 'the phone is shown French style');
    assert.match(html, /<a href="https:\/\/eau-senegal.example.org" rel="noopener">/);
    assert.match(html, /<a href="\/annuaire\?theme=water_sanitation">Eau et assainissement<\/a>/);
    assert.match(html, /<a href="\/annuaire\?pays=SN">Sénégal<\/a>/);
    assert.match(html, /<a href="\/annuaire\?odd=6">ODD 6 : Eau propre et assainissement<\/a>/);
    assert.match(html, /<a href="\/annuaire\?departement=33">Gironde \(33\)<\/a>/);
    assert.match(html, /<p>Forages et <strong>latrines<\/strong> à Podor/, 'the sanitised description keeps its formatting');
    assert.match(html, /<a href="\/carte\?departement=33">/);
    const ld = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(ld, 'JSON-LD is present');
    const data = JSON.parse(ld) as Record<string, unknown>;
    assert.equal(data['@type'], 'Organization');
    assert.equal(data.name, "Associations pour l'eau du Sénégal");
    assert.equal(data.telephone, '+33556000000');
    assert.deepEqual(data.address, { '@type': 'PostalAddress', addressCountry: 'FR', streetAddress: '12 rue des Fontaines', postalCode: '33000', addressLocality: 'Bordeaux' });
    // No position yet: no map, and no map script.
    assert.doesNotMatch(html, /data-mini-map/);

    await t.kernel.db
      .updateTable('organisations')
      .set({ latitude: 44.8378, longitude: -0.5792, geo_precision: 'commune' })
      .where('id', '=', f.water.id)
      .execute();
    const located = (await visitor.get(`/acteurs/${f.water.slug}`)).body;
    assert.match(
      located,
      /<div class="mini-map" data-mini-map data-lat="44.8378" data-lng="-0.5792" data-label="Associations pour l'eau du Sénégal" data-approximate="true"/,
    );
    assert.match(located, /<script src="\/assets\/js\/map.js" defer><\/script>/);
    assert.match(located, /Position approximative/);
    await t.kernel.db.updateTable('organisations').set({ latitude: null, longitude: null, geo_precision: null }).where('id', '=', f.water.id).execute();
  });

  test('a renamed organisation keeps answering at its old address with a 301', async () => {
    const deps = { db: t.kernel.db, clock: t.kernel.clock };
    const old = await addOrganisation(deps, { name: 'Ancien nom du collectif', kind_code: 'association', commune: '33063' });
    await updateOrganisation(deps, { id: null, email: null }, old.id, { ...draftOf(old), name: 'Nouveau nom du collectif' });
    const res = await visitor.get(`/acteurs/${old.slug}`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, '/acteurs/nouveau-nom-du-collectif');
    assert.equal(res.headers['cache-control'], 'no-cache', 'browsers ask again rather than keep the redirect for good: a rename can be reverted');
    assert.equal((await visitor.get('/acteurs/nouveau-nom-du-collectif')).statusCode, 200);
  });

  test('HTML in a name, an acronym or a description is rendered inert', async () => {
    const list = await visitor.get('/annuaire?theme=human_rights');
    assert.deepEqual(cardNames(list.body), [XSS_NAME]);
    assert.doesNotMatch(list.body, /<script>alert/);
    assert.match(list.body, /&lt;script>alert\(&#34;nom&#34;\)&lt;\/script> Solidarité/);

    const page = await visitor.get(`/acteurs/${f.xss.slug}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /onerror/);
    assert.doesNotMatch(page.body, /javascript:/);
    assert.doesNotMatch(page.body, /<b>X<\/b>/);
    assert.match(page.body, /\(&lt;b>X&lt;\/b>\)/);
    // Inside the JSON-LD block nothing can close the script element.
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '';
    assert.doesNotMatch(ld, /</);
    assert.equal((JSON.parse(ld) as { name: string }).name, XSS_NAME);
  });

  test('labels follow the language: English facets and dates', async () => {
    const english = t.client();
    const res = await english.get('/annuaire?theme=water_sanitation', { 'accept-language': 'en' });
    assert.equal(count(res.body), '1 organisation');
    assert.equal(facet(res.body, 'theme', 'water_sanitation')?.label, 'Water and sanitation (1)');
    assert.equal(facet(res.body, 'odd', '6')?.label, 'SDG 6: Clean water and sanitation (1)');
    assert.equal(facet(res.body, 'pays', 'SN')?.label, 'Senegal (1)');
  });

  test('the directory is in the main menu', async () => {
    const home = await visitor.get('/');
    assert.match(home.body, /<a href="\/annuaire">Annuaire<\/a>/);
  });
});
