import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, NewsletterRecipientsTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';

type Db = Kysely<Database> | Transaction<Database>;

export type RecipientRow = Selectable<NewsletterRecipientsTable>;

export async function insertRecipients(db: Db, rows: Insertable<NewsletterRecipientsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('newsletter_recipients')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['mailing_id', 'subscriber_id']).doNothing())
      .execute();
  }
}

export async function countRecipients(db: Db, mailingId: string): Promise<number> {
  const row = await db.selectFrom('newsletter_recipients').select((eb) => eb.fn.countAll<number>().as('n')).where('mailing_id', '=', mailingId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

// A recipient may be claimed when it waits and is due, or when the worker that claimed it let its
// claim expire. The two are read apart, each as one range of the (mailing_id, status, id) index, so
// a claim or a count reads the rows it takes, never the rows already sent: one query with an `or`
// across statuses would read the whole mailing at every batch.

/** Waiting recipients that are due (not retrying later), in id order. */
function dueWaiting(db: Db, mailingId: string, now: string) {
  return db
    .selectFrom('newsletter_recipients')
    .select('id')
    .where('mailing_id', '=', mailingId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .orderBy('id');
}

/** Recipients whose worker's claim expired (it crashed or stopped). */
function expiredClaims(db: Db, mailingId: string, now: string) {
  return db.selectFrom('newsletter_recipients').select('id').where('mailing_id', '=', mailingId).where('status', '=', 'sending').where('claimed_until', '<', now).orderBy('id');
}

/** Recipients claimable now, counted up to `atMost` (a batch's worth: never a scan of the whole mailing). */
export async function countClaimable(db: Db, mailingId: string, now: string, atMost: number): Promise<number> {
  const expired = (await expiredClaims(db, mailingId, now).limit(atMost).execute()).length;
  if (expired >= atMost) return expired;
  return expired + (await dueWaiting(db, mailingId, now).limit(atMost - expired).execute()).length;
}

/** Recipients not finished yet (waiting, retrying later, or claimed by a worker). */
export async function countUnfinished(db: Db, mailingId: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', mailingId)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** When the next recipient becomes claimable (a retry's time, or a claim's expiry). */
export async function nextClaimableAt(db: Db, mailingId: string): Promise<string | null> {
  const retry = await db
    .selectFrom('newsletter_recipients')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('mailing_id', '=', mailingId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const claim = await db
    .selectFrom('newsletter_recipients')
    .select((eb) => eb.fn.min('claimed_until').as('at'))
    .where('mailing_id', '=', mailingId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  const times = [retry?.at, claim?.at].filter((t): t is string => typeof t === 'string');
  return times.sort()[0] ?? null;
}

/**
 * Claims up to `limit` recipients for this worker (two workers never take the same row: SQLite
 * serialises writers, PostgreSQL skips locked rows): expired claims first, then waiting recipients in
 * id order. Each claim counts an attempt. Nothing is claimed once the mailing is no longer `sending`.
 */
export async function claimRecipients(db: Db, dialect: Dialect, args: { mailingId: string; workerId: string; limit: number; now: string; until: string }): Promise<RecipientRow[]> {
  if (args.limit <= 0) return [];
  const claim = (ids: ReturnType<typeof dueWaiting>, limit: number) =>
    db
      .updateTable('newsletter_recipients')
      .set((eb) => ({ status: 'sending', claimed_by: args.workerId, claimed_until: args.until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids.limit(limit).$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()))
      // Only while the mailing is being sent: a pause or cancel that lands after the caller looked
      // leaves no recipient claimed (a cancel skips what is waiting, and this claim would revive it).
      .where((eb) => eb.exists(eb.selectFrom('newsletter_mailings').select('id').where('id', '=', args.mailingId).where('status', '=', 'sending')))
      .returningAll()
      .execute();
  const reclaimed = await claim(expiredClaims(db, args.mailingId, args.now), args.limit);
  if (reclaimed.length >= args.limit) return reclaimed;
  const fresh = await claim(dueWaiting(db, args.mailingId, args.now), args.limit - reclaimed.length);
  return [...reclaimed, ...fresh];
}

export async function markSent(db: Db, ids: readonly string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('newsletter_recipients')
      .set({ status: 'sent', sent_at: at, claimed_by: null, claimed_until: null, error: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

/** A definitive failure, recorded only while `workerId` still holds the recipient (a cancel skipped it meanwhile, another run took it over). */
export async function markFailed(db: Db, id: string, workerId: string, error: string): Promise<void> {
  await db
    .updateTable('newsletter_recipients')
    .set({ status: 'failed', error: error.slice(0, 500), claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workerId)
    .execute();
}

export async function markSkipped(db: Db, ids: readonly string[], reason: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('newsletter_recipients')
      .set({ status: 'skipped', error: reason, claimed_by: null, claimed_until: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', 'in', ['pending', 'sending'])
      .execute();
  }
}

/** A temporary failure: back in the queue, tried again after `retryAt` (only while `workerId` still holds it: a cancelled mailing keeps nothing waiting). */
export async function markRetry(db: Db, id: string, workerId: string, retryAt: string, error: string): Promise<void> {
  await db
    .updateTable('newsletter_recipients')
    .set({ status: 'pending', next_attempt_at: retryAt, error: error.slice(0, 500), claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workerId)
    .execute();
}

/**
 * Keeps this worker's claims alive until `until` (claims it still holds, queued or in flight). On
 * PostgreSQL rows another statement holds (being marked sent) are skipped, never waited for: two
 * multi-row updates of the same rows in different orders would deadlock.
 */
export async function renewClaims(db: Db, dialect: Dialect, workerId: string, mailingId: string, until: string): Promise<void> {
  await db
    .updateTable('newsletter_recipients')
    .set({ claimed_until: until })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('newsletter_recipients')
        .select('id')
        .where('mailing_id', '=', mailingId)
        .where('status', '=', 'sending')
        .where('claimed_by', '=', workerId)
        .where('claimed_until', '<', until)
        .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()),
    )
    .execute();
}

/** Gives claimed recipients back untouched (the worker stops before sending them). */
export async function releaseClaims(db: Db, ids: readonly string[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('newsletter_recipients')
    .set((eb) => ({ status: 'pending', claimed_by: null, claimed_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', [...ids])
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'sending')
    .execute();
}

/** Cancelling: recipients not sent yet are skipped. */
export async function skipUnsent(db: Db, mailingId: string, reason: string): Promise<void> {
  await db
    .updateTable('newsletter_recipients')
    .set({ status: 'skipped', error: reason, claimed_by: null, claimed_until: null })
    .where('mailing_id', '=', mailingId)
    .where('status', 'in', ['pending', 'sending'])
    .execute();
}

export async function countsByStatus(db: Db, mailingId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('newsletter_recipients')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('mailing_id', '=', mailingId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function countSentSince(db: Db, mailingId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', mailingId)
    .where('status', '=', 'sent')
    .where('sent_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function recipientsOf(db: Db, mailingId: string, status: string | null, offset: number, limit: number): Promise<RecipientRow[]> {
  return db
    .selectFrom('newsletter_recipients')
    .selectAll()
    .where('mailing_id', '=', mailingId)
    .$if(status !== null, (qb) => qb.where('status', '=', status as RecipientRow['status']))
    .orderBy('email')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Which of these subscribers are still confirmed on one of the mailing's lists. */
export async function stillSubscribed(db: Db, subscriberIds: readonly string[], listIds: readonly string[]): Promise<Set<string>> {
  if (subscriberIds.length === 0 || listIds.length === 0) return new Set();
  // Read by subscriber only (the primary key) and filtered here: with the list in the query, SQLite
  // prefers the list's index and reads every subscription of a big list for each batch.
  const rows = await db.selectFrom('newsletter_subscriptions').select(['subscriber_id', 'list_id', 'status']).where('subscriber_id', 'in', [...subscriberIds]).execute();
  const lists = new Set(listIds);
  return new Set(rows.filter((r) => r.status === 'confirmed' && lists.has(r.list_id)).map((r) => r.subscriber_id));
}

export function recipientsOfSubscriber(db: Db, subscriberId: string) {
  return db
    .selectFrom('newsletter_recipients as r')
    .innerJoin('newsletter_mailings as m', 'm.id', 'r.mailing_id')
    .select(['r.mailing_id', 'm.subject', 'r.status', 'r.sent_at', 'r.error', 'r.via', 'm.tracking', 'r.opened_at', 'r.open_count'])
    .where('r.subscriber_id', '=', subscriberId)
    .orderBy('r.sent_at', 'desc')
    .execute();
}

/** A bounce is recorded on the recipient row of the mailing it answers. */
export async function noteBounce(db: Db, mailingId: string, emailLower: string, note: string): Promise<void> {
  await db
    .updateTable('newsletter_recipients')
    .set({ error: note.slice(0, 500) })
    .where('mailing_id', '=', mailingId)
    .where(sql`lower(email)`, '=', emailLower)
    .execute();
}

// ---------- The shared send-rate log ----------

/**
 * Runs `reserve` with the rate log locked: the first statement writes the lock row, so SQLite takes
 * its write lock at once (waiting for another process's) and PostgreSQL locks the row until commit.
 */
export async function withRateLock<T>(db: Kysely<Database>, reserve: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('newsletter_rate_lock')
      .set((eb) => ({ reservations: eb('reservations', '+', 1) }))
      .where('id', '=', 1)
      .execute();
    return reserve(trx);
  });
}

export async function pruneSlots(db: Db, beforeMs: number): Promise<void> {
  await db.deleteFrom('newsletter_rate_slots').where('at_ms', '<', beforeMs).execute();
}

/** Slot times from the most recent, skipping `offset` of them. */
export async function recentSlots(db: Db, offset: number, limit: number): Promise<number[]> {
  if (limit <= 0) return [];
  const rows = await db.selectFrom('newsletter_rate_slots').select('at_ms').orderBy('at_ms', 'desc').limit(limit).offset(offset).execute();
  return rows.map((r) => Number(r.at_ms));
}

export async function insertSlots(db: Db, times: readonly number[]): Promise<void> {
  for (let i = 0; i < times.length; i += 500) {
    await db
      .insertInto('newsletter_rate_slots')
      .values(times.slice(i, i + 500).map((at_ms) => ({ at_ms })))
      .execute();
  }
}

export async function slotsBetween(db: Db, fromMs: number, toMs: number): Promise<number[]> {
  const rows = await db.selectFrom('newsletter_rate_slots').select('at_ms').where('at_ms', '>=', fromMs).where('at_ms', '<', toMs).orderBy('at_ms').execute();
  return rows.map((r) => Number(r.at_ms));
}
