import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findEventById, findEventBySlug } from './index.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const NOT_SAVED = 'L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.';
const NOT_SAVED_EN = 'Saving did not go through: nothing was saved. You can try again.';
const NOT_SENT = 'L’envoi n’a pas abouti\u00a0: rien n’a été envoyé. Vous pouvez réessayer.';
const NOT_SENT_EN = 'Sending did not go through: nothing was sent. You can try again.';

/** The message at the top of the page, read by screen readers at once. */
const alertOf = (message: string) => new RegExp(`<div class="flash flash-error" role="alert">${message}</div>`);

/** A form posted by someone reading the site in English. */
async function postInEnglish(client: Client, url: string, form: Record<string, string>) {
  const payload = new URLSearchParams({ ...form, _csrf: await client.csrf() }).toString();
  return client.request('POST', url, { payload, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } });
}

forEachDialect('events: a save the database refuses brings the form back as typed', (dialect) => {
  let t: TestApp, staff: Client, orgId: string, orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  const n = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  const db = () => t.kernel.db;
  const eventsTitled = (title: string) => n(db().selectFrom('events').where('title', '=', title).select((eb) => eb.fn.countAll().as('n')));
  const seriesCount = () => n(db().selectFrom('event_series').select((eb) => eb.fn.countAll().as('n')));
  const proposalsBy = (email: string) => n(db().selectFrom('proposals').where('proposer_email', '=', email).select((eb) => eb.fn.countAll().as('n')));
  const auditLines = (entityId?: string) => n(entityId ? db().selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')) : db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')));

  test('staff create one event: its log line refused, the form comes back with what they typed and the message (French, English), no event stays; then it is created once', async (ctx) => {
    const title = 'Forum des solidarités';
    const form = { ...EVENT_FORM, title, summary: 'Stands, débats et concerts', organisers: orgId, intent: 'publish' };
    const audit0 = await auditLines();
    // The last write of the creation (its line in the log) fails: the event row written before it must go too.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'event.created'");

    const refused = await staff.post('/admin/agenda/nouveau', form);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /action="\/admin\/agenda\/nouveau"/, 'the creation form, to try again');
    assert.match(refused.body, /value="Forum des solidarités"/);
    assert.match(refused.body, />Stands, débats et concerts</);
    assert.match(refused.body, /value="2030-06-12"/);
    assert.equal(await eventsTitled(title), 0, 'no event stays');
    assert.equal(await auditLines(), audit0);

    const english = await postInEnglish(staff, '/admin/agenda/nouveau', form);
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SAVED_EN));
    assert.match(english.body, /value="Forum des solidarités"/);
    assert.equal(await eventsTitled(title), 0);
    assert.ok(!(await staff.get('/admin/agenda')).body.includes(NOT_SAVED), 'the message is shown once');

    await allow();
    const created = await staff.post('/admin/agenda/nouveau', form);
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    assert.equal(await eventsTitled(title), 1, 'created once');
    assert.equal((await findEventBySlug(t.kernel.db, 'forum-des-solidarites-2030-06-12'))?.event.status, 'published');
  });

  test('staff create a series whose third date is refused: the form comes back with the repetition typed, no date nor series stays; then each date is created once', async (ctx) => {
    const title = 'Permanence juridique';
    const form = { ...EVENT_FORM, title, start_date: '2030-11-05', start_time: '17:00', end_time: '19:00', repeat_freq: 'weekly', repeat_interval: '1', repeat_count: '4', intent: 'publish' };
    const series0 = await seriesCount();
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'events', '(SELECT count(*) FROM events WHERE title = NEW.title) >= 2');

    const refused = await staff.post('/admin/agenda/nouveau', form);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Permanence juridique"/);
    assert.match(refused.body, /<option value="weekly" selected/);
    assert.match(refused.body, /name="repeat_count"[^>]*value="4"|value="4"[^>]*name="repeat_count"/);
    assert.equal(await eventsTitled(title), 0, 'no date of the series stays');
    assert.equal(await seriesCount(), series0, 'nor the series');

    const english = await postInEnglish(staff, '/admin/agenda/nouveau', form);
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SAVED_EN));
    assert.equal(await eventsTitled(title), 0);

    await allow();
    const created = await staff.post('/admin/agenda/nouveau', form);
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    assert.equal(await eventsTitled(title), 4, 'each date once');
    assert.equal(await seriesCount(), series0 + 1, 'one series');
  });

  test('staff edit an event: its log line refused, the form comes back with their edits and the event is as it was; then the edit is saved once', async (ctx) => {
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Atelier plaidoyer', start_date: '2030-07-02', organisers: orgId, intent: 'publish' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const id = String(created.headers.location).split('/').pop()!;
    await staff.get(String(created.headers.location)); // its success message, read
    const edit = { ...EVENT_FORM, title: 'Atelier plaidoyer et médias', start_date: '2030-07-03', organisers: orgId };
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'event.updated'");

    const refused = await staff.post(`/admin/agenda/${id}`, edit);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, new RegExp(`action="/admin/agenda/${id}"`));
    assert.match(refused.body, /value="Atelier plaidoyer et médias"/);
    assert.match(refused.body, /value="2030-07-03"/);
    const unchanged = (await findEventById(t.kernel.db, id))!;
    assert.equal(unchanged.title, 'Atelier plaidoyer', 'the event is as it was');
    assert.equal(unchanged.slug, 'atelier-plaidoyer-2030-07-02');
    assert.equal(unchanged.starts_at.slice(0, 10), '2030-07-02');
    assert.equal(await findEventBySlug(t.kernel.db, 'atelier-plaidoyer-et-medias-2030-07-03'), undefined, 'no new address');
    assert.equal(await auditLines(id), 1, 'only its creation in the log');

    const english = await postInEnglish(staff, `/admin/agenda/${id}`, edit);
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SAVED_EN));

    await allow();
    const saved = await staff.post(`/admin/agenda/${id}`, edit);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
    assert.equal((await findEventById(t.kernel.db, id))!.title, 'Atelier plaidoyer et médias');
    assert.equal((await findEventBySlug(t.kernel.db, 'atelier-plaidoyer-2030-07-02'))?.redirectTo, 'atelier-plaidoyer-et-medias-2030-07-03');
    assert.equal(await auditLines(id), 2, 'one line for the edit');
  });

  test('a member proposes a series: the proposal refused, the form comes back with what they typed, nothing is in the queue; then it is sent once', async (ctx) => {
    const email = 'aminata@example.org';
    const member = await orgMember(email);
    const title = 'Cercle de lecture';
    const form = { ...EVENT_FORM, title, type_code: 'member_event', organisers: orgId, start_date: '2030-12-02', start_time: '18:30', end_time: '20:00', repeat_freq: 'weekly', repeat_interval: '2', repeat_count: '3' };
    // The proposal is written, then its log line is refused: the proposal must go too.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'proposal.created'");

    const refused = await member.post('/mon-espace/evenements/nouveau', form);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SENT));
    assertNoInternals(refused.body);
    assert.match(refused.body, /action="\/mon-espace\/evenements\/nouveau"/);
    assert.match(refused.body, /value="Cercle de lecture"/);
    assert.match(refused.body, /name="repeat_interval"[^>]*value="2"|value="2"[^>]*name="repeat_interval"/);
    assert.equal(await proposalsBy(email), 0, 'nothing in the queue');
    assert.equal(await eventsTitled(title), 0);

    const english = await postInEnglish(member, '/mon-espace/evenements/nouveau', form);
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SENT_EN));
    assert.equal(await proposalsBy(email), 0);

    await allow();
    const sent = await member.post('/mon-espace/evenements/nouveau', form);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    assert.equal(await proposalsBy(email), 1, 'sent once');
    assert.equal((await staff.get('/admin/moderation?type=event')).body.match(/>Cercle de lecture</g)?.length, 1, 'once in the queue');
  });

  test('a member proposes a change of their organisation’s event: refused, the form comes back with their change; then it is sent once', async (ctx) => {
    const email = 'mamadou@example.org';
    const member = await orgMember(email);
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Journée portes ouvertes', type_code: 'member_event', start_date: '2030-05-16', organisers: orgId, intent: 'publish' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const id = String(created.headers.location).split('/').pop()!;
    await staff.get(String(created.headers.location)); // its success message, read
    const change = { ...EVENT_FORM, title: 'Journée portes ouvertes et vide-grenier', type_code: 'member_event', start_date: '2030-05-16', organisers: orgId };
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'proposal.created'");

    const refused = await member.post(`/mon-espace/evenements/${id}/modifier`, change);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SENT));
    assertNoInternals(refused.body);
    assert.match(refused.body, new RegExp(`action="/mon-espace/evenements/${id}/modifier"`));
    assert.match(refused.body, /value="Journée portes ouvertes et vide-grenier"/);
    assert.equal(await proposalsBy(email), 0, 'nothing in the queue');
    assert.equal((await findEventById(t.kernel.db, id))!.title, 'Journée portes ouvertes');

    await allow();
    const sent = await member.post(`/mon-espace/evenements/${id}/modifier`, change);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    assert.equal(await proposalsBy(email), 1, 'sent once');
  });
});
