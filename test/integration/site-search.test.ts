import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';
import { newId } from '../../src/kernel/ids.js';
import { indexText } from '../../src/kernel/search/normalise.js';
import { addEvent } from '../../src/modules/agenda/test-fixtures.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';

const DAY = 24 * 3600 * 1000;
const inDays = (days: number, hours = 0) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY + hours * 3600 * 1000).toISOString();
const AT = inDays(-5);

/** Link targets of the result list, in page order. */
function hitLinks(html: string): string[] {
  return [...html.matchAll(/<li class="search-hit"><h3><a href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

forEachDialect('site-wide search, sitemap and share tags', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  const slugs: Record<string, string> = {};

  async function organisation(name: string, visibility: string) {
    const valid = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000', visibility }, taxonomyCodes(await taxonomies(t.kernel.db)), {
      currentYear: 2026,
    });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    return createOrganisation({ db: t.kernel.db, clock: t.kernel.clock }, { id: null, email: null }, valid.draft);
  }

  async function watchItem(title: string, status: 'kept' | 'ignored', link: string) {
    const sourceId = newId();
    await t.kernel.db
      .insertInto('watch_sources')
      .values({ id: sourceId, url: `https://veille.example/${sourceId}.xml`, name: 'Ministère', category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: AT, updated_at: AT })
      .execute();
    await t.kernel.db
      .insertInto('watch_items')
      .values({ id: newId(), source_id: sourceId, guid: link, link_key: null, title_key: title, link, title, summary_html: null, excerpt: 'Un appel sur l’eau potable.', author: null, published_at: AT, date_missing: 0, content_hash: link, status, category: null, note: null, decided_by: null, decided_at: null, search_text: indexText(title), first_seen_at: AT, updated_at: AT })
      .execute();
  }

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    slugs.public = (await organisation("Associations pour l'eau du Sénégal", 'public')).slug;
    slugs.members = (await organisation('Collectif eau des adhérents', 'members')).slug;
    slugs.other = (await organisation('Université de Poitiers', 'public')).slug;
    slugs.event = (await addEvent(t.kernel.db, { title: 'Rencontre régionale sur l’eau', summary: 'Projets d’eau potable.', starts_at: inDays(5, 8), ends_at: inDays(5, 11) })).slug;
    slugs.pastEvent = (await addEvent(t.kernel.db, { title: 'Atelier eau de l’an dernier', starts_at: inDays(-300, 8), ends_at: inDays(-300, 11) })).slug;
    slugs.draftEvent = (await addEvent(t.kernel.db, { title: 'Brouillon eau', status: 'draft', starts_at: inDays(30, 8), ends_at: inDays(30, 11) })).slug;
    await watchItem('Eau potable : appel de l’Agence', 'kept', 'https://agence.example/eau');
    await watchItem('Eau : élément ignoré', 'ignored', 'https://agence.example/ignore');
  });
  after(async () => {
    await t.close();
  });

  test('one search finds organisations, events and kept watch items, accent- and case-insensitively, with counts per section', async () => {
    const page = await visitor.get('/recherche?q=EAU');
    assert.equal(page.statusCode, 200);
    const links = hitLinks(page.body);
    assert.ok(links.includes(`/acteurs/${slugs.public}`), 'the public organisation');
    assert.ok(links.includes(`/agenda/${slugs.event}`), 'the upcoming event');
    assert.ok(links.includes(`/agenda/${slugs.pastEvent}`), 'the past event');
    assert.ok(links.includes('https://agence.example/eau'), 'the kept watch item');
    assert.ok(!links.includes(`/acteurs/${slugs.members}`), 'a members-only organisation stays hidden from visitors');
    assert.ok(!links.includes(`/agenda/${slugs.draftEvent}`), 'a draft event stays hidden');
    assert.ok(!links.includes('https://agence.example/ignore'), 'an ignored watch item stays out');
    assert.ok(!links.includes(`/acteurs/${slugs.other}`), 'an organisation without the word is not found');
    assert.ok(links.indexOf(`/agenda/${slugs.event}`) < links.indexOf(`/agenda/${slugs.pastEvent}`), 'upcoming events before past ones');
    assert.match(page.body, /href="\/recherche\?q=EAU&(amp;)?rubrique=agenda"[^>]*>Agenda \(2\)</);
    assert.match(page.body, /Acteurs de l’annuaire \(1\)/);
    assert.match(page.body, /<p role="status">4 résultats<\/p>/);
  });

  test('a member sees what members may see', async () => {
    const member = await t.loginAs('member');
    const links = hitLinks((await member.get('/recherche?q=eau')).body);
    assert.ok(links.includes(`/acteurs/${slugs.members}`));
  });

  test('a section narrows the results and is marked as the current one', async () => {
    const page = await visitor.get('/recherche?q=eau&rubrique=agenda');
    assert.deepEqual(hitLinks(page.body), [`/agenda/${slugs.event}`, `/agenda/${slugs.pastEvent}`]);
    assert.match(page.body, /href="\/recherche\?q=eau&(amp;)?rubrique=agenda" aria-current="page"/);
    const unknown = await visitor.get('/recherche?q=eau&rubrique=inconnue');
    assert.equal(hitLinks(unknown.body).length, 4, 'an unknown section searches everything');
  });

  test('no query, no result, a hostile or repeated query: a clear page, never an error', async () => {
    assert.match((await visitor.get('/recherche')).body, /Tapez un ou plusieurs mots/);
    assert.match((await visitor.get('/recherche?q=zzzzqq')).body, /Aucun résultat pour « zzzzqq »/);
    const hostile = await visitor.get(`/recherche?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(hostile.statusCode, 200);
    const outsideAttributes = hostile.body.replace(/="[^"]*"/g, '=""');
    assert.ok(!outsideAttributes.includes('<script>'), 'the query never becomes markup');
    assert.match(hostile.body, /Résultats pour « &lt;script(&gt;|>)alert/);
    assert.equal((await visitor.get('/recherche?q=eau&q=autre')).statusCode, 200);
    assert.match((await visitor.get(`/recherche?q=${'a'.repeat(300)}`)).body, /limitée à 200 caractères/);
  });

  test('every public page offers the site search in its header', async () => {
    const home = await visitor.get('/');
    assert.match(home.body, /<form method="get" action="\/recherche" role="search"/);
  });

  test('the sitemap lists public pages only, with absolute URLs; robots.txt points to it', async () => {
    const res = await visitor.get('/sitemap.xml');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /application\/xml/);
    const locs = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    for (const path of ['/', '/annuaire', '/carte', '/agenda', '/veille', '/mentions-legales', `/acteurs/${slugs.public}`, `/agenda/${slugs.event}`]) {
      assert.ok(locs.includes(`http://localhost:3000${path}`), `${path} in the sitemap`);
    }
    assert.ok(!locs.some((l) => l?.includes(slugs.members!)), 'no members-only organisation');
    assert.ok(!locs.some((l) => l?.includes(slugs.draftEvent!)), 'no draft event');
    assert.equal(new Set(locs).size, locs.length, 'each URL once');
    assert.match(res.body, /<lastmod>\d{4}-\d{2}-\d{2}<\/lastmod>/);
    assert.match((await visitor.get('/robots.txt')).body, /Sitemap: http:\/\/localhost:3000\/sitemap\.xml/);
    const icon = await visitor.get('/favicon.ico');
    assert.equal(icon.statusCode, 301, 'a browser showing a feed raw finds the logo');
    assert.equal(icon.headers.location, '/assets/logo.svg');
  });

  test('public pages carry Open Graph and Twitter tags; the home page shows the next events', async () => {
    const home = await visitor.get('/');
    assert.match(home.body, /<meta property="og:url" content="http:\/\/localhost:3000\/"/);
    assert.match(home.body, /<meta property="og:title" content="[^"]+"/);
    assert.match(home.body, /<meta name="twitter:card" content="summary"/);
    assert.match(home.body, /Prochains rendez-vous/);
    assert.ok(home.body.includes(`/agenda/${slugs.event}`));
    const staff = await t.loginAs('staff');
    assert.doesNotMatch((await staff.get('/admin')).body, /og:title/, 'no share tags in the back office');
  });
});
