import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld } from '../../../test/helpers/events.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findEventById } from './index.js';

/** The message, as the French catalogue shows it (no-break space before the colon). */
const NOT_SAVED = 'L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.';

forEachDialect('events: a change of status the database refuses leaves the event as it was', (dialect) => {
  let t: TestApp, staff: Client;
  before(async () => ({ t, staff } = await eventsWorld(dialect)));
  after(() => t.close());

  const auditLines = async (entityId: string) =>
    Number((await t.kernel.db.selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('staff publish a draft event: its log line refused, the event’s page comes back with the message, still a draft; then published once', async (ctx) => {
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Université d’été du réseau', start_date: '2030-08-25', intent: 'draft' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const id = String(created.headers.location).split('/').pop()!;
    await staff.get(String(created.headers.location)); // its success message, read
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'event.publish'");

    const refused = await staff.post(`/admin/agenda/${id}/statut`, { action: 'publish' });
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, new RegExp(`<div class="flash flash-error" role="alert">${NOT_SAVED}</div>`));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Université d’été du réseau"/, 'the event’s page');
    const still = (await findEventById(t.kernel.db, id))!;
    assert.equal(still.status, 'draft', 'still a draft');
    assert.equal(still.published_at, null);
    assert.equal(await auditLines(id), 1, 'only its creation in the log');

    await allow();
    assert.equal((await staff.post(`/admin/agenda/${id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'published');
    assert.equal(await auditLines(id), 2, 'the publication logged once');
  });

  test('staff cancel a weekly series from its second date: the third date’s log line refused, no date is cancelled; then the three are cancelled once', async (ctx) => {
    const title = 'Permanence projets';
    const created = await staff.post('/admin/agenda/nouveau', {
      ...EVENT_FORM,
      title,
      start_date: '2030-09-02',
      start_time: '10:00',
      end_time: '12:00',
      repeat_freq: 'weekly',
      repeat_interval: '1',
      repeat_count: '4',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    await staff.get(String(created.headers.location)); // its success message, read
    const dates = await t.kernel.db.selectFrom('events').where('title', '=', title).select(['id', 'status']).orderBy('starts_at').execute();
    assert.equal(dates.length, 4, 'four weekly dates');
    const statuses = async () => (await t.kernel.db.selectFrom('events').where('title', '=', title).select('status').orderBy('starts_at').execute()).map((e) => e.status);
    const before = await statuses();
    assert.ok(!before.includes('cancelled'));
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'event.cancel' AND (SELECT count(*) FROM audit_log WHERE action = 'event.cancel') >= 1");

    const confirmed = { confirmer: '1', dates: dates.slice(1).map((d) => d.id).join(',') };
    const refused = await staff.post(`/admin/agenda/${dates[1]!.id}/serie/annuler`, confirmed);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, /<h1>Annuler cette date et les suivantes\u00a0: Permanence projets<\/h1>/, 'the confirmation page, to try again');
    assert.match(refused.body, new RegExp(`<div class="flash flash-error" role="alert">${NOT_SAVED}</div>`));
    assertNoInternals(refused.body);
    assert.deepEqual(await statuses(), before, 'no date cancelled, not even the first of the three');
    assert.equal(await auditLines(dates[1]!.id), 1, 'only its creation in the log');

    await allow();
    assert.equal((await staff.post(`/admin/agenda/${dates[1]!.id}/serie/annuler`, confirmed)).statusCode, 303);
    assert.deepEqual(await statuses(), [before[0], 'cancelled', 'cancelled', 'cancelled']);
  });
});
