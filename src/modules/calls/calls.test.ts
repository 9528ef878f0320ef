import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import ICAL from 'ical.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { CALL_ALERTS_LIST_ID } from '../call-alerts/index.js';
import { callsModule, callsPublishedBetween, closingSoonCalls } from './index.js';
import { callsSearchSection } from './search.js';
import { updateCall } from './service.js';
import { addCall, callDraft, SEED_ACTOR } from './test-fixtures.js';
import type { Call } from './types.js';
import { callsVersion } from './version.js';

// Sunday 10 January 2027, 11:00 in Paris.
const NOW = new Date('2027-01-10T10:00:00Z');

function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&#34;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Titles of the call cards, in page order. */
function titles(html: string): string[] {
  return [...html.matchAll(/<h2 class="call-card-title"><a href="[^"]+"><span>([^<]*)<\/span>/g)].map((m) => decode(m[1] ?? ''));
}

const spaces = (s: string) => decode(s).replace(/[\u00a0\u202f]/g, ' ');

forEachDialect('calls for projects: public list, filters, pages, feeds, calendar, home block, search', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let now = NOW;
  const calls: Record<string, Call> = {};

  before(async () => {
    t = await testApp(dialect, { clock: { now: () => now } });
    visitor = t.client();
    const deps = { db: t.kernel.db, clock: t.kernel.clock };
    // Published a second apart, in this order (the newest last).
    let second = -6;
    const tick = () => (now = new Date(NOW.getTime() + ++second * 1000));
    tick();
    calls.youth = await addCall(
      deps,
      callDraft({
        title: 'Jeunesse solidaire au Sénégal',
        funder: 'Région Bretagne',
        summary: 'Soutenir les projets de mobilité des jeunes.',
        closes_on: '2027-01-20',
        amount_min_cents: 500_000,
        amount_max_cents: 5_000_000,
        cofinancing_rate: 80,
        links: { themes: ['youth_mobility'], kinds: ['association'], zones: ['west_africa'], regions: ['53'] },
      }),
    );
    tick();
    calls.water = await addCall(
      deps,
      callDraft({
        title: 'Eau potable à Madagascar',
        funder: 'Agence de l’eau',
        closes_on: '2027-03-31',
        closes_time: '12:00',
        amount_max_cents: 2_000_050,
        description_html: '<p>Programme <strong>eau</strong></p>',
        links: { themes: ['water_sanitation'], kinds: ['local_authority'], countries: ['MG'], departments: ['29'] },
      }),
    );
    tick();
    calls.farming = await addCall(deps, callDraft({ title: 'Agriculture familiale', funder: 'Ministère', opens_on: '2027-02-01', closes_on: '2027-04-30', links: { themes: ['agriculture_food'] } }));
    tick();
    calls.closed = await addCall(deps, callDraft({ title: 'Ancien appel récemment clos', closes_on: '2027-01-05' }));
    tick();
    calls.old = await addCall(deps, callDraft({ title: 'Très ancien appel', closes_on: '2026-06-30' }));
    tick();
    calls.draft = await addCall(deps, callDraft({ title: 'Brouillon secret', closes_on: '2027-01-15' }), 'draft');
    now = NOW;
  });
  after(() => t.close());

  test('the list shows published calls not closed, the closest deadline first, with counts per status', async () => {
    const res = await visitor.get('/appels-a-projets');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ['Jeunesse solidaire au Sénégal', 'Eau potable à Madagascar', 'Agriculture familiale']);
    assert.match(res.body, /3 appels à projets/);
    assert.match(decode(res.body), /Ferment dans les 14 jours \(1\)/);
    assert.match(decode(res.body), /Ouverts \(2\)/);
    assert.match(decode(res.body), /À venir \(1\)/);
    assert.match(decode(res.body), /Voir les appels clos \(2\)/);
    assert.match(res.body, /href="\/appels-a-projets\.ics"/);
    assert.match(res.body, /<link rel="alternate" type="application\/rss\+xml"[^>]*href="[^"]*\/appels-a-projets\/flux\.rss"/);
    // Badge and days left in words, not by colour only.
    assert.match(decode(res.body), /Ferme bientôt<\/span> <time datetime="2027-01-20">Clôture le 20 janvier 2027<\/time> · <strong>Plus que 10 jours/);
    assert.match(decode(res.body), /À venir<\/span>/);
  });

  test('filters in the query string: status, theme, kind, country (through zones), territory, words', async () => {
    const list = async (query: string) => titles((await visitor.get(`/appels-a-projets?${query}`)).body);
    assert.deepEqual(await list('statut=bientot'), ['Jeunesse solidaire au Sénégal']);
    assert.deepEqual(await list('statut=a-venir'), ['Agriculture familiale']);
    assert.deepEqual(await list('statut=en-cours'), ['Jeunesse solidaire au Sénégal', 'Eau potable à Madagascar']);
    assert.deepEqual(await list('theme=water_sanitation'), ['Eau potable à Madagascar']);
    assert.deepEqual(await list('acteur=association'), ['Jeunesse solidaire au Sénégal']);
    // Senegal is in West Africa, the zone the youth call names; Madagascar is in the Indian Ocean.
    assert.deepEqual(await list('pays=SN'), ['Jeunesse solidaire au Sénégal']);
    assert.deepEqual(await list('zone=indian_ocean'), ['Eau potable à Madagascar']);
    // Région and département: the calls open to actors there. Finistère (29) is in Bretagne (53): a
    // call for Bretagne is open in Finistère, a call for Finistère is part of Bretagne's; a call that
    // names no territory (the ministry's) is open everywhere; a call for Bretagne is not open elsewhere.
    assert.deepEqual(await list('departement=29'), ['Jeunesse solidaire au Sénégal', 'Eau potable à Madagascar', 'Agriculture familiale']);
    assert.deepEqual(await list('departement=35'), ['Jeunesse solidaire au Sénégal', 'Agriculture familiale']);
    assert.deepEqual(await list('region=53'), ['Jeunesse solidaire au Sénégal', 'Eau potable à Madagascar', 'Agriculture familiale']);
    assert.deepEqual(await list('region=11'), ['Agriculture familiale']);
    assert.deepEqual(await list('departement=33'), ['Agriculture familiale']);
    assert.deepEqual(await list('region=75&statut=a-venir'), ['Agriculture familiale']);
    assert.deepEqual(await list('region=11&theme=youth_mobility'), []);
    assert.deepEqual(await list('q=jeunes'), ['Jeunesse solidaire au Sénégal']);
    assert.deepEqual(await list('q=agence+eau'), ['Eau potable à Madagascar']);
    assert.deepEqual(await list('q=secret'), []);
    assert.deepEqual(await list('tri=recent'), ['Agriculture familiale', 'Eau potable à Madagascar', 'Jeunesse solidaire au Sénégal']);
    const filtered = await visitor.get('/appels-a-projets?theme=water_sanitation&statut=en-cours');
    assert.match(decode(filtered.body), /1 appel à projets/);
    assert.match(decode(filtered.body), /<option value="water_sanitation" selected>/);
    // The feeds keep the filters.
    assert.match(decode(filtered.body), /href="\/appels-a-projets\.ics\?statut=en-cours&theme=water_sanitation"/);
  });

  test('the list and a call’s page lead to the email alerts: the public form, or a member’s own subscriptions', async () => {
    const alertLinks = (html: string) => [...decode(html).matchAll(/<a[^>]*href="([^"]*)"[^>]*>Recevoir les nouveaux appels par email<\/a>/g)].map((m) => m[1]);
    const list = await visitor.get('/appels-a-projets?theme=water_sanitation');
    const alertsForm = `/lettre?liste=${CALL_ALERTS_LIST_ID}`;
    assert.deepEqual(alertLinks(list.body), [alertsForm, alertsForm], 'at the top and in « Suivre les appels à projets »');
    assert.match(decode(list.body), /Au plus un email par jour, avec les nouveaux appels à projets/);
    assert.deepEqual(alertLinks((await visitor.get(`/appels-a-projets/${calls.youth!.slug}`)).body), [alertsForm]);
    // /lettre offers the alerts list the links lead to, ticked (and only it: not the monthly letter).
    const form = decode((await visitor.get(alertsForm)).body);
    assert.match(form, /Alertes appels à projets/);
    assert.deepEqual([...form.matchAll(/name="lists" value="([^"]+)" checked/g)].map((m) => m[1]), [CALL_ALERTS_LIST_ID]);
    const member = await t.loginAs('member');
    assert.deepEqual(alertLinks((await member.get('/appels-a-projets')).body), ['/mon-espace/lettres', '/mon-espace/lettres']);
    assert.deepEqual(alertLinks((await member.get(`/appels-a-projets/${calls.youth!.slug}`)).body), ['/mon-espace/lettres']);
    assert.match(decode((await member.get('/mon-espace/lettres')).body), /Alertes appels à projets/);
  });

  test('each filter’s « all » choice agrees with what it filters', async () => {
    const page = (await visitor.get('/appels-a-projets')).body;
    const anyLabel = (name: string) => new RegExp(`<select id="[^"]*" name="${name}"[^>]*><option value=""[^>]*>([^<]*)</option>`).exec(page)?.[1];
    assert.deepEqual(
      ['theme', 'acteur', 'pays', 'zone', 'region', 'departement'].map(anyLabel),
      ['Toutes les thématiques', 'Tous les acteurs', 'Tous les pays', 'Toutes les zones', 'Toutes les régions', 'Tous les départements'],
    );
  });

  test('the country filter offers the countries the calls name, directly or through their zones (and the one asked for)', async () => {
    const countryOptions = async (path: string) => {
      const select = /<select id="f-pays" name="pays">([\s\S]*?)<\/select>/.exec(decode((await visitor.get(path)).body))?.[1] ?? '';
      return [...select.matchAll(/<option value="([A-Z]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => ({ code: m[1], selected: Boolean(m[2]), label: m[3] }));
    };
    const current = await countryOptions('/appels-a-projets');
    const codes = current.map((o) => o.code);
    assert.equal(current[0]?.label, 'Tous les pays', 'first, every country');
    assert.ok(codes.includes('MG'), 'named by the water call');
    assert.ok(codes.includes('SN') && codes.includes('ML'), 'in West Africa, the zone of the youth call');
    assert.ok(!codes.includes('JP') && !codes.includes('BR'), 'no call names Japan or Brazil');
    assert.ok(codes.length < 40, `${codes.length} countries, not all 249`);
    assert.equal(current.find((o) => o.code === 'CI')?.label, 'Côte d’Ivoire', 'typographic apostrophe in the name');
    // A country asked for stays shown and selected, even with no call.
    const asked = await countryOptions('/appels-a-projets?pays=JP');
    assert.deepEqual(asked.find((o) => o.code === 'JP'), { code: 'JP', selected: true, label: 'Japon' });
    // The archive offers its own calls' countries: the closed calls name none.
    assert.deepEqual((await countryOptions('/appels-a-projets/archives')).map((o) => o.code), ['']);
  });

  test('closed calls are in the archive, the latest first; drafts nowhere', async () => {
    const res = await visitor.get('/appels-a-projets/archives');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ['Ancien appel récemment clos', 'Très ancien appel']);
    assert.match(decode(res.body), /Appel clos/);
    assert.equal((await visitor.get(`/appels-a-projets/${calls.draft!.slug}`)).statusCode, 404);
    assert.doesNotMatch((await visitor.get('/appels-a-projets?q=brouillon')).body, /Brouillon secret/);
  });

  test('a call’s page: status, days left, amounts in euros, link preview as an article', async () => {
    const res = await visitor.get(`/appels-a-projets/${calls.youth!.slug}`);
    assert.equal(res.statusCode, 200);
    const body = spaces(res.body);
    assert.match(body, /<h1>Jeunesse solidaire au Sénégal<\/h1>/);
    assert.match(body, /Ferme bientôt/);
    assert.match(body, /Plus que 10 jours/);
    assert.match(body, /De 5 000 € à 50 000 €/);
    // The rate under one clear term, said once (not « Taux de cofinancement (%) » then « Cofinancement : 80 % »).
    assert.match(body, /<dt>Taux de cofinancement<\/dt>\s*<dd><span>80 %<\/span><\/dd>/);
    assert.doesNotMatch(body, /Cofinancement : 80 %|Taux de cofinancement \(%\)/);
    assert.match(body, /Afrique de l’Ouest/);
    assert.match(body, /Bretagne/);
    assert.match(body, /<meta property="og:type" content="article"/);
    assert.match(body, new RegExp(`<meta property="article:published_time" content="${calls.youth!.published_at}"`));
    assert.match(body, /class="share-links"/);
    const water = spaces((await visitor.get(`/appels-a-projets/${calls.water!.slug}`)).body);
    assert.match(water, /Jusqu’à 20 000,50 €/);
    assert.match(water, /Clôture le 31 mars 2027 à 12 h</);
    // Under its term, the deadline is not worded a second time (« Date de clôture : Clôture le … »).
    assert.match(water, /<dt>Date de clôture<\/dt>\s*<dd><time datetime="2027-03-31">31 mars 2027 à 12 h<\/time><\/dd>/);
    assert.match(water, /Programme <strong>eau<\/strong>/);
  });

  test('a renamed call keeps its old address, redirecting', async () => {
    const oldSlug = calls.farming!.slug;
    const draft = { ...callDraft({ title: 'Agriculture familiale et paysanne', funder: 'Ministère', opens_on: '2027-02-01', closes_on: '2027-04-30', links: { themes: ['agriculture_food'] } }) };
    calls.farming = (await updateCall({ db: t.kernel.db, clock: t.kernel.clock }, SEED_ACTOR, calls.farming!.id, draft))!;
    assert.notEqual(calls.farming.slug, oldSlug);
    const res = await visitor.get(`/appels-a-projets/${oldSlug}`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/appels-a-projets/${calls.farming.slug}`);
  });

  test('deadlines in iCalendar: one all-day event per call not closed long ago, same filters', async () => {
    const res = await visitor.get('/appels-a-projets.ics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.deepEqual(
      events.map((e) => e.summary),
      ['Clôture : Ancien appel récemment clos (Région Bretagne)', 'Clôture : Jeunesse solidaire au Sénégal (Région Bretagne)', 'Clôture : Eau potable à Madagascar (Agence de l’eau)', 'Clôture : Agriculture familiale et paysanne (Ministère)'],
    );
    const youth = events[1]!;
    assert.equal(youth.startDate.isDate, true);
    assert.equal(youth.startDate.toString(), '2027-01-20');
    assert.equal(youth.endDate.toString(), '2027-01-21');
    assert.equal(youth.uid, `call-${calls.youth!.id}@localhost`);
    assert.equal(youth.component.getFirstPropertyValue('url'), `http://localhost:3000/appels-a-projets/${calls.youth!.slug}`);
    // Stable: the same UIDs on the next export.
    const again = new ICAL.Component(ICAL.parse((await visitor.get('/appels-a-projets.ics')).body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).uid);
    assert.deepEqual(again, events.map((e) => e.uid));
    const filtered = new ICAL.Component(ICAL.parse((await visitor.get('/appels-a-projets.ics?theme=water_sanitation')).body)).getAllSubcomponents('vevent');
    assert.equal(filtered.length, 1);
    assert.match(new ICAL.Event(filtered[0]!).description, /Clôture le 31 mars 2027 à 12\u00a0h$/m);
  });

  test('RSS and Atom feeds parse back: titles, absolute links, dates, filters', async () => {
    let res = await visitor.get('/appels-a-projets/flux.rss');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/rss\+xml/);
    const rss = parseRssFeed(res.body);
    assert.deepEqual(rss.items?.map((i) => i.title).sort(), ['Agriculture familiale et paysanne', 'Eau potable à Madagascar', 'Jeunesse solidaire au Sénégal']);
    for (const item of rss.items ?? []) {
      assert.match(item.link ?? '', /^http:\/\/localhost:3000\/appels-a-projets\/[a-z0-9-]+$/);
      const call = Object.values(calls).find((c) => item.link?.endsWith(`/${c.slug}`))!;
      assert.equal(new Date(item.pubDate as string).toISOString(), new Date(call.published_at!).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
      assert.match(item.guid?.value ?? '', /^urn:maillage:appels-a-projets:/);
    }
    res = await visitor.get('/appels-a-projets/flux.atom?theme=youth_mobility');
    const atom = parseAtomFeed(res.body);
    assert.equal(atom.entries?.length, 1);
    assert.equal(atom.entries?.[0]?.title?.value ?? atom.entries?.[0]?.title, 'Jeunesse solidaire au Sénégal');
    assert.match(atom.entries?.[0]?.links?.[0]?.href ?? '', /^http:\/\/localhost:3000\/appels-a-projets\//);
    assert.equal(atom.entries?.[0]?.authors?.[0]?.name, 'Région Bretagne');
    assert.match(String(atom.entries?.[0]?.updated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test('site-wide search finds published calls only; the sitemap lists them', async () => {
    const search = (q: string) => callsSearchSection.search(t.kernel, q, { role: null, locale: 'fr', limit: 10, offset: 0 });
    const found = await search('sénégal jeunesse');
    assert.equal(found.total, 1);
    assert.deepEqual(found.hits[0], { title: 'Jeunesse solidaire au Sénégal', url: `/appels-a-projets/${calls.youth!.slug}`, excerpt: 'Soutenir les projets de mobilité des jeunes.', date: '2027-01-20', detail: 'Région Bretagne' });
    assert.equal((await search('secret')).total, 0);
    // Not closed first, then closed ones.
    assert.deepEqual((await search('appel')).hits.map((h) => h.title), ['Ancien appel récemment clos', 'Très ancien appel']);
    assert.ok(t.kernel.searchSections.some((s) => s.key === 'appels-a-projets'));
    const sitemap = await callsModule.sitemap!(t.kernel);
    assert.ok(sitemap.some((e) => e.path === `/appels-a-projets/${calls.youth!.slug}`));
    assert.ok(!sitemap.some((e) => e.path.endsWith(calls.draft!.slug)));
  });

  test('the newsletter reads calls published in a period and calls closing soon, with their codes', async () => {
    const published = await callsPublishedBetween(t.kernel.db, new Date(NOW.getTime() - 60_000).toISOString(), NOW.toISOString());
    assert.equal(published.length, 5);
    const youth = published.find((c) => c.id === calls.youth!.id)!;
    assert.equal(youth.path, `/appels-a-projets/${calls.youth!.slug}`);
    assert.deepEqual(youth.kinds, ['association']);
    assert.deepEqual(youth.themes, ['youth_mobility']);
    assert.ok(youth.countries.includes('SN'), 'the countries of its zones');
    assert.deepEqual(youth.zones, ['west_africa']);
    assert.deepEqual(
      (await closingSoonCalls(t.kernel.db, '2027-01-10', 14, 10)).map((c) => [c.title, c.daysLeft]),
      [['Jeunesse solidaire au Sénégal', 10]],
    );
  });

  test('the home page shows calls closing soon; the block goes when none is; midnight in Paris moves statuses', async () => {
    let home = await visitor.get('/');
    assert.match(decode(home.body), /Appels à projets qui ferment bientôt/);
    assert.match(decode(home.body), /Jeunesse solidaire au Sénégal[\s\S]*Plus que 10 jours/);
    assert.doesNotMatch(home.body, /Eau potable/);

    const before = await callsVersion(t.kernel);
    await updateCall({ db: t.kernel.db, clock: t.kernel.clock }, SEED_ACTOR, calls.water!.id, callDraft({ title: 'Eau potable à Madagascar', funder: 'Agence de l’eau', closes_on: '2027-01-22', links: { countries: ['MG'] } }));
    assert.notEqual(await callsVersion(t.kernel), before, 'a change moves the version');
    home = await visitor.get('/');
    assert.match(decode(home.body), /Eau potable à Madagascar[\s\S]*Plus que 12 jours/);

    // 20 January, 23:59 in Paris: the youth call closes today; one minute later it is closed.
    now = new Date('2027-01-20T22:59:00Z');
    let page = await visitor.get(`/appels-a-projets/${calls.youth!.slug}`);
    assert.match(decode(page.body), /Ferme aujourd’hui/);
    now = new Date('2027-01-20T23:00:00Z');
    page = await visitor.get(`/appels-a-projets/${calls.youth!.slug}`);
    assert.match(decode(page.body), /Appel clos/);
    assert.ok(titles((await visitor.get('/appels-a-projets/archives')).body).includes('Jeunesse solidaire au Sénégal'));

    // After the last one closes, the block is gone.
    now = new Date('2027-01-23T09:00:00Z');
    home = await visitor.get('/');
    assert.doesNotMatch(decode(home.body), /Appels à projets qui ferment bientôt/);
    now = NOW;
  });

  test('pages of 20, the filters kept in the pager', async () => {
    const deps = { db: t.kernel.db, clock: t.kernel.clock };
    for (let i = 1; i <= 21; i++) {
      await addCall(deps, callDraft({ title: `Appel de masse ${String(i).padStart(2, '0')}`, closes_on: `2027-06-${String(i).padStart(2, '0')}`, links: { themes: ['health'] } }));
    }
    const first = await visitor.get('/appels-a-projets?theme=health');
    assert.equal(titles(first.body).length, 20);
    assert.match(decode(first.body), /21 appels à projets/);
    assert.match(decode(first.body), /href="\/appels-a-projets\?theme=health&page=2"/);
    const second = await visitor.get('/appels-a-projets?theme=health&page=2');
    assert.deepEqual(titles(second.body), ['Appel de masse 21']);
  });
});
