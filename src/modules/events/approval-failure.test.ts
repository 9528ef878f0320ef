import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { listAudit } from '../../kernel/audit/index.js';
import { findEventById } from './index.js';
import type { Dialect } from '../../kernel/db/create-db.js';

/** The staff message, as the French catalogue shows it (no-break space before the colon). */
const NOT_APPLIED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été créé. Vous pouvez réessayer.';
/** The same for a change of an existing event: nothing was created, nor changed. */
const NOT_CHANGED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';
/** The trigger of test/helpers/refuse-writes.ts on the insert of an event. */
const refuseEventInserts = (ctx: TestContext, t: TestApp, dialect: Dialect, condition: string) => refuseWrites(ctx, t.kernel.db, dialect, 'events', condition);

forEachDialect('events: an acceptance the database refuses', (dialect) => {
  let t: TestApp, staff: Client, orgId: string, orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  const eventsTitled = async (title: string) =>
    Number((await t.kernel.db.selectFrom('events').where('title', '=', title).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const seriesCount = async () => Number((await t.kernel.db.selectFrom('event_series').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const proposalStatus = async (id: string) => (await t.kernel.db.selectFrom('proposals').where('id', '=', id).select('status').executeTakeFirstOrThrow()).status;
  const eventAudit = async () => (await listAudit(t.kernel.db, { entityType: 'event', limit: 1, offset: 0 })).total;
  const proposalIdOf = async (title: string) => new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec((await staff.get('/admin/moderation?type=event')).body)?.[1];
  /** What staff must never see: the database's own words or a stack trace. */
  const noInternals = assertNoInternals;

  test('a recurring proposal whose third date the database refuses: staff are back on the proposal with a French message, nothing was created, and it can be accepted again', async (ctx) => {
    const member = await orgMember('ousmane@example.org');
    const title = 'Réparation de vélos';
    const sent = await member.post('/mon-espace/evenements/nouveau', {
      ...EVENT_FORM,
      title,
      type_code: 'member_event',
      organisers: orgId,
      start_date: '2030-10-01',
      start_time: '18:00',
      end_time: '20:00',
      repeat_freq: 'weekly',
      repeat_interval: '1',
      repeat_count: '4',
    });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const proposalId = await proposalIdOf(title);
    assert.ok(proposalId);
    const [series0, audit0] = [await seriesCount(), await eventAudit()];
    // Two dates are written, the third is refused: the whole series must go.
    const allow = await refuseEventInserts(ctx, t, dialect, '(SELECT count(*) FROM events WHERE title = NEW.title) >= 2');

    const refused = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(refused.statusCode, 303, refused.body.slice(0, 3000));
    assert.equal(refused.headers.location, `/admin/moderation/${proposalId}`, 'back on the proposal, to try again');
    const page = await staff.get(`/admin/moderation/${proposalId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<div class="flash flash-error" role="alert">${NOT_APPLIED}</div>`));
    noInternals(page.body);
    assert.ok(page.body.includes(`action="/admin/moderation/${proposalId}/approuver"`), 'the proposal can be accepted again');
    assert.ok(!(await staff.get(`/admin/moderation/${proposalId}`)).body.includes(NOT_APPLIED), 'the message is shown once');

    assert.equal(await proposalStatus(proposalId), 'pending');
    assert.equal(await eventsTitled(title), 0, 'no date of the series stays');
    assert.equal(await seriesCount(), series0, 'nor the series');
    assert.equal(await eventAudit(), audit0, 'nor a line in the log for a date');
    assert.ok((await staff.get('/admin/moderation?type=event')).body.includes(`href="/admin/moderation/${proposalId}">${title}<`), 'the proposal is still in the queue');

    await allow();
    const accepted = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/admin/moderation');
    assert.equal(await proposalStatus(proposalId), 'approved');
    assert.equal(await eventsTitled(title), 4, 'each date once');
    assert.equal(await seriesCount(), series0 + 1);
  });

  test('a one-date proposal the database refuses: from the button, back on the proposal; from the edit form, the form again with the staff’s edits kept', async (ctx) => {
    const member = await orgMember('binta@example.org');
    const title = 'Fête des récoltes';
    const fields = { ...EVENT_FORM, title, type_code: 'member_event', organisers: orgId, start_date: '2030-09-20', start_time: '15:00', end_time: '19:00' };
    const sent = await member.post('/mon-espace/evenements/nouveau', fields);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const proposalId = await proposalIdOf(title);
    assert.ok(proposalId);
    const audit0 = await eventAudit();
    const allow = await refuseEventInserts(ctx, t, dialect, "NEW.title LIKE 'Fête des récoltes%'");

    const refused = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(refused.statusCode, 303, refused.body.slice(0, 3000));
    assert.equal(refused.headers.location, `/admin/moderation/${proposalId}`);
    const page = await staff.get(`/admin/moderation/${proposalId}`);
    assert.ok(page.body.includes(NOT_APPLIED));
    noInternals(page.body);
    assert.equal(await proposalStatus(proposalId), 'pending');
    assert.equal(await eventsTitled(title), 0);

    // Staff edit it, then accept: refused again, and nothing they typed is lost.
    const edited = { ...fields, title: 'Fête des récoltes solidaire', summary: 'Marché, ateliers et repas partagé', decision_message: 'Titre précisé par l’équipe.' };
    const again = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(again.statusCode, 503, again.body.slice(0, 3000));
    assert.ok(again.body.includes(NOT_APPLIED), 'the French message on the form');
    noInternals(again.body);
    assert.match(again.body, /action="\/admin\/moderation\/[0-9a-f-]{36}\/modifier"/);
    assert.match(again.body, /value="Fête des récoltes solidaire"/);
    assert.match(again.body, /value="Marché, ateliers et repas partagé"|>Marché, ateliers et repas partagé</);
    assert.match(again.body, /name="decision_message"[^>]*>Titre précisé par l’équipe.</);
    assert.equal(await proposalStatus(proposalId), 'pending');
    assert.equal(await eventsTitled('Fête des récoltes solidaire'), 0);
    assert.equal(await eventAudit(), audit0, 'nothing in the log');

    await allow();
    const accepted = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(await proposalStatus(proposalId), 'approved');
    assert.equal(await eventsTitled('Fête des récoltes solidaire'), 1);
  });
  /** A published event of the organisation (a member's proposal accepted), and its id. */
  const publishedEvent = async (member: Client, title: string) => {
    const fields = { ...EVENT_FORM, title, type_code: 'member_event', organisers: orgId, summary: 'Premier résumé' };
    assert.equal((await member.post('/mon-espace/evenements/nouveau', fields)).statusCode, 303);
    const proposalId = await proposalIdOf(title);
    assert.ok(proposalId);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const row = await t.kernel.db.selectFrom('events').where('title', '=', title).select('id').executeTakeFirstOrThrow();
    return { id: row.id, fields };
  };
  const auditOf = async (entityId: string) =>
    Number((await t.kernel.db.selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('a change of a published event the database refuses: from the button, back on the proposal with a French message; from the edit form, the form again with the staff’s edits; the event unchanged until it is accepted again', async (ctx) => {
    const member = await orgMember('mariama@example.org');
    const { id: eventId, fields } = await publishedEvent(member, 'Café citoyen');
    const change = await member.post(`/mon-espace/evenements/${eventId}/modifier`, { ...fields, title: 'Café citoyen du jeudi', summary: 'Résumé proposé' });
    assert.equal(change.statusCode, 303, change.body.slice(0, 3000));
    const proposalId = await proposalIdOf('Café citoyen du jeudi');
    assert.ok(proposalId);
    const [eventLines, proposalLines] = [await auditOf(eventId), await auditOf(proposalId)];
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'events', "NEW.title LIKE 'Café citoyen %'", 'UPDATE');

    const refused = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(refused.statusCode, 303, refused.body.slice(0, 3000));
    assert.equal(refused.headers.location, `/admin/moderation/${proposalId}`, 'back on the proposal, to try again');
    const page = await staff.get(`/admin/moderation/${proposalId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<div class="flash flash-error" role="alert">${NOT_CHANGED}</div>`));
    noInternals(page.body);
    assert.ok(page.body.includes(`action="/admin/moderation/${proposalId}/approuver"`), 'the proposal can be accepted again');
    assert.equal(await proposalStatus(proposalId), 'pending');
    const unchanged = (await findEventById(t.kernel.db, eventId))!;
    assert.equal(unchanged.title, 'Café citoyen', 'the event as it was');
    assert.equal(unchanged.summary, 'Premier résumé');
    assert.equal(await auditOf(eventId), eventLines, 'no line in the log for the event');
    assert.equal(await auditOf(proposalId), proposalLines, 'nor for the proposal');

    // Staff edit it, then accept: refused again, and nothing they typed is lost.
    const edited = { ...fields, title: 'Café citoyen du jeudi soir', summary: 'Résumé revu par l’équipe', decision_message: 'Horaire précisé.' };
    const again = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(again.statusCode, 503, again.body.slice(0, 3000));
    assert.ok(again.body.includes(NOT_CHANGED), 'the French message on the form');
    noInternals(again.body);
    assert.match(again.body, /action="\/admin\/moderation\/[0-9a-f-]{36}\/modifier"/);
    assert.match(again.body, /value="Café citoyen du jeudi soir"/);
    assert.match(again.body, /value="Résumé revu par l’équipe"|>Résumé revu par l’équipe</);
    assert.match(again.body, /name="decision_message"[^>]*>Horaire précisé.</);
    assert.equal(await proposalStatus(proposalId), 'pending');
    assert.equal((await findEventById(t.kernel.db, eventId))!.title, 'Café citoyen');
    assert.equal(await auditOf(eventId), eventLines);
    assert.equal(await auditOf(proposalId), proposalLines);

    await allow();
    const accepted = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(accepted.headers.location, '/admin/moderation');
    assert.equal(await proposalStatus(proposalId), 'approved');
    const changed = (await findEventById(t.kernel.db, eventId))!;
    assert.equal(changed.title, 'Café citoyen du jeudi soir');
    assert.equal(changed.summary, 'Résumé revu par l’équipe');
    assert.equal(await auditOf(eventId), eventLines + 1, 'the change logged once');
  });

  test('the acceptance’s own line in the log refused: neither the change nor a new event stays, the proposals wait, and they are accepted again', async (ctx) => {
    const member = await orgMember('fatou@example.org');
    const { id: eventId, fields } = await publishedEvent(member, 'Atelier compost');
    assert.equal((await member.post(`/mon-espace/evenements/${eventId}/modifier`, { ...fields, title: 'Atelier compost partagé' })).statusCode, 303);
    const changeId = await proposalIdOf('Atelier compost partagé');
    assert.equal((await member.post('/mon-espace/evenements/nouveau', { ...fields, title: 'Troc de graines' })).statusCode, 303);
    const newId = await proposalIdOf('Troc de graines');
    assert.ok(changeId && newId);
    const eventLines = await auditOf(eventId);
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action LIKE 'proposal.approved%'");

    const refusedChange = await staff.post(`/admin/moderation/${changeId}/approuver`);
    assert.equal(refusedChange.statusCode, 303, refusedChange.body.slice(0, 3000));
    assert.equal(refusedChange.headers.location, `/admin/moderation/${changeId}`);
    const page = await staff.get(`/admin/moderation/${changeId}`);
    assert.ok(page.body.includes(NOT_CHANGED));
    noInternals(page.body);
    assert.equal(await proposalStatus(changeId), 'pending');
    assert.equal((await findEventById(t.kernel.db, eventId))!.title, 'Atelier compost', 'the event as it was');
    assert.equal(await auditOf(eventId), eventLines);

    const refusedNew = await staff.post(`/admin/moderation/${newId}/approuver`);
    assert.equal(refusedNew.statusCode, 303, refusedNew.body.slice(0, 3000));
    assert.equal(refusedNew.headers.location, `/admin/moderation/${newId}`);
    assert.ok((await staff.get(`/admin/moderation/${newId}`)).body.includes(NOT_APPLIED));
    assert.equal(await proposalStatus(newId), 'pending');
    assert.equal(await eventsTitled('Troc de graines'), 0, 'no event created');

    await allow();
    assert.equal((await staff.post(`/admin/moderation/${changeId}/approuver`)).statusCode, 303);
    assert.equal((await staff.post(`/admin/moderation/${newId}/approuver`)).statusCode, 303);
    assert.equal(await proposalStatus(changeId), 'approved');
    assert.equal(await proposalStatus(newId), 'approved');
    assert.equal((await findEventById(t.kernel.db, eventId))!.title, 'Atelier compost partagé');
    assert.equal(await eventsTitled('Troc de graines'), 1, 'created once');
  });
});
