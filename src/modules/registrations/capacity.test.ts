import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../../../test/helpers/db.js';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { cancelRegistration } from './cancel.js';
import { type ParticipantInput, registerParticipant } from './register.js';
import { insertTestEvent } from './test-fixtures-repo.js';

function person(i: number, email = `personne${i}@example.org`): ParticipantInput {
  return {
    email,
    firstName: 'Personne',
    lastName: `N°${i}`,
    phone: null,
    organisationId: null,
    organisationName: 'Association test',
    organisationKind: 'association',
    organisationDepartment: '33',
    answers: {},
    sessionIds: [],
    userId: null,
  };
}

forEachDialect('Capacité des inscriptions (dans un processus)', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(async () => t.close());

  test('500 inscriptions simultanées sur 50 places : exactement 50 confirmées, les autres en attente dans l’ordre de validation', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 50 });
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => registerParticipant(t.kernel, event.id, person(i))));
    assert.equal(results.filter((r) => r.kind === 'created').length, 500);
    const rows = await t.kernel.db.selectFrom('registrations').select(['status', 'sequence']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.equal(rows.length, 500);
    assert.deepEqual(
      rows.map((r) => Number(r.sequence)),
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    assert.equal(rows.filter((r) => r.status === 'registered').length, 50);
    assert.ok(rows.slice(0, 50).every((r) => r.status === 'registered'));
    assert.ok(rows.slice(50).every((r) => r.status === 'waitlisted'));
    // Each waitlisted person was told their place in the line, from 1 to 450 in commit order.
    const positions = results.flatMap((r) => (r.kind === 'created' && r.waitlistPosition !== null ? [r.waitlistPosition] : [])).sort((a, b) => a - b);
    assert.deepEqual(
      positions,
      Array.from({ length: 450 }, (_, i) => i + 1),
    );
  });

  test('la même adresse, quelle que soit la casse, ne donne qu’une inscription', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 5 });
    const results = await Promise.all([
      registerParticipant(t.kernel, event.id, person(1, 'Awa.Diallo@Example.org')),
      registerParticipant(t.kernel, event.id, person(2, 'awa.diallo@example.org')),
      registerParticipant(t.kernel, event.id, person(3, 'AWA.DIALLO@EXAMPLE.ORG ')),
    ]);
    assert.equal(results.filter((r) => r.kind === 'created').length, 1);
    assert.equal(results.filter((r) => r.kind === 'existing').length, 2);
    const n = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).execute();
    assert.equal(n.length, 1);
  });

  test('une annulation libère la place et fait monter la première personne en attente', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 2 });
    const r = [];
    for (let i = 0; i < 4; i++) r.push(await registerParticipant(t.kernel, event.id, person(i)));
    assert.deepEqual(
      r.map((x) => (x.kind === 'created' ? x.status : x.kind)),
      ['registered', 'registered', 'waitlisted', 'waitlisted'],
    );
    const first = r[0]!;
    assert.equal(first.kind, 'created');
    const cancelled = await cancelRegistration(t.kernel, first.kind === 'created' ? first.id : '', null);
    assert.ok(cancelled.ok);
    const third = r[2]!;
    assert.deepEqual(cancelled.promoted, [third.kind === 'created' ? third.id : '']);
    const statuses = await t.kernel.db.selectFrom('registrations').select(['status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.deepEqual(
      statuses.map((s) => s.status),
      ['cancelled', 'registered', 'registered', 'waitlisted'],
    );
  });

  test('sans liste d’attente, une inscription sur un événement complet est refusée', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, waitlist_enabled: 0 });
    assert.equal((await registerParticipant(t.kernel, event.id, person(1))).kind, 'created');
    assert.deepEqual(await registerParticipant(t.kernel, event.id, person(2)), { kind: 'refused', reason: 'full' });
  });

  test('après la date limite, sur un événement annulé ou fermé : refusé', async () => {
    const late = await insertTestEvent(t.kernel.db, { registration_deadline: new Date(Date.now() - 3_600_000).toISOString() });
    assert.deepEqual(await registerParticipant(t.kernel, late.id, person(1)), { kind: 'refused', reason: 'deadline' });
    const cancelled = await insertTestEvent(t.kernel.db, { status: 'cancelled' });
    assert.deepEqual(await registerParticipant(t.kernel, cancelled.id, person(1)), { kind: 'refused', reason: 'cancelled' });
    const closed = await insertTestEvent(t.kernel.db, { registration_open: 0 });
    assert.deepEqual(await registerParticipant(t.kernel, closed.id, person(1)), { kind: 'refused', reason: 'closed' });
    const n = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', 'in', [late.id, cancelled.id, closed.id]).execute();
    assert.equal(n.length, 0);
  });
});
