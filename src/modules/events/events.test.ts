import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';
import { listAudit } from '../../kernel/audit/index.js';
import { agendaVersion, findEventById, findEventBySlug, proposeEvent } from './index.js';

function idFrom(location: unknown): string {
  return String(location).split('/').pop()!.split('#')[0]!;
}

forEachDialect('events: back office, series, member proposals through moderation', (dialect) => {
  let t: TestApp, staff: Client, orgId: string, orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  test('countries are written « Sénégal (SN) » as in every form, and read in both orders, a name with a comma included', async () => {
    const res = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Rencontre des partenaires', countries: 'SN (Sénégal), Bonaire, Saint-Eustache et Saba (BQ), Côte d’Ivoire', intent: 'draft' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const id = idFrom(res.headers.location);
    assert.deepEqual((await findEventById(t.kernel.db, id))!.countries, ['BQ', 'CI', 'SN']);
    const edit = (await staff.get(`/admin/agenda/${id}`)).body;
    assert.match(edit, /value="Bonaire, Saint-Eustache et Saba \(BQ\), Côte d’Ivoire \(CI\), Sénégal \(SN\)"/);
    assert.doesNotMatch(edit, /SN \(Sénégal\)/);
  });

  test('the new event form answers at /nouvelle and /nouvel too, for staff and members (a permanent redirect, the query kept)', async () => {
    for (const guessed of ['nouvelle', 'nouvel']) {
      const res = await staff.get(`/admin/agenda/${guessed}?type=webinar`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, '/admin/agenda/nouveau?type=webinar');
    }
    assert.equal((await t.client().get('/admin/agenda/nouvelle')).statusCode, 302);
    // And the members' form, in Mon espace.
    const member = await t.loginAs('member', 'nouvel@example.org');
    const guessed = await member.get('/mon-espace/evenements/nouvel?x=1');
    assert.deepEqual([guessed.statusCode, guessed.headers.location], [301, '/mon-espace/evenements/nouveau?x=1']);
  });

  test('staff create a draft, publish, rename (old slug redirects), cancel; the agenda version moves; all audit-logged', async () => {
    const v0 = await agendaVersion(t.kernel);
    const res = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Assemblée générale', organiser_add: 'Eau Vive Gironde', themes: 'water_sanitation', countries: 'SN', intent: 'draft' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const id = idFrom(res.headers.location);
    const created = (await findEventById(t.kernel.db, id))!;
    assert.equal(created.status, 'draft');
    assert.equal(created.slug, 'assemblee-generale-2030-06-12');
    assert.equal(created.starts_at.slice(0, 16), '2030-06-12T12:30');
    assert.equal(created.department_code, '33');
    assert.deepEqual(created.organisers, [orgId]);
    assert.notEqual(await agendaVersion(t.kernel), v0, 'the agenda version moved');

    const page = await staff.get(`/admin/agenda/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Assemblée générale"/);
    assert.match(page.body, /Eau Vive Gironde/);

    assert.equal((await staff.post(`/admin/agenda/${id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'published');

    const renamed = await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Assemblée générale 2030', organisers: orgId });
    assert.equal(renamed.statusCode, 303, renamed.body.slice(0, 3000));
    const found = await findEventBySlug(t.kernel.db, 'assemblee-generale-2030-06-12');
    assert.equal(found?.redirectTo, 'assemblee-generale-2030-2030-06-12');

    // Confirmed (the confirmation step: event-cancellation.test.ts in registrations).
    assert.equal((await staff.post(`/admin/agenda/${id}/statut`, { action: 'cancel', confirmer: '1' })).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'cancelled');
    const audit = await listAudit(t.kernel.db, { entityType: 'event', entityId: id, limit: 10, offset: 0 });
    assert.deepEqual(audit.rows.map((r) => r.action).reverse(), ['event.created', 'event.publish', 'event.updated', 'event.cancel']);

    const list = await staff.get('/admin/agenda?q=assemblee&statut=cancelled');
    assert.match(list.body, /Assemblée générale 2030/);
    assert.match(list.body, /1 événement/);
  });

  test('bad input comes back in French, nothing saved', async () => {
    const before = await staff.get('/admin/agenda?periode=all');
    const res = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Formation', end_date: '2030-06-11', venue: '', commune: '', postcode: '', organiser_add: 'Structure inconnue' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /La fin doit venir après le début/);
    assert.match(res.body, /Indiquez un lieu/);
    assert.match(res.body, /Structure introuvable dans l’annuaire : « Structure inconnue »/);
    assert.match(res.body, /aria-describedby="f-end_date-hint f-end_date-error"/);
    const afterList = await staff.get('/admin/agenda?periode=all');
    assert.equal(/(\d+) événement/.exec(afterList.body)?.[1], /(\d+) événement/.exec(before.body)?.[1]);
  });

  test('an event dated in the past is saved, and staff are told it is in the agenda’s archives, with a link to them', async () => {
    const res = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Formation passée', start_date: '2020-01-10', start_time: '09:00', end_time: '12:00', intent: 'publish' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const id = idFrom(res.headers.location);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'published', 'a past date is not refused');
    const page = (await staff.get(`/admin/agenda/${id}`)).body;
    assert.match(page, /Événement «\s*Formation passée\s*» enregistré\./);
    assert.match(page, /<div class="flash flash-info" role="status">Attention\s*: cet événement est passé \(vendredi 10\s*janvier\s*2020[^)]*\)\. Il ne figure pas parmi les événements à venir mais dans les archives de l’agenda\.<\/div>/);
    assert.match(page, /<a href="\/agenda\/archives">Voir les archives de l’agenda<\/a>/);
    // Saved again: said again. Back to draft then published: said on publication too.
    await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Formation passée', start_date: '2020-01-10', start_time: '09:00', end_time: '12:00' });
    assert.match((await staff.get(`/admin/agenda/${id}`)).body, /cet événement est passé/);
    await staff.post(`/admin/agenda/${id}/statut`, { action: 'unpublish' });
    await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Formation passée', start_date: '2020-01-10', start_time: '09:00', end_time: '12:00' });
    assert.match((await staff.get(`/admin/agenda/${id}`)).body, /Une fois publié, il figurera dans les archives de l’agenda/);
    await staff.post(`/admin/agenda/${id}/statut`, { action: 'publish' });
    assert.match((await staff.get(`/admin/agenda/${id}`)).body, /Il ne figure pas parmi les événements à venir mais dans les archives/);
    // An event to come: no such notice.
    const future = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Formation à venir', intent: 'publish' });
    const futurePage = (await staff.get(String(future.headers.location))).body;
    assert.doesNotMatch(futurePage, /est passé|Voir les archives de l’agenda/);
  });

  test('a monthly series makes one event per date; one date is edited alone; the rest is cancelled from a date', async () => {
    const res = await staff.post('/admin/agenda/nouveau', {
      ...EVENT_FORM,
      title: 'Groupe pays Sénégal',
      type_code: 'country_group_meeting',
      start_date: '2030-01-08',
      start_time: '18:00',
      end_time: '20:00',
      repeat_freq: 'monthly_weekday',
      repeat_count: '4',
      intent: 'publish',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const first = (await findEventById(t.kernel.db, idFrom(res.headers.location)))!;
    assert.ok(first.series_id);
    const page = await staff.get(`/admin/agenda/${first.id}`);
    assert.match(page.body, /Règle : tous les mois, le 2e mardi, 4 fois/);
    const ids = [...page.body.matchAll(/href="\/admin\/agenda\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, 3, 'the three other dates are linked');
    const dates = await Promise.all(ids.map((id) => findEventById(t.kernel.db, id)));
    // 12 March and 9 April 2030, second Tuesdays: 18:00 in Paris on both sides of the change of time.
    assert.deepEqual(dates.map((d) => d!.starts_at.slice(0, 16)).sort(), ['2030-02-12T17:00', '2030-03-12T17:00', '2030-04-09T16:00']);
    const second = dates.find((d) => d!.starts_at.startsWith('2030-02-12'))!;
    const moved = await staff.post(`/admin/agenda/${second.id}`, { ...EVENT_FORM, title: 'Groupe pays Sénégal', type_code: 'country_group_meeting', start_date: '2030-02-13', start_time: '18:00', end_time: '20:00' });
    assert.equal(moved.statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, second.id))!.starts_at.slice(0, 10), '2030-02-13');
    assert.equal((await findEventById(t.kernel.db, first.id))!.starts_at.slice(0, 10), '2030-01-08', 'the other dates stay');
    const third = dates.find((d) => d!.starts_at.startsWith('2030-03-12'))!;
    // A bare POST changes nothing: it leads to the confirmation, whose form names the dates it cancels.
    assert.equal((await staff.post(`/admin/agenda/${third.id}/serie/annuler`)).headers.location, `/admin/agenda/${third.id}?annuler=suivantes`);
    const confirm = await staff.get(`/admin/agenda/${third.id}?annuler=suivantes`);
    const listed = [...confirm.body.matchAll(/name="dates" value="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(listed.length, 2, 'this date and the next one');
    assert.equal((await staff.post(`/admin/agenda/${third.id}/serie/annuler`, { confirmer: '1', dates: listed.join(',') })).statusCode, 303);
    const statuses = await Promise.all([first.id, second.id, ...ids].map(async (id) => [(await findEventById(t.kernel.db, id))!.starts_at.slice(0, 10), (await findEventById(t.kernel.db, id))!.status]));
    assert.deepEqual(Object.fromEntries(statuses), { '2030-01-08': 'published', '2030-02-13': 'published', '2030-03-12': 'cancelled', '2030-04-09': 'cancelled' });
  });

  test('a member proposes an event; staff publish it; a change is proposed and rejected with a message emailed', async () => {
    const member = await orgMember('awa@example.org');
    const home = await member.get('/mon-espace');
    assert.match(home.body, /<a href="\/mon-espace\/evenements">Voir mes événements<\/a>/, 'the member space links to the events');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="organisers" value="${orgId}" checked`));
    const missing = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, title: 'Projection débat', type_code: 'conference' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Choisissez au moins une de vos structures/);
    const sent = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, title: 'Projection débat', type_code: 'conference', organisers: orgId });
    assert.equal(sent.statusCode, 303);
    const mine = await member.get('/mon-espace/evenements');
    assert.match(mine.body, /Projection débat/);
    // On a phone each proposal is a card (.table-stack): its state under the column's name.
    assert.match(mine.body, /<table class="table-stack">/);
    assert.match(mine.body, /<td data-label="État">Proposition en attente<\/td>/);

    const queue = await staff.get('/admin/moderation?type=event');
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Projection débat<').exec(queue.body)?.[1];
    assert.ok(proposalId, 'the proposal is in the moderation queue');
    const detail = await staff.get(`/admin/moderation/${proposalId}`);
    assert.match(detail.body, /Conférence, projection/);
    assert.match(detail.body, /Eau Vive Gironde/);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const published = await findEventBySlug(t.kernel.db, 'projection-debat-2030-06-12');
    assert.equal(published?.event.status, 'published');
    assert.equal(published?.event.source, 'member');

    const id = published!.event.id;
    const edit = await member.get(`/mon-espace/evenements/${id}/modifier`);
    assert.equal(edit.statusCode, 200);
    const change = await member.post(`/mon-espace/evenements/${id}/modifier`, { ...EVENT_FORM, title: 'Projection débat : Sahel', type_code: 'conference', organisers: orgId });
    assert.equal(change.statusCode, 303);
    const queue2 = await staff.get('/admin/moderation?type=event');
    const changeId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Projection débat : Sahel<').exec(queue2.body)?.[1];
    assert.ok(changeId);
    const mails = t.smtp.messages.length;
    assert.equal((await staff.post(`/admin/moderation/${changeId}/rejeter`, { message: 'Le titre est déjà le bon.' })).statusCode, 303);
    await t.kernel.jobs.runDue(); // the decision's email is a job (decision 0031)
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.messages.at(-1)!.raw, /Le titre est d=C3=A9j=C3=A0 le bon|Le titre est déjà le bon/);
    assert.equal((await findEventById(t.kernel.db, id))!.title, 'Projection débat');

    const other = await t.loginAs('member', 'autre@example.org');
    assert.equal((await other.get(`/mon-espace/evenements/${id}/modifier`)).statusCode, 403);
  });

  test('staff read the dates and times of a proposed change as the site writes them, in their language, never as the form holds them', async () => {
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Ciné-débat du jeudi', organisers: orgId, intent: 'publish' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const id = idFrom(created.headers.location);
    const member = await orgMember('dates@example.org');
    const moved = { ...EVENT_FORM, title: 'Ciné-débat du jeudi', organisers: orgId, start_date: '2030-07-01', end_date: '2030-07-02', start_time: '9:05', end_time: '12:00' };
    const sent = await member.post(`/mon-espace/evenements/${id}/modifier`, moved);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Ciné-débat du jeudi<').exec((await staff.get('/admin/moderation?type=event')).body)?.[1];
    assert.ok(proposalId, 'the change is in the moderation queue');

    /** A row of the « Modifications proposées » table: the field, the value before, the value proposed. */
    const rows = (body: string) =>
      [...body.matchAll(/<th scope="row"><span>([^<]*)<\/span><\/th><td class="mod-before" data-label="[^"]*"><del class="mod-value">([^<]*)<\/del><\/td><td class="mod-after" data-label="[^"]*"><ins class="mod-value">([^<]*)<\/ins>/g)].map((m) => [m[1], m[2], m[3]]);
    const french = (await staff.get(`/admin/moderation/${proposalId}`)).body;
    assert.deepEqual(rows(french), [
      ['Date de début', '12 juin 2030', '1er juillet 2030'],
      ['Heure de début', '14\u00a0h\u00a030', '9\u00a0h\u00a005'],
      ['Date de fin', '12 juin 2030', '2 juillet 2030'],
      ['Heure de fin', '17\u00a0h', '12\u00a0h'],
    ]);
    const english = (await staff.get(`/admin/moderation/${proposalId}`, { 'accept-language': 'en' })).body;
    assert.deepEqual(rows(english), [
      ['Start date', '12 June 2030', '1 July 2030'],
      ['Start time', '14:30', '09:05'],
      ['End date', '12 June 2030', '2 July 2030'],
      ['End time', '17:00', '12:00'],
    ]);
  });

  test('feed items: proposed as new, then as a change of the imported event (same feed and UID)', async () => {
    const feedId = 'feed-1';
    await t.kernel.db
      .insertInto('event_feeds')
      .values({ id: feedId, organisation_id: orgId, url: 'https://example.org/agenda.ics', active: 1, item_count: 0, created_at: new Date().toISOString() })
      .execute();
    const proposer = { userId: null, name: 'iCal · Eau Vive Gironde', email: 'reseau@example.org' };
    const values = { ...EVENT_FORM, title: 'Atelier eau', type_code: 'member_event', organisers: [orgId], source: 'feed', feed_id: feedId, feed_uid: 'uid-1@example.org' };
    const first = await proposeEvent(t.kernel, values, proposer);
    assert.ok(first.proposalId);
    assert.equal(first.eventId, null);
    assert.equal((await staff.post(`/admin/moderation/${first.proposalId}/approuver`)).statusCode, 303);
    const event = (await findEventBySlug(t.kernel.db, 'atelier-eau-2030-06-12'))!.event;
    assert.equal(event.source, 'feed');
    assert.equal(event.feed_uid, 'uid-1@example.org');
    const second = await proposeEvent(t.kernel, { ...values, cancelled: '1' }, proposer);
    assert.equal(second.eventId, event.id);
    assert.ok(second.proposalId);
    assert.equal((await staff.post(`/admin/moderation/${second.proposalId}/approuver`)).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, event.id))!.status, 'cancelled');
    // A feed item without a place still reaches the queue: staff complete it before approving.
    const bare = await proposeEvent(t.kernel, { ...values, venue: '', commune: '', postcode: '', feed_uid: 'uid-2' }, proposer);
    assert.ok(bare.proposalId);
    assert.equal(bare.invalid, true);
    const refused = await staff.post(`/admin/moderation/${bare.proposalId}/approuver`);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Indiquez un lieu/);
  });
});
