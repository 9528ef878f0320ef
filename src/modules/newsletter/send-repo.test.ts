import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { newId, newIds } from '../../kernel/ids.js';
import * as mailingRepo from './mailing-repo.js';
import * as sendRepo from './send-repo.js';

/** A mailing being sent to `count` subscribers, its recipients waiting. */
async function sendingMailing(db: TestDb, count: number): Promise<string> {
  const at = new Date().toISOString();
  const mailingId = newId();
  await db.db
    .insertInto('newsletter_mailings')
    .values({ id: mailingId, slug: `envoi-${mailingId}`, subject: 'Lettre', from_name: 'Réseau', reply_to: null, blocks: '[]', segment_id: null, created_by: null, created_at: at, updated_at: at, status: 'sending' })
    .execute();
  const subscribers = newIds(count);
  await db.db
    .insertInto('newsletter_subscribers')
    .values(subscribers.map((id, i) => ({ id, email: `p${i}-${mailingId}@example.org`, email_lower: `p${i}-${mailingId}@example.org`, name: null, organisation: null, contact_id: null, token: `jeton-${id}`, created_at: at, updated_at: at })))
    .execute();
  await sendRepo.insertRecipients(
    db.db,
    subscribers.map((subscriberId, i) => ({ id: newId(), mailing_id: mailingId, subscriber_id: subscriberId, email: `p${i}-${mailingId}@example.org`, name: null, via: 'list', track_token: null })),
  );
  return mailingId;
}

forEachDialect('newsletter: claiming recipients', (dialect) => {
  let db: TestDb;
  const now = () => new Date().toISOString();
  const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('nothing is claimed once the mailing is paused or cancelled, even by a worker that read it as sending', async () => {
    const id = await sendingMailing(db, 5);
    assert.equal((await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'a', limit: 2, now: now(), until: inAMinute() })).length, 2);
    assert.ok(await mailingRepo.transition(db.db, id, ['sending'], 'cancelled', {}));
    await sendRepo.skipUnsent(db.db, id, 'cancelled');
    assert.deepEqual(await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'a', limit: 5, now: now(), until: inAMinute() }), []);
    assert.deepEqual(await sendRepo.countsByStatus(db.db, id), { skipped: 5 });
  });

  test('expired claims come back first; a retry or failure is written only by the worker holding the recipient', async () => {
    const id = await sendingMailing(db, 4);
    const first = await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'crashed', limit: 2, now: now(), until: new Date(Date.now() - 1000).toISOString() });
    assert.equal(first.length, 2);
    const second = await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'b', limit: 3, now: now(), until: inAMinute() });
    assert.deepEqual(second.map((r) => r.id).filter((rid) => first.some((f) => f.id === rid)).sort(), first.map((f) => f.id).sort(), 'the expired claims are taken again');
    assert.equal(second.length, 3);
    assert.equal(second.find((r) => r.id === first[0]!.id)?.attempts, 2, 'each claim counts an attempt');
    // The crashed worker's late answers change nothing: the recipient is b's now.
    await sendRepo.markRetry(db.db, first[0]!.id, 'crashed', inAMinute(), '421 plus tard');
    await sendRepo.markFailed(db.db, first[1]!.id, 'crashed', '550 inconnu');
    const held = await db.db.selectFrom('newsletter_recipients').select(['id', 'status', 'claimed_by']).where('id', 'in', [first[0]!.id, first[1]!.id]).execute();
    assert.ok(held.every((r) => r.status === 'sending' && r.claimed_by === 'b'));
    await sendRepo.markRetry(db.db, first[0]!.id, 'b', inAMinute(), '421 plus tard');
    assert.equal((await db.db.selectFrom('newsletter_recipients').select('status').where('id', '=', first[0]!.id).executeTakeFirstOrThrow()).status, 'pending');
    assert.equal(await sendRepo.countClaimable(db.db, id, now(), 10), 1, 'the retried one waits for its time; one was never claimed');
  });

  test('renewing keeps a worker’s claims from being taken by another', async () => {
    const id = await sendingMailing(db, 3);
    await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'slow', limit: 3, now: now(), until: new Date(Date.now() + 50).toISOString() });
    await sendRepo.renewClaims(db.db, dialect, 'slow', id, inAMinute());
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(await sendRepo.claimRecipients(db.db, dialect, { mailingId: id, workerId: 'other', limit: 3, now: now(), until: inAMinute() }), []);
  });
});
