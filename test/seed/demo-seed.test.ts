import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../../src/kernel/clock.js';
import { toLocalInputs } from '../../src/kernel/time/zoned.js';
import { departmentsOfRegion } from '../../src/kernel/geo/communes.js';
import { checkRna, checkSiret } from '../../src/kernel/identifiers.js';
import {
  createOrganisation,
  directoryFacets,
  parseDirectoryQuery,
  searchDirectory,
  taxonomies,
  taxonomyCodes,
  validateOrganisation,
} from '../../src/modules/organisations/index.js';
import { frenchSpacing } from '../../src/kernel/i18n/typography.js';
import { demoTexts, meetingDay } from '../../src/setup/demo-content.js';
import { generateOrganisations } from '../../src/setup/demo-organisations.js';
import { purgeDemo, seedDemo } from '../../src/setup/demo-seed.js';
import { firstStart } from '../../src/setup/first-start.js';
import { testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

type App = Awaited<ReturnType<typeof testApp>>;

/** Rows per table of everything the demo touches (organisations, contacts, agenda, news, resources, calls and what hangs on them). */
async function counts(app: App): Promise<Record<string, number>> {
  const tables = [
    'organisations', 'organisation_themes', 'organisation_countries', 'organisation_zones', 'organisation_sdgs', 'organisation_colleges',
    'memberships', 'user_organisations', 'interactions', 'contacts', 'contact_emails', 'contact_roles', 'contact_themes',
    'contact_countries', 'consents', 'users', 'jobs', 'proposals',
    'events', 'event_slugs', 'event_organisers', 'event_themes', 'event_countries', 'event_sessions', 'registrations', 'registration_sessions',
    'news_articles', 'news_slugs', 'news_article_themes', 'news_article_countries',
    'resources', 'resource_slugs', 'resource_themes', 'resource_countries', 'resource_search',
    'calls', 'call_slugs', 'call_kinds', 'call_themes', 'call_countries', 'call_zones', 'call_regions', 'call_departments',
  ];
  // SQLite's full-text rows of resources and calls, kept by triggers.
  if (app.kernel.dbHandle.dialect === 'sqlite') tables.push('resources_fts', 'resources_fts_map', 'calls_fts', 'calls_fts_map');
  // The audit log is not listed: it is history (the demo accounts' creation stays recorded).
  
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(app.kernel.db);
    out[table] = Number(rows[0]!.n);
  }
  return out;
}

test('demo events meet on working days: a day off moves to the next weekday that is not one', () => {
  assert.equal(meetingDay('2026-12-09'), '2026-12-09');
  assert.equal(meetingDay('2026-12-12'), '2026-12-14');
  assert.equal(meetingDay('2026-12-25'), '2027-01-04');
  assert.equal(meetingDay('2027-07-14'), '2027-07-15');
});

test('demo texts carry French spacing: no ordinary space before « : », « ; », « ! », « ? » nor inside guillemets', () => {
  const texts = demoTexts();
  assert.ok(texts.some((text) => text.includes('\u00a0:')), 'the demo has titles with a colon');
  const breakable = texts.filter((text) => frenchSpacing(text) !== text);
  assert.deepEqual(breakable, [], 'a line could break before the sign: write U+00A0 before « : » and inside « », U+202F before « ; ! ? »');
});

test('the demo generator is deterministic: the same seed gives the same organisations', () => {
  const options = { regionCode: '75', count: 40, seed: 7, currentYear: 2026, contactsPerOrganisation: [1, 3] as [number, number] };
  const a = generateOrganisations(options);
  const b = generateOrganisations(options);
  assert.deepEqual(a, b);
  assert.notDeepEqual(generateOrganisations({ ...options, seed: 8 }).map((o) => o.draft.name), a.map((o) => o.draft.name));
});

forEachDialect('demo seed', (dialect) => {
  test('about 300 organisations across the 12 départements, with themes, countries, contacts and consents', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    await seedDemo(app.kernel);
    const db = app.kernel.db;
    const orgs = await db.selectFrom('organisations').selectAll().execute();
    assert.ok(orgs.length >= 280 && orgs.length <= 320, `${orgs.length} organisations`);
    assert.ok(orgs.every((o) => o.source === 'demo'));
    const departments = departmentsOfRegion('75').map((d) => d.code).sort();
    assert.equal(departments.length, 12);
    assert.deepEqual([...new Set(orgs.map((o) => o.department_code))].sort(), departments);
    for (const code of departments) assert.ok(orgs.filter((o) => o.department_code === code).length >= 5, `département ${code}`);
    assert.equal(new Set(orgs.map((o) => o.slug)).size, orgs.length);
    assert.ok(orgs.every((o) => o.latitude !== null && o.longitude !== null && o.geo_precision !== null && o.commune_code && o.search_text.length > 20));
    assert.ok(orgs.every((o) => o.latitude! > 42.7 && o.latitude! < 47.3 && o.longitude! > -1.9 && o.longitude! < 2.7), 'every point in Nouvelle-Aquitaine');
    assert.ok(orgs.some((o) => o.name.startsWith('Comité de jumelage')));
    assert.ok(orgs.some((o) => o.name.startsWith('Ville de ')));
    assert.ok(new Set(orgs.map((o) => o.kind_code)).size >= 6);
    for (const o of orgs) {
      if (o.siret) assert.ok(checkSiret(o.siret).ok, o.siret);
      if (o.rna) assert.ok(checkRna(o.rna).ok, o.rna);
      if (o.website) assert.match(o.website, /^https:\/\/[a-z0-9.-]+\.example\.(org|net|com)$/);
    }
    assert.ok(orgs.filter((o) => o.siret).length > 20);

    const themes = await db.selectFrom('organisation_themes').select(['organisation_id']).execute();
    const countries = await db.selectFrom('organisation_countries').select(['organisation_id', 'country_code']).execute();
    assert.equal(new Set(themes.map((r) => r.organisation_id)).size, orgs.length, 'every organisation has a theme');
    assert.equal(new Set(countries.map((r) => r.organisation_id)).size, orgs.length, 'every organisation has a country');
    const senegalOrBurkina = countries.filter((r) => ['SN', 'BF'].includes(r.country_code)).length;
    assert.ok(senegalOrBurkina > countries.filter((r) => ['DE', 'ES', 'PT'].includes(r.country_code)).length, 'weighted towards West Africa');
    assert.ok((await db.selectFrom('organisation_sdgs').select('organisation_id').execute()).length > orgs.length);
    assert.ok((await db.selectFrom('memberships').select('id').execute()).length > 50);

    const roles = await db.selectFrom('contact_roles').select(['organisation_id', 'is_main']).execute();
    const perOrg = new Map<string, number>();
    for (const r of roles) perOrg.set(r.organisation_id, (perOrg.get(r.organisation_id) ?? 0) + 1);
    assert.equal(perOrg.size, orgs.length);
    assert.ok([...perOrg.values()].every((n) => n >= 1 && n <= 3));
    const contacts = await db.selectFrom('contacts').select(['id', 'source']).execute();
    assert.ok(contacts.every((c) => c.source === 'demo'));
    const emails = await db.selectFrom('contact_emails').select(['email', 'email_lower']).execute();
    assert.equal(emails.length, contacts.length);
    assert.ok(emails.every((e) => e.email_lower === e.email.toLowerCase()));
    assert.ok(emails.some((e) => e.email !== e.email_lower), 'e-mails typed with capitals too');
    const consents = await db.selectFrom('consents').selectAll().where('purpose', '=', 'contact_database').execute();
    assert.equal(consents.length, contacts.length, 'one legal basis per contact');
    assert.ok(consents.every((c) => c.basis === 'legitimate_interest' && c.source === 'demo' && /membre du réseau/.test(c.detail ?? '')));

    // The demo members hold an organisation; staff logged interactions.
    assert.ok((await db.selectFrom('user_organisations').select('user_id').execute()).length >= 1);
    assert.ok((await db.selectFrom('interactions').select('id').execute()).length > 20);

    // The directory finds them: text and facets.
    const query = parseDirectoryQuery({ q: 'comité jumelage' }, null);
    const found = await searchDirectory(db, dialect, query.filter, query.tokens);
    assert.ok(found.total > 0);
    assert.ok(found.rows.every((r) => /jumelage/i.test(r.search_text)));
    const facets = await directoryFacets(db, dialect, query.filter, query.tokens);
    assert.ok(facets.department.length > 1);
  });

  test('the agenda and the news show the demo network: upcoming and past events, published articles', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    await seedDemo(app.kernel);
    const db = app.kernel.db;
    const events = await db.selectFrom('events').selectAll().execute();
    assert.ok(events.length >= 8, `${events.length} events`);
    assert.ok(events.every((e) => e.source === 'demo' && e.status === 'published'));
    const now = Date.now();
    assert.ok(events.some((e) => Date.parse(e.starts_at) < now) && events.filter((e) => Date.parse(e.starts_at) > now).length >= 5, 'past and upcoming events');
    assert.ok(events.some((e) => e.online_url && !e.commune_code), 'online events');
    assert.ok(new Set(events.map((e) => e.department_code).filter(Boolean)).size >= 5, 'in several départements');
    // Whatever today is, no demo event falls on a weekend, on Christmas or on New Year's Day.
    for (const e of events) {
      const day = new Date(`${toLocalInputs(new Date(e.starts_at)).date}T12:00:00Z`);
      assert.ok(day.getUTCDay() % 6 !== 0 && !['12-25', '01-01'].includes(day.toISOString().slice(5, 10)), `${e.title} : ${day.toISOString().slice(0, 10)}`);
    }
    assert.ok((await db.selectFrom('event_organisers').select('event_id').execute()).length >= 1, 'some organised by demo associations');
    const articles = await db.selectFrom('news_articles').selectAll().execute();
    assert.ok(articles.length >= 6 && articles.every((a) => a.source === 'demo' && a.status === 'published' && Date.parse(a.published_at!) <= now));
    // Written by the demo staff account.
    const staff = await db.selectFrom('users').select('id').where('email', '=', 'camille.martin@demo.maillage.org').executeTakeFirstOrThrow();
    assert.ok([...events, ...articles].every((r) => r.created_by === staff.id));
    // Stored with their French spacing, the forms' folding of white space notwithstanding.
    const meeting = events.find((e) => e.title.startsWith('Journée multi-acteurs'))!;
    assert.match(meeting.description_html ?? '', /Au programme\u00a0: /);
    assert.ok(events.some((e) => e.summary?.endsWith('suspendues\u202f?')));
    const calls = await db.selectFrom('calls').select(['title', 'summary']).execute();
    const resources = await db.selectFrom('resources').select(['title', 'summary']).execute();
    for (const text of [...events, ...articles, ...calls, ...resources].flatMap((r) => [r.title, r.summary ?? ''])) assert.doesNotMatch(text, / [:;!?](\s|$)/, text);

    const visitor = app.client();
    const agenda = await visitor.get('/agenda');
    assert.equal(agenda.statusCode, 200);
    assert.match(agenda.body, /Journée multi-acteurs de la solidarité internationale/);
    assert.match(agenda.body, /Webinaire\u00a0: partir en volontariat international/);
    assert.doesNotMatch(agenda.body, /Rencontre des comités de jumelage/, 'past events are not in the upcoming agenda');
    assert.match((await visitor.get('/agenda/archives')).body, /Rencontre des comités de jumelage/);
    const news = await visitor.get('/actualites');
    assert.equal(news.statusCode, 200);
    assert.match(news.body, /Madagascar\u00a0: bilan du programme de formation agricole/);
    const search = await visitor.get('/recherche?q=volontariat');
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /Volontariat international\u00a0: les missions de l’année sont en ligne/);

    await purgeDemo(app.kernel);
    assert.doesNotMatch((await visitor.get('/agenda')).body, /Journée multi-acteurs de la solidarité internationale/);
    assert.doesNotMatch((await visitor.get('/actualites')).body, /Madagascar\u00a0: bilan du programme/);
  });

  test('after the first start, the training, the multi-actor day and a webinar take registrations; past events do not', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const result = await firstStart(app.kernel);
    assert.equal(result.demoSeeded, true);
    const db = app.kernel.db;
    const events = await db.selectFrom('events').selectAll().orderBy('starts_at').execute();
    const now = Date.now();
    const open = events.filter((e) => e.registration_open === 1);
    assert.deepEqual(open.map((e) => e.type_code).sort(), ['multi_actor_day', 'training_session', 'webinar']);
    for (const e of open) {
      assert.ok(Date.parse(e.starts_at) > now, `${e.title}: upcoming`);
      assert.ok(e.capacity !== null && e.capacity > 0, `${e.title}: a capacity`);
      assert.ok(e.registration_deadline && Date.parse(e.registration_deadline) > now && Date.parse(e.registration_deadline) <= Date.parse(e.starts_at), `${e.title}: a deadline before the start`);
      assert.equal(e.waitlist_enabled, 1);
      assert.equal(e.account_required, 0);
    }
    assert.ok(events.some((e) => e.registration_open === 0 && Date.parse(e.starts_at) > now), 'not every upcoming event takes registrations');
    const past = events.filter((e) => Date.parse(e.ends_at) < now);
    assert.ok(past.length >= 2 && past.every((e) => e.registration_open === 0), 'past events stay closed');
    // Opened as staff do in the back office: the change is in the audit log, by the demo staff account.
    const staff = await db.selectFrom('users').select('id').where('email', '=', 'camille.martin@demo.maillage.org').executeTakeFirstOrThrow();
    const audited = await db.selectFrom('audit_log').select(['entity_id', 'actor_id']).where('action', '=', 'event.registration_settings').execute();
    assert.deepEqual(audited.map((a) => a.entity_id).sort(), open.map((e) => e.id).sort());
    assert.ok(audited.every((a) => a.actor_id === staff.id));

    const visitor = app.client();
    const training = open.find((e) => e.type_code === 'training_session')!;
    const page = await visitor.get(`/agenda/${training.slug}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`href="/agenda/${training.slug}/inscription"`), 'the event page links to the form');
    assert.match(page.body, /Inscriptions jusqu’au/);
    const form = await visitor.get(`/agenda/${training.slug}/inscription`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /id="registration-form"/);
    assert.match(form.body, /Places restantes : 16/);
    assert.match(form.body, /Votre projet en quelques lignes/);
    assert.match((await visitor.get(`/agenda/${open.find((e) => e.type_code === 'multi_actor_day')!.slug}/inscription`)).body, /Je reste pour le déjeuner/);

    const meeting = past.find((e) => e.title === 'Rencontre des comités de jumelage')!;
    const pastPage = await visitor.get(`/agenda/${meeting.slug}`);
    assert.equal(pastPage.statusCode, 200);
    assert.ok(!pastPage.body.includes(`/agenda/${meeting.slug}/inscription`), 'no registration link on a past event');
    const pastForm = await visitor.get(`/agenda/${meeting.slug}/inscription`);
    assert.doesNotMatch(pastForm.body, /id="registration-form"/);
    assert.match(pastForm.body, /Cet événement est terminé/);
    const closed = events.find((e) => e.title === 'Groupe pays Sénégal\u00a0: réunion trimestrielle')!;
    assert.ok(!(await visitor.get(`/agenda/${closed.slug}`)).body.includes(`/agenda/${closed.slug}/inscription`), 'no registration link where registrations are not open');

    // Someone registers to the demo training; the purge takes the registration along with the event.
    const registered = await visitor.post(`/agenda/${training.slug}/inscription`, {
      first_name: 'Awa',
      last_name: 'Diallo',
      email: 'awa@example.org',
      organisation_name: 'Eau Vive Gironde',
      organisation_kind: 'association',
      organisation_department: '33',
      answer_qprojet: 'Un forage à Podor',
      consent: '1',
    });
    assert.equal(registered.statusCode, 303);
    assert.equal((await db.selectFrom('registrations').select('id').where('event_id', '=', training.id).execute()).length, 1);
    await purgeDemo(app.kernel);
    assert.equal((await db.selectFrom('events').select('id').execute()).length, 0);
    assert.equal((await db.selectFrom('registrations').select('id').execute()).length, 0);
    assert.equal((await visitor.get(`/agenda/${training.slug}/inscription`)).statusCode, 404);
  });

  test('the resource library and the calls for projects show the demo network: links, open, closing and closed calls', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    await seedDemo(app.kernel);
    const db = app.kernel.db;
    const staff = await db.selectFrom('users').select('id').where('email', '=', 'camille.martin@demo.maillage.org').executeTakeFirstOrThrow();
    const resources = await db.selectFrom('resources').selectAll().execute();
    assert.ok(resources.length >= 6, `${resources.length} resources`);
    assert.ok(resources.every((r) => r.source === 'demo' && r.status === 'published' && r.file_id === null && r.external_url?.startsWith('https://') && r.created_by === staff.id));
    const calls = await db.selectFrom('calls').selectAll().execute();
    assert.ok(calls.length >= 6, `${calls.length} calls`);
    assert.ok(calls.every((c) => c.source === 'demo' && c.status === 'published' && c.created_by === staff.id));
    const now = Date.now();
    assert.ok(calls.filter((c) => Date.parse(c.closes_at) > now).length >= 4, 'open calls');
    assert.ok(calls.some((c) => Date.parse(c.closes_at) > now && Date.parse(c.closes_at) < now + 7 * 86_400_000), 'a call closing within a week');
    assert.ok(calls.some((c) => Date.parse(c.closes_at) < now), 'a closed call');
    assert.ok(new Set(calls.map((c) => c.funder)).size >= 3, 'several funders');

    const visitor = app.client();
    const library = await visitor.get('/ressources');
    assert.equal(library.statusCode, 200);
    assert.match(library.body, /Conseils aux voyageurs avant une mission à l’étranger/);
    const resource = await visitor.get('/ressources/conseils-aux-voyageurs-avant-une-mission-a-l-etranger');
    assert.equal(resource.statusCode, 200);
    assert.match(resource.body, /Consulter le document/);
    const link = await visitor.get('/ressources/conseils-aux-voyageurs-avant-une-mission-a-l-etranger/fichier');
    assert.equal(link.statusCode, 303, 'a link, no file');
    assert.equal(link.headers['location'], 'https://www.diplomatie.gouv.fr/fr/conseils-aux-voyageurs/');
    const list = await visitor.get('/appels-a-projets');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Initiatives des organisations de la société civile/);
    assert.match(list.body, /Soutien aux projets de solidarité internationale des associations néo-aquitaines/);
    assert.doesNotMatch(list.body, /Appui aux projets de coopération décentralisée/, 'closed calls are not in the open list');
    assert.match((await visitor.get('/appels-a-projets/archives')).body, /Appui aux projets de coopération décentralisée/);
    const search = await visitor.get('/recherche?q=volontaires');
    assert.match(search.body, /Partir en volontariat\u00a0: les dispositifs de France Volontaires/);

    await purgeDemo(app.kernel);
    assert.doesNotMatch((await visitor.get('/ressources')).body, /Conseils aux voyageurs avant une mission/);
    assert.equal((await visitor.get('/ressources/conseils-aux-voyageurs-avant-une-mission-a-l-etranger')).statusCode, 404);
    assert.doesNotMatch((await visitor.get('/appels-a-projets')).body, /Initiatives des organisations de la société civile/);
    assert.doesNotMatch((await visitor.get('/appels-a-projets/archives')).body, /Appui aux projets de coopération décentralisée/);
    assert.doesNotMatch((await visitor.get('/recherche?q=volontaires')).body, /dispositifs de France Volontaires/);
  });

  test('seeding twice adds nothing the second time', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const added = await seedDemo(app.kernel);
    assert.ok(added > 300);
    const before = await counts(app);
    assert.equal(await seedDemo(app.kernel), 0);
    assert.deepEqual(await counts(app), before);
  });

  test('purge removes every demo row of every table, and keeps real records', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const empty = await counts(app);
    const codes = taxonomyCodes(await taxonomies(app.kernel.db));
    const real = validateOrganisation({ name: 'Réseau réel de Poitiers', kind_code: 'association', commune: '86194', themes: ['health'], countries: ['SN'] }, codes, { currentYear: 2026 });
    assert.ok(real.ok);
    await createOrganisation({ db: app.kernel.db, clock: systemClock }, { id: null, email: null }, real.draft);
    const withReal = await counts(app);
    await seedDemo(app.kernel);
    const seeded = await counts(app);
    assert.ok(seeded['organisations']! > 280);
    assert.ok(seeded['events']! >= 8 && seeded['news_articles']! >= 6);
    assert.ok(seeded['resources']! >= 6 && seeded['resource_themes']! > 0 && seeded['resource_search']! >= 6);
    assert.ok(seeded['calls']! >= 6 && seeded['call_themes']! > 0 && seeded['call_kinds']! > 0 && seeded['call_countries']! > 0 && seeded['call_zones']! > 0);
    if (dialect === 'sqlite') assert.ok(seeded['resources_fts']! >= 6 && seeded['calls_fts']! >= 6);
    const removed = await purgeDemo(app.kernel);
    assert.ok(removed > 300);
    assert.deepEqual(await counts(app), withReal);
    assert.equal(withReal['organisations'], empty['organisations']! + 1);
    const left = await app.kernel.db.selectFrom('organisations').select('name').execute();
    assert.deepEqual(left.map((o) => o.name), ['Réseau réel de Poitiers']);
    // Demo again after a purge: everything comes back.
    await seedDemo(app.kernel);
    assert.ok((await counts(app))['organisations']! > 280);
  });
});
