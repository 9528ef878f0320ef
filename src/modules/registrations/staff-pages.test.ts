import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { registerParticipant } from './register.js';
import { insertTestEvent, testParticipant } from './test-fixtures-repo.js';

const person = (n: number) => testParticipant(n, 'staff-page');

/** The flash messages of a page, their text only. */
const flashes = (html: string) => [...html.matchAll(/<div class="flash flash-(\w+)" role="\w+">([^<]*)<\/div>/g)].map((m) => `${m[1]}: ${m[2]}`);

forEachDialect('registrations back office: true messages, a deadline before the start, each heading once', (dialect) => {
  let t: TestApp;
  let staff: Client;
  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
  });
  after(async () => t.close());

  const statusOf = async (id: string) => (await t.kernel.db.selectFrom('registrations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const registered = async (eventId: string, n: number) => {
    const r = await registerParticipant(t.kernel, eventId, person(n));
    assert.equal(r.kind, 'created');
    return r as Extract<typeof r, { kind: 'created' }>;
  };

  test('a cancelled person set back to « Inscrit·e » when the event is full goes to the end of the waiting list, and the message says so', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, title: 'Formation au montage de projet' });
    await registered(event.id, 1);
    const waiting = await registered(event.id, 2);
    const back = await registered(event.id, 3);
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/${back.id}/statut`, { status: 'cancelled' })).statusCode, 303);
    await staff.get(`/admin/agenda/${event.id}/inscriptions`); // its message, read
    await t.kernel.jobs.runDue();
    const sent = t.smtp.messages.length;

    const res = await staff.post(`/admin/agenda/${event.id}/inscriptions/${back.id}/statut`, { status: 'registered' });
    assert.equal(res.statusCode, 303);
    assert.equal(await statusOf(back.id), 'waitlisted');
    assert.deepEqual(flashes((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body), [
      'info: Plus aucune place\u00a0: Awa Diallo 3 retourne en liste d’attente (position 2) et en est prévenu·e par email.',
    ]);
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(sent + 1);
    assert.match(t.smtp.lastTo('staff-page3@example.org')?.parsed.subject ?? '', /^Liste d’attente/);

    // Someone already waiting stays so, and is said to.
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/${waiting.id}/statut`, { status: 'registered' })).statusCode, 303);
    assert.equal(await statusOf(waiting.id), 'waitlisted');
    assert.deepEqual(flashes((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body), ['error: Plus aucune place\u00a0: Awa Diallo 2 reste en liste d’attente.']);
  });

  test('without a waiting list, the cancelled person stays cancelled, and the message says that, not « reste en liste d’attente »', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, waitlist_enabled: 0, title: 'Visite de chantier' });
    const first = await registered(event.id, 4);
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/${first.id}/statut`, { status: 'cancelled' })).statusCode, 303);
    await registered(event.id, 5);
    await staff.get(`/admin/agenda/${event.id}/inscriptions`);
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/${first.id}/statut`, { status: 'registered' })).statusCode, 303);
    assert.equal(await statusOf(first.id), 'cancelled');
    assert.deepEqual(flashes((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body), [
      'error: Plus aucune place, et l’événement n’a pas de liste d’attente\u00a0: l’inscription d’Awa Diallo 4 reste annulée.',
    ]);
  });

  test('staff adding someone read a sentence: « est inscrit·e. », not a status label in brackets', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 5, title: 'Café des partenaires' });
    const added = await staff.post(`/admin/agenda/${event.id}/inscriptions`, {
      first_name: 'Moussa',
      last_name: 'Traoré',
      email: 'moussa@example.org',
      organisation_name: 'Eau Vive Gironde',
      organisation_kind: 'association',
    });
    assert.equal(added.statusCode, 303);
    assert.deepEqual(flashes((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body), ['success: Moussa Traoré est inscrit·e.']);
  });

  test('a registration deadline after the event’s start is refused on its field, in French; one before it is kept, « 12 h » typed the French way', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Assemblée des jumelages' });
    const start = new Date(event.starts_at as string);
    const day = toLocalInputs(start).date;
    const later = new Date(start.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const url = `/admin/agenda/${event.id}/inscriptions/reglages`;
    const refused = await staff.post(url, { registration_open: '1', deadline_date: later, deadline_time: '12 h', capacity: '50', waitlist_enabled: '1' });
    assert.equal(refused.statusCode, 400);
    const error = /<p class="field-error" id="f-deadline_date-error">([^<]*)<\/p>/.exec(refused.body)?.[1];
    assert.match(error ?? '', /^La date limite d’inscription doit précéder le début de l’événement \(\d{1,2} \S+ \d{4} à \d{1,2}\u00a0h\)\.$/);
    assert.match(refused.body, /href="#f-deadline_date"/, 'the error summary links to the field');
    const stored = async () => (await t.kernel.db.selectFrom('events').select('registration_deadline').where('id', '=', event.id).executeTakeFirstOrThrow()).registration_deadline;
    assert.equal(await stored(), null, 'nothing saved');
    // The day itself with no time means 23:59: after a start in the morning, refused too.
    assert.equal((await staff.post(url, { registration_open: '1', deadline_date: day, capacity: '50', waitlist_enabled: '1' })).statusCode, 400);

    const before = new Date(start.getTime() - 2 * 86_400_000);
    const beforeDay = toLocalInputs(before).date;
    const kept = await staff.post(url, { registration_open: '1', deadline_date: beforeDay, deadline_time: '12 h', capacity: '50', waitlist_enabled: '1' });
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 2000));
    assert.deepEqual(toLocalInputs(new Date((await stored())!)), { date: beforeDay, time: '12:00' });
    assert.match((await staff.get(url)).body, /id="f-deadline_time" name="deadline_time" type="text" value="12:00"/);
    // The event's page says it in French hours.
    assert.match((await t.client().get(`/agenda/${event.slug}`)).body, /Inscriptions jusqu’au \d{1,2} \S+ \d{4} à 12\u00a0h</);
  });

  test('a deadline already past is refused when registrations are opened (typed values kept); clearing the date alone clears the deadline', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Atelier cycle de projet' });
    const url = `/admin/agenda/${event.id}/inscriptions/reglages`;
    const stored = async () => (await t.kernel.db.selectFrom('events').select('registration_deadline').where('id', '=', event.id).executeTakeFirstOrThrow()).registration_deadline;
    const past = await staff.post(url, { registration_open: '1', deadline_date: '2020-01-01', deadline_time: '', capacity: '50', waitlist_enabled: '1' });
    assert.equal(past.statusCode, 400, 'not « Les réglages des inscriptions sont enregistrés. »');
    assert.equal(
      /<p class="field-error" id="f-deadline_date-error">([^<]*)<\/p>/.exec(past.body)?.[1],
      'La date limite d’inscription est déjà passée\u00a0: choisissez une date à venir, videz-la, ou décochez «\u00a0Inscriptions ouvertes\u00a0».',
    );
    assert.match(past.body, /href="#f-deadline_date"/, 'the error summary links to the field');
    assert.match(past.body, /id="f-deadline_date" name="deadline_date" type="date" value="2020-01-01"/, 'the typed date kept');
    assert.equal(await stored(), null, 'nothing saved');
    // Registrations closed: a past deadline is only a record, kept.
    assert.equal((await staff.post(url, { deadline_date: '2020-01-01', capacity: '50' })).statusCode, 303);
    assert.ok(await stored());

    // A deadline set with its date alone comes back with « 23:59 » in the time field; clearing the date only clears it.
    const start = new Date(event.starts_at as string);
    const beforeDay = toLocalInputs(new Date(start.getTime() - 2 * 86_400_000)).date;
    assert.equal((await staff.post(url, { registration_open: '1', deadline_date: beforeDay, capacity: '50' })).statusCode, 303);
    assert.match((await staff.get(url)).body, /id="f-deadline_time" name="deadline_time" type="text" value="23:59"/);
    const cleared = await staff.post(url, { registration_open: '1', deadline_date: '', deadline_time: '23:59', capacity: '50' });
    assert.equal(cleared.statusCode, 303, cleared.body.slice(0, 2000));
    assert.equal(await stored(), null, 'no deadline any more');
    // A time typed alone still asks for its day.
    assert.equal((await staff.post(url, { registration_open: '1', deadline_time: '18:00', capacity: '50' })).statusCode, 400);
  });

  test('a saved deadline that has passed since, left as it is, is saved with a warning that registrations are closed', async () => {
    const event = await insertTestEvent(t.kernel.db, { registration_deadline: '2020-01-01T11:00:00.000Z' });
    const url = `/admin/agenda/${event.id}/inscriptions/reglages`;
    const saved = await staff.post(url, { registration_open: '1', deadline_date: '2020-01-01', deadline_time: '12:00', capacity: '60' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    assert.deepEqual(flashes((await staff.get(url)).body), [
      'success: Les réglages des inscriptions sont enregistrés.',
      'info: La date limite d’inscription est passée\u00a0: les inscriptions restent closes. Choisissez une date à venir pour les rouvrir.',
    ]);
  });

  test('erasing a person’s registrations (RGPD) asks first, saying how many and at which events; « Annuler » erases nothing', async () => {
    const first = await insertTestEvent(t.kernel.db, { title: 'Forum des jumelages' });
    const second = await insertTestEvent(t.kernel.db, { title: 'Atelier eau et assainissement' });
    const email = 'effacement.rgpd@example.org';
    for (const id of [first.id, second.id]) assert.equal((await registerParticipant(t.kernel, id, { ...person(90), email })).kind, 'created');
    const count = async () => (await t.kernel.db.selectFrom('registrations').select('id').where('email_lower', '=', email).execute()).length;
    const list = `/admin/agenda/${first.id}/inscriptions`;
    assert.match((await staff.get(list)).body, /<form method="post" action="\/admin\/inscriptions\/effacer"/);

    const page = await staff.post('/admin/inscriptions/effacer', { email: 'Effacement.RGPD@example.org', event: first.id });
    assert.equal(page.statusCode, 200);
    assert.equal(await count(), 2, 'nothing erased on the first click');
    assert.match(page.body, /<h1>Effacer les inscriptions de cette personne\u202f\?<\/h1>/);
    assert.match(page.body, /2 inscriptions faites avec l’adresse Effacement\.RGPD@example\.org seront effacées\u00a0:/);
    assert.match(page.body, /<li>Forum des jumelages, le [^<]+ \(Inscrit·e\)<\/li>/);
    assert.match(page.body, /<li>Atelier eau et assainissement, le [^<]+ \(Inscrit·e\)<\/li>/);
    assert.match(page.body, /<input type="hidden" name="confirmer" value="1"\/>/);
    assert.match(page.body, />Effacer définitivement ces 2 inscriptions</);
    assert.match(page.body, new RegExp(`<a href="${list}">Annuler, ne rien effacer</a>`), 'cancelling goes back to the list');

    const done = await staff.post('/admin/inscriptions/effacer', { email: 'Effacement.RGPD@example.org', event: first.id, confirmer: '1' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, list);
    assert.equal(await count(), 0);
    assert.deepEqual(flashes((await staff.get(list)).body), ['success: 2 inscriptions de cette adresse effacées.']);
    // Nothing left: said at once, no page to confirm.
    const none = await staff.post('/admin/inscriptions/effacer', { email, event: first.id });
    assert.equal(none.statusCode, 303);
    assert.deepEqual(flashes((await staff.get(list)).body), ['info: Aucune inscription n’est faite avec cette adresse\u00a0: rien à effacer.']);
  });

  test('the participant counts name each table once: « Par type d’acteur » heads its table, no caption says it again', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Journée multi-acteurs' });
    await registered(event.id, 6);
    const page = (await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body;
    for (const [id, title] of [
      ['counts-kind', 'Par type d’acteur'],
      ['counts-college', 'Par collège'],
      ['counts-department', 'Par département'],
    ] as const) {
      assert.equal(page.split(title).length - 1, 1, `« ${title} » once on the page`);
      assert.match(page, new RegExp(`<h3 id="${id}">${title}</h3><table aria-labelledby="${id}">`));
    }
  });
});
