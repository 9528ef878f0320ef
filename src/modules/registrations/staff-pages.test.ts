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
