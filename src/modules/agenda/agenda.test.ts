import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { addEvent, addOldSlug, updateEvent } from './test-fixtures.js';

// The agenda as of Sunday 10 January 2027, 11:00 in Paris.
const NOW = new Date('2027-01-10T10:00:00Z');
const XSS = '<script>alert("agenda")</script> Rencontre';

function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&#34;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Titles of the event cards, in page order. */
function titles(html: string): string[] {
  return [...html.matchAll(/<li class="event-card[^"]*"><p class="event-date"[\s\S]*?<h[34]><a href="[^"]+"><span>([^<]*)<\/span>/g)].map((m) => decode(m[1] ?? ''));
}

function count(html: string): string {
  return decode(/<p id="agenda-count"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? '');
}

function vevents(text: string) {
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
}

forEachDialect('the public agenda', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  const ev: Record<string, { id: string; slug: string }> = {};
  let organiserSlug = '';

  before(async () => {
    t = await testApp(dialect, { clock: { now: () => NOW } });
    const db = t.kernel.db;
    const deps = { db, clock: t.kernel.clock };
    const valid = validateOrganisation(
      { name: "Associations pour l'eau du Sénégal", kind_code: 'association', commune: '33063', postcode: '33000' },
      taxonomyCodes(await taxonomies(db)),
      { currentYear: 2026 },
    );
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const water = await createOrganisation(deps, { id: null, email: null }, valid.draft);
    organiserSlug = water.slug;
    ev.water = await addEvent(db, {
      title: 'Rencontre régionale eau et assainissement',
      summary: 'Partager les expériences des projets d’eau.',
      description_html: '<p>Programme <strong>complet</strong></p><script>alert(1)</script>',
      starts_at: '2027-01-15T08:30:00.000Z',
      ends_at: '2027-01-15T11:00:00.000Z',
      venue: 'Salle des fêtes',
      address: '1 place de la Bourse',
      postcode: '33000',
      commune_code: '33063',
      latitude: 44.8412,
      longitude: -0.5697,
      registration_open: 1,
      registration_deadline: '2027-01-14T22:59:00.000Z',
      organisers: [water.id],
      themes: ['water_sanitation'],
      countries: ['SN'],
      sdgs: [6],
    });
    ev.webinar = await addEvent(db, {
      title: 'Webinaire financements européens',
      type_code: 'webinar',
      starts_at: '2027-01-20T13:00:00.000Z',
      ends_at: '2027-01-20T14:30:00.000Z',
      online_url: 'https://visio.example.org/financements',
    });
    ev.training = await addEvent(db, {
      title: 'Formation gestion de projet',
      type_code: 'training_session',
      status: 'cancelled',
      all_day: 1,
      // 3 to 5 February 2027 in Paris (local midnights).
      starts_at: '2027-02-02T23:00:00.000Z',
      ends_at: '2027-02-05T23:00:00.000Z',
      commune_code: '24322',
      venue: 'Maison des associations',
    });
    ev.burkina = await addEvent(db, {
      title: 'Groupe pays Burkina Faso',
      type_code: 'country_group_meeting',
      status: 'postponed',
      starts_at: '2027-01-25T17:00:00.000Z',
      ends_at: '2027-01-25T19:00:00.000Z',
      online_url: 'https://visio.example.org/secret-burkina',
      online_url_private: 1,
      countries: ['BF'],
    });
    ev.past = await addEvent(db, {
      title: 'Journée multi-acteurs 2026',
      type_code: 'multi_actor_day',
      all_day: 1,
      starts_at: '2026-11-19T23:00:00.000Z',
      ends_at: '2026-11-20T23:00:00.000Z',
      commune_code: '33063',
    });
    ev.draft = await addEvent(db, { title: 'Brouillon confidentiel', status: 'draft', starts_at: '2027-01-18T09:00:00.000Z', ends_at: '2027-01-18T10:00:00.000Z' });
    ev.xss = await addEvent(db, { title: XSS, starts_at: '2027-03-01T09:00:00.000Z', ends_at: '2027-03-01T10:00:00.000Z' });
    await addOldSlug(db, 'ancienne-rencontre-eau', ev.water.id);
    visitor = t.client();
  });
  after(() => t.close());

  test('/agenda lists what is coming, grouped by month, without drafts or past events', async () => {
    const res = await visitor.get('/agenda');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), [
      'Rencontre régionale eau et assainissement',
      'Webinaire financements européens',
      'Groupe pays Burkina Faso',
      'Formation gestion de projet',
      XSS,
    ]);
    assert.equal(count(res.body), '5 événements');
    assert.match(res.body, />janvier 2027</);
    assert.match(res.body, />février 2027</);
    assert.match(res.body, />mars 2027</);
    // French writes hours « 9 h 30 », « 12 h » (no-break spaces), not Intl's « 09:30 ».
    assert.match(res.body, /vendredi 15 janvier 2027, 9\u00a0h\u00a030\s*–\s*12\u00a0h/);
    assert.match(res.body, /class="badge badge-cancelled">Annulé</);
    assert.match(res.body, /class="badge badge-postponed">Reporté</);
    assert.doesNotMatch(res.body, /Brouillon confidentiel|Journée multi-acteurs 2026/);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /aria-current="page"[^>]*>Agenda</, 'the public menu shows the agenda');
  });

  test('filters in the query string narrow the list, alone and together', async () => {
    const cases: [string, string[]][] = [
      ['type=webinar', ['Webinaire financements européens']],
      ['theme=water_sanitation', ['Rencontre régionale eau et assainissement']],
      ['pays=BF', ['Groupe pays Burkina Faso']],
      ['zone=west_africa', ['Rencontre régionale eau et assainissement', 'Groupe pays Burkina Faso']],
      ['departement=24', ['Formation gestion de projet']],
      [`organisateur=${organiserSlug}`, ['Rencontre régionale eau et assainissement']],
      ['format=en-ligne', ['Webinaire financements européens', 'Groupe pays Burkina Faso']],
      ['format=sur-place', ['Rencontre régionale eau et assainissement', 'Formation gestion de projet']],
      ['q=ASSAINISSEMENT', ['Rencontre régionale eau et assainissement']],
      ['q=formations', ['Formation gestion de projet']],
      ['q=bordeaux', ['Rencontre régionale eau et assainissement']],
      ['zone=west_africa&format=en-ligne', ['Groupe pays Burkina Faso']],
      ['q=zzzz', []],
    ];
    for (const [qs, expected] of cases) {
      const res = await visitor.get(`/agenda?${qs}`);
      assert.equal(res.statusCode, 200, qs);
      assert.deepEqual(titles(res.body), expected, qs);
    }
    const none = await visitor.get('/agenda?q=zzzz');
    assert.equal(count(none.body), '0 événement', 'the count says the number; the box below says why');
    assert.match(none.body, /Aucun événement à venir ne correspond à ces filtres/);
    const bad = await visitor.get('/agenda?type=%3Cx%3E&pays=france&departement=999999&vue=nimporte&mois=2027-13&page=-4');
    assert.equal(bad.statusCode, 200, 'malformed values are ignored');
    assert.equal(titles(bad.body).length, 5);
  });

  test('the filter form keeps the choices, and the script gets only the regions it swaps', async () => {
    const page = await visitor.get('/agenda?type=webinar&q=europ');
    assert.match(page.body, /<option value="webinar" selected>/);
    assert.match(page.body, /id="f-agenda-q"[^>]*value="europ"/);
    assert.match(page.body, /href="\/agenda\.ics\?q=europ&type=webinar"/, 'the subscription link carries the filters');
    const fragment = await visitor.request('GET', '/agenda?type=webinar', { headers: { 'hx-request': 'true' } });
    assert.equal(fragment.statusCode, 200);
    assert.doesNotMatch(fragment.body, /<html/);
    assert.match(fragment.body, /id="agenda-results"/);
    assert.match(fragment.body, /id="agenda-count"/);
    assert.deepEqual(titles(fragment.body), ['Webinaire financements européens']);
    assert.match(fragment.body, /<span id="agenda-filter-label" class="filter-disclosure-label">Filtres \(1 actif\)<\/span>/, 'the « Filtres » disclosure’s words follow the filters');
  });

  test('the country filter offers the countries the agenda’s events name, not every country; one asked for stays chosen', async () => {
    const countryOptions = (html: string) => {
      const select = /<select id="[^"]*" name="pays"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]+)"( selected)?>([^<]*)<\/option>/g)].map((m) => `${m[1]} ${m[3]}${m[2] ? ' (choisi)' : ''}`);
    };
    assert.deepEqual(countryOptions((await visitor.get('/agenda')).body), ['BF Burkina Faso', 'SN Sénégal']);
    assert.deepEqual(countryOptions((await visitor.get('/agenda?pays=ML')).body), ['BF Burkina Faso', 'SN Sénégal', 'ML Mali (choisi)']);
  });

  test('each filter’s « all » choice agrees with what it filters, and a far page leads back to the list', async () => {
    const page = await visitor.get('/agenda');
    const anyLabel = (name: string) => new RegExp(`<select id="[^"]*" name="${name}"[^>]*><option value=""[^>]*>([^<]*)</option>`).exec(page.body)?.[1];
    assert.deepEqual(
      ['type', 'theme', 'zone', 'pays', 'departement', 'organisateur', 'format'].map(anyLabel),
      ['Tous les types', 'Toutes les thématiques', 'Toutes les zones', 'Tous les pays', 'Tous les départements', 'Tous les organisateurs', 'Tous les formats'],
    );
    const far = await visitor.get('/agenda?page=99999');
    assert.equal(far.statusCode, 302);
    assert.equal(far.headers.location, '/agenda', 'a page past the last leads to the last, here the first');
    // The month and the map are not paged: a page number there changes nothing.
    assert.equal((await visitor.get('/agenda?vue=mois&mois=2027-02&page=9')).statusCode, 200);
  });

  test('the month view is a calendar table; a multi-day event shows on each of its days', async () => {
    const res = await visitor.get('/agenda?vue=mois&mois=2027-02');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<caption>Événements de février 2027<\/caption>/);
    assert.match(res.body, /<th scope="col"><abbr title="lundi">lun\.<\/abbr><\/th>/);
    const training = [...res.body.matchAll(/<span class="visually-hidden">([^<]+)<\/span><\/p><ul class="calendar-events"><li class="event-cancelled"><a href="\/agenda\/formation/g)].map((m) => m[1]);
    assert.deepEqual(training, ['mercredi 3 février 2027', 'jeudi 4 février 2027', 'vendredi 5 février 2027']);
    assert.equal(count(res.body), '1 événement');
    assert.match(res.body, /href="\/agenda\?vue=mois&mois=2027-01" rel="prev"/);
    assert.match(res.body, /href="\/agenda\?vue=mois&mois=2027-03" rel="next"/);
    assert.match(res.body, /<a href="\/agenda\?vue=mois&mois=2027-02" aria-current="page" data-view="mois">Mois<\/a>/);
    const january = await visitor.get('/agenda?vue=mois');
    assert.match(january.body, /Événements de janvier 2027/, 'the current month by default');
    assert.match(january.body, /Rencontre régionale eau/);
  });

  test('the month view marks today (Paris day of the clock): aria-current="date", its label says so, and only that cell', async () => {
    const january = await visitor.get('/agenda?vue=mois');
    const marked = [...january.body.matchAll(/<td class="([^"]*)" aria-current="date"><p class="calendar-day"><span aria-hidden="true">(\d+)<\/span><span class="visually-hidden">([^<]+)<\/span>/g)];
    const today = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(NOW);
    assert.equal(marked.length, 1, 'one cell is today');
    assert.match(marked[0]![1]!, /\bis-today\b/, 'styled by agenda.css');
    assert.equal(marked[0]![3], `${today} (aujourd’hui)`);
    assert.equal((january.body.match(/aria-current="date"/g) ?? []).length, 1);
    // Another month holds no today.
    assert.doesNotMatch((await visitor.get('/agenda?vue=mois&mois=2027-03')).body, /aria-current="date"|is-today/);
  });

  test('the map view places located events and lists them all below (list alternative)', async () => {
    const res = await visitor.get('/agenda?vue=carte');
    assert.equal(res.statusCode, 200);
    const points = JSON.parse(decode(/data-points="([^"]*)"/.exec(res.body)?.[1] ?? '[]')) as { title: string; href: string; lat: number }[];
    assert.deepEqual(
      points.map((p) => p.title),
      ['Rencontre régionale eau et assainissement'],
    );
    assert.equal(points[0]?.lat, 44.8412);
    assert.match(res.body, /href="#agenda-map-list"/);
    assert.match(res.body, /<script src="\/assets\/js\/agenda-map\.js" defer><\/script>/);
    const list = res.body.slice(res.body.indexOf('id="agenda-map-list"'));
    assert.deepEqual(titles(list), [
      'Rencontre régionale eau et assainissement',
      'Webinaire financements européens',
      'Groupe pays Burkina Faso',
      'Formation gestion de projet',
      XSS,
    ]);
    const script = await visitor.get('/assets/js/agenda-map.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });

  test('the archive lists past events, most recent first, with search', async () => {
    const res = await visitor.get('/agenda/archives');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titles(res.body), ['Journée multi-acteurs 2026']);
    assert.deepEqual(titles((await visitor.get('/agenda/archives?q=multi%20acteur')).body), ['Journée multi-acteurs 2026']);
    assert.deepEqual(titles((await visitor.get('/agenda/archives?q=eau')).body), []);
    assert.match((await visitor.get('/agenda/archives?q=eau')).body, /Aucun événement passé ne correspond/);
  });

  test('an archive page past the last leads to the list’s last page, its filters kept', async () => {
    const beyond = await visitor.get('/agenda/archives?q=multi%20acteur&page=999');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/agenda/archives?q=multi+acteur', 'one page: no page number');
    // An empty list: its address without page, repeated filters kept in their order.
    const empty = await visitor.get('/agenda/archives?type=atelier&page=2&type=colloque');
    assert.equal(empty.statusCode, 302);
    assert.equal(empty.headers.location, '/agenda/archives?type=atelier&type=colloque');
    assert.equal((await visitor.get('/agenda/archives?page=1')).statusCode, 200);
  });

  test('an event page: details, organiser link, registration link, JSON-LD, add to calendar', async () => {
    const res = await visitor.get(`/agenda/${ev.water!.slug}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1><span>Rencontre régionale eau et assainissement<\/span>/);
    assert.match(res.body, new RegExp(`<a href="/acteurs/${organiserSlug}">Associations pour l&#39;eau du Sénégal</a>`));
    assert.match(res.body, new RegExp(`<a class="button button-primary" href="/agenda/${ev.water!.slug}/inscription">S’inscrire</a>`));
    assert.match(res.body, /Programme <strong>complet<\/strong>/);
    assert.doesNotMatch(res.body, /<script>alert\(1\)/, 'the description is sanitised');
    assert.match(res.body, /Eau et assainissement/);
    assert.match(res.body, /ODD 6 : /);
    assert.match(res.body, new RegExp(`href="/agenda/${ev.water!.slug}\\.ics"`));
    assert.match(res.body, /https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=Rencontre/);
    const json = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(res.body)?.[1] ?? '{}') as Record<string, unknown>;
    assert.equal(json['@type'], 'Event');
    assert.equal(json.startDate, '2027-01-15T08:30:00.000Z');
    assert.equal(json.eventStatus, 'https://schema.org/EventScheduled');
    assert.equal(json.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
    assert.deepEqual(json.organizer, [{ '@type': 'Organization', name: "Associations pour l'eau du Sénégal", url: `http://localhost:3000/acteurs/${organiserSlug}` }]);
    assert.equal((json.location as { address: { addressLocality: string } }).address.addressLocality, 'Bordeaux');
  });

  test('cancelled and postponed events say so; a private online link stays hidden', async () => {
    const cancelled = await visitor.get(`/agenda/${ev.training!.slug}`);
    assert.match(cancelled.body, /Cet événement est annulé\./);
    const ld = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(cancelled.body)?.[1] ?? '{}') as Record<string, unknown>;
    assert.equal(ld.eventStatus, 'https://schema.org/EventCancelled');
    assert.equal(ld.startDate, '2027-02-03');
    assert.equal(ld.endDate, '2027-02-05');
    assert.doesNotMatch(cancelled.body, /S’inscrire/);
    const postponed = await visitor.get(`/agenda/${ev.burkina!.slug}`);
    assert.match(postponed.body, /Cet événement est reporté/);
    assert.match(postponed.body, /Le lien de connexion est envoyé aux personnes inscrites\./);
    assert.doesNotMatch(postponed.body, /secret-burkina/);
    const webinar = await visitor.get(`/agenda/${ev.webinar!.slug}`);
    assert.match(webinar.body, /href="https:\/\/visio\.example\.org\/financements"/);
  });

  test('drafts and unknown slugs are not found; an old slug redirects', async () => {
    assert.equal((await visitor.get(`/agenda/${ev.draft!.slug}`)).statusCode, 404);
    assert.equal((await visitor.get(`/agenda/${ev.draft!.slug}.ics`)).statusCode, 404);
    assert.equal((await visitor.get('/agenda/nulle-part')).statusCode, 404);
    const old = await visitor.get('/agenda/ancienne-rencontre-eau');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/agenda/${ev.water!.slug}`);
    const oldIcs = await visitor.get('/agenda/ancienne-rencontre-eau.ics');
    assert.equal(oldIcs.headers.location, `/agenda/${ev.water!.slug}.ics`);
  });

  test('/agenda.ics is valid iCalendar with stable UIDs, the same filters, and cancelled events marked', async () => {
    const res = await visitor.get('/agenda.ics');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    for (const line of res.body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    const events = vevents(res.body);
    // The last 90 days stay in a subscribed calendar: the November day is there, the draft is not.
    assert.deepEqual(events.map((e) => e.getFirstPropertyValue('summary')).sort(), [
      XSS,
      'Annulé : Formation gestion de projet',
      'Journée multi-acteurs 2026',
      'Rencontre régionale eau et assainissement',
      'Reporté : Groupe pays Burkina Faso',
      'Webinaire financements européens',
    ].sort());
    const water = events.find((e) => e.getFirstPropertyValue('uid') === `${ev.water!.id}@localhost:3000`);
    assert.ok(water, 'UID is <event id>@<host>');
    assert.ok(water.getFirstPropertyValue('dtstamp'));
    assert.equal((water.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(), '2027-01-15T08:30:00.000Z');
    assert.equal(water.getFirstPropertyValue('location'), 'Salle des fêtes, 1 place de la Bourse, 33000 Bordeaux');
    const training = events.find((e) => e.getFirstPropertyValue('uid') === `${ev.training!.id}@localhost:3000`);
    assert.equal(training?.getFirstPropertyValue('status'), 'CANCELLED');
    assert.match(res.body, /DTSTART;VALUE=DATE:20270203\r\nDTEND;VALUE=DATE:20270206/);
    assert.doesNotMatch(res.body, /secret-burkina/);

    const gironde = vevents((await visitor.get('/agenda.ics?theme=water_sanitation&departement=33')).body);
    assert.deepEqual(
      gironde.map((e) => e.getFirstPropertyValue('summary')),
      ['Rencontre régionale eau et assainissement'],
    );

    const again = await visitor.request('GET', '/agenda.ics', { headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304);

    const one = await visitor.get(`/agenda/${ev.water!.slug}.ics`);
    assert.equal(one.statusCode, 200);
    assert.match(String(one.headers['content-disposition']), /attachment; filename=".*\.ics"/);
    assert.equal(vevents(one.body).length, 1);
  });

  test('the widget may be framed by any site; other pages may not', async () => {
    for (let i = 0; i < 2; i++) {
      // The second request is answered from the page cache, with the same headers.
      const widget = await t.app.inject({ method: 'GET', url: '/agenda/widget?type=webinar&nombre=3' });
      assert.equal(widget.statusCode, 200);
      assert.match(String(widget.headers['content-security-policy']), /frame-ancestors \*/);
      assert.equal(widget.headers['x-frame-options'], undefined);
      assert.match(widget.body, /Webinaire financements européens/);
      assert.doesNotMatch(widget.body, /Rencontre régionale/);
      assert.doesNotMatch(widget.body, /class="site-header"/);
      assert.match(widget.body, /target="_blank" rel="noopener"/);
    }
    const withCookie = await visitor.get('/agenda/widget');
    assert.match(String(withCookie.headers['content-security-policy']), /frame-ancestors \*/);
    assert.equal(withCookie.headers['x-frame-options'], undefined);
    const page = await visitor.get('/agenda');
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'self'/);
    assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
  });

  test('/agenda/widget.json gives the next events with the filters, readable from any origin', async () => {
    const res = await visitor.get('/agenda/widget.json?format=en-ligne&nombre=1');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const body = JSON.parse(res.body) as { total: number; events: { title: string; uid: string; url: string; onlineUrl: string | null; type: { label: string } }[] };
    assert.equal(body.total, 2);
    assert.equal(body.events.length, 1);
    assert.equal(body.events[0]?.title, 'Webinaire financements européens');
    assert.equal(body.events[0]?.type.label, 'Webinaire');
    assert.equal(body.events[0]?.url, `http://localhost:3000/agenda/${ev.webinar!.slug}`);
    const burkina = JSON.parse((await visitor.get('/agenda/widget.json?pays=BF')).body) as { events: { onlineUrl: string | null }[] };
    assert.equal(burkina.events[0]?.onlineUrl, null, 'a private link is not published');
  });

  test('titles are escaped everywhere they appear', async () => {
    for (const url of ['/agenda', `/agenda/${ev.xss!.slug}`, '/agenda/widget', '/agenda?vue=mois&mois=2027-03', '/agenda?vue=carte']) {
      const res = await visitor.get(url);
      assert.doesNotMatch(res.body, /<script>alert\("agenda"\)/, url);
    }
    const page = await visitor.get(`/agenda/${ev.xss!.slug}`);
    const ld = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(page.body)?.[1] ?? '';
    assert.match(ld, /\\u003cscript\\u003e/);
  });

  test('list pages are cached until an event changes', async () => {
    const fresh = () => t.app.inject({ method: 'GET', url: '/agenda?type=webinar' });
    await fresh();
    const hit = await fresh();
    assert.equal(hit.headers['x-page-cache'], 'hit');
    await updateEvent(t.kernel.db, ev.webinar!.id, { title: 'Webinaire financements européens et régionaux' });
    const after = await fresh();
    assert.notEqual(after.headers['x-page-cache'], 'hit');
    assert.match(after.body, /Webinaire financements européens et régionaux/);
    await updateEvent(t.kernel.db, ev.webinar!.id, { title: 'Webinaire financements européens' });
  });
});
