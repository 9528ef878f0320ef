import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, RegistrationSessionsTable, RegistrationsTable, RegistrationStatus } from '../../db/schema.js';
import { forgetAnonymousActors } from '../../kernel/audit/index.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { SEATED_STATUSES } from '../events/index.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type RegistrationRow = Selectable<RegistrationsTable>;
export type SessionRow = Selectable<Database['event_sessions']>;

/** Statuses that hold a seat of the event (attendance is marked on seats). */
export const SEATED: readonly RegistrationStatus[] = SEATED_STATUSES;

// ---------- The lock that keeps capacity ----------

/**
 * Runs `work` while no other registration change of the same event can run, in any process:
 * PostgreSQL locks the event's row (`FOR UPDATE`) in a transaction; SQLite takes the database's
 * single write lock at the start (`BEGIN IMMEDIATE`), so reads in `work` are never stale.
 * Seats and sequence numbers are therefore given in commit order.
 */
export async function withEventLock<T>(db: Kysely<Database>, dialect: Dialect, eventId: string, work: (db: Db) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await trx.selectFrom('events').select('id').where('id', '=', eventId).forUpdate().executeTakeFirst();
      return work(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

// ---------- Events (the registration settings live on the event row) ----------

export async function eventRow(db: Db, id: string) {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateEventSettings(
  db: Db,
  id: string,
  values: { registration_open: number; registration_deadline: string | null; capacity: number | null; waitlist_enabled: number; account_required: number; organisation_required?: number; questions: string; updated_at: string },
): Promise<void> {
  await db.updateTable('events').set(values).where('id', '=', id).execute();
}

// ---------- Registrations ----------

export async function findByEmail(db: Db, eventId: string, emailLower: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('event_id', '=', eventId).where('email_lower', '=', emailLower).executeTakeFirst();
}

export async function findById(db: Db, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByTokenHash(db: Db, hash: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function seatedCount(db: Db, eventId: string): Promise<number> {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', 'in', SEATED)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function nextSequence(db: Db, eventId: string): Promise<number> {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.max<number | null>('sequence').as('m'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

export async function insertRegistration(db: Db, row: Insertable<RegistrationsTable>): Promise<void> {
  await db.insertInto('registrations').values(row).execute();
}

export async function updateRegistration(db: Db, id: string, values: Partial<Omit<RegistrationRow, 'id' | 'event_id'>>): Promise<void> {
  await db.updateTable('registrations').set(values).where('id', '=', id).execute();
}

/** The first waitlisted people of an event, in commit order. */
export async function firstWaitlisted(db: Db, eventId: string, limit: number): Promise<RegistrationRow[]> {
  if (limit <= 0) return [];
  return db.selectFrom('registrations').selectAll().where('event_id', '=', eventId).where('status', '=', 'waitlisted').orderBy('sequence').limit(limit).execute();
}

/** A waitlisted registration's place in the line (1 for the next one). */
export async function waitlistPosition(db: Db, eventId: string, sequence: number): Promise<number> {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('sequence', '<=', sequence)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * When the current registration was made. Consent is given anew at each registration, a first one
 * or one taken again after a cancellation (register.ts), while `created_at` stays the first one's:
 * so a person who registered again shows the moment that put them at the end of the queue.
 */
export function registeredAt(r: Pick<RegistrationRow, 'consent_at' | 'created_at'>): string {
  return r.consent_at ?? r.created_at;
}

/** An event's registrations in queue order (`sequence`): staff list, exports. */
export async function listForEvent(db: Db, eventId: string): Promise<RegistrationRow[]> {
  return db.selectFrom('registrations').selectAll().where('event_id', '=', eventId).orderBy('sequence').execute();
}

export async function statusCounts(db: Db, eventId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('registrations')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * The registrations the cancellation of these events reaches: everyone registered or waiting (not
 * who cancelled), with the address that tells one person from another, in the order of the dates
 * then of each date's queue.
 */
export async function toldOfEventsCancellation(db: Db, eventIds: readonly string[]): Promise<{ id: string; event_id: string; email_lower: string }[]> {
  if (!eventIds.length) return [];
  return db
    .selectFrom('registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.id', 'r.event_id', 'r.email_lower'])
    .where('r.event_id', 'in', [...eventIds])
    .where('r.status', '!=', 'cancelled')
    .orderBy('e.starts_at')
    .orderBy('r.event_id')
    .orderBy('r.sequence')
    .execute();
}

/**
 * Whom the cancellation of these events reaches: per event, how many hold a seat and how many wait;
 * and how many different people (addresses) that makes.
 */
export async function reachOfEventsCancellation(db: Db, eventIds: readonly string[]): Promise<{ byEvent: { event_id: string; status: RegistrationStatus; n: number }[]; people: number }> {
  if (!eventIds.length) return { byEvent: [], people: 0 };
  const told = db.selectFrom('registrations').where('event_id', 'in', [...eventIds]).where('status', '!=', 'cancelled');
  const [byEvent, people] = await Promise.all([
    told.select(['event_id', 'status', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy(['event_id', 'status']).execute(),
    told.select((eb) => eb.fn.count<number | string>('email_lower').distinct().as('n')).executeTakeFirst(),
  ]);
  return { byEvent: byEvent.map((r) => ({ ...r, n: Number(r.n) })), people: Number(people?.n ?? 0) };
}

/** Registrations by id, in the order of the ids given (those gone are left out). */
export async function findByIds(db: Db, ids: readonly string[]): Promise<RegistrationRow[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('registrations').selectAll().where('id', 'in', [...ids]).execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

// ---------- Workshops (event_sessions) ----------

export async function sessionsOf(db: Db, eventId: string): Promise<SessionRow[]> {
  return db.selectFrom('event_sessions').selectAll().where('event_id', '=', eventId).orderBy('starts_at').orderBy('position').orderBy('title').execute();
}

export async function insertSession(db: Db, row: Insertable<Database['event_sessions']>): Promise<void> {
  await db.insertInto('event_sessions').values(row).execute();
}

export async function updateSession(db: Db, id: string, eventId: string, values: Partial<Omit<SessionRow, 'id' | 'event_id'>>): Promise<void> {
  await db.updateTable('event_sessions').set(values).where('id', '=', id).where('event_id', '=', eventId).execute();
}

export async function deleteSession(db: Db, id: string, eventId: string): Promise<number> {
  const r = await db.deleteFrom('event_sessions').where('id', '=', id).where('event_id', '=', eventId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function sessionSeated(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('registration_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'registered')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function sessionCounts(db: Db, eventId: string): Promise<{ session_id: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('registration_sessions as rs')
    .innerJoin('event_sessions as s', 's.id', 'rs.session_id')
    .select(['rs.session_id', 'rs.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.event_id', '=', eventId)
    .groupBy(['rs.session_id', 'rs.status'])
    .execute();
  return rows.map((r) => ({ session_id: r.session_id, status: r.status, n: Number(r.n) }));
}

export async function nextSessionSequence(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('registration_sessions')
    .select((eb) => eb.fn.max<number | null>('sequence').as('m'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

export async function sessionChoices(db: Db, registrationIds: string[]): Promise<Selectable<RegistrationSessionsTable>[]> {
  if (!registrationIds.length) return [];
  return db.selectFrom('registration_sessions').selectAll().where('registration_id', 'in', registrationIds).orderBy('sequence').execute();
}

export async function insertSessionChoice(db: Db, row: Insertable<RegistrationSessionsTable>): Promise<void> {
  await db.insertInto('registration_sessions').values(row).execute();
}

export async function setSessionChoiceStatus(db: Db, registrationId: string, sessionId: string, status: RegistrationSessionsTable['status']): Promise<void> {
  await db.updateTable('registration_sessions').set({ status }).where('registration_id', '=', registrationId).where('session_id', '=', sessionId).execute();
}

export async function deleteSessionChoices(db: Db, registrationId: string): Promise<void> {
  await db.deleteFrom('registration_sessions').where('registration_id', '=', registrationId).execute();
}

/** The first people waiting for a workshop who hold a seat of the event, in commit order. */
export async function firstWaitingForSession(db: Db, sessionId: string, limit: number) {
  if (limit <= 0) return [];
  return db
    .selectFrom('registration_sessions as rs')
    .innerJoin('registrations as r', 'r.id', 'rs.registration_id')
    .select(['rs.registration_id', 'rs.session_id'])
    .where('rs.session_id', '=', sessionId)
    .where('rs.status', '=', 'waitlisted')
    .where('r.status', 'in', SEATED)
    .orderBy('rs.sequence')
    .limit(limit)
    .execute();
}

// ---------- Reminders ----------

/** Seated registrations of published events starting in (from, to] whose reminder is not sent. */
export async function remindersDue(db: Db, from: string, to: string, limit: number) {
  return db
    .selectFrom('registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.id'])
    .where('e.status', '=', 'published')
    .where('e.starts_at', '>', from)
    .where('e.starts_at', '<=', to)
    .where('r.status', 'in', ['registered', 'pending'])
    .where('r.reminder_sent_at', 'is', null)
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** Marks the reminder sent; false when another worker did it first. */
export async function claimReminder(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('registrations').set({ reminder_sent_at: at }).where('id', '=', id).where('reminder_sent_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function unclaimReminder(db: Db, id: string): Promise<void> {
  await db.updateTable('registrations').set({ reminder_sent_at: null }).where('id', '=', id).execute();
}

// ---------- Counts for reports ----------

/** Seated and attended participants, with the kind, colleges and département of their organisation. */
export async function participantsForCounts(db: Db, eventId: string) {
  return db
    .selectFrom('registrations as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.individual', 'r.organisation_id', 'r.organisation_kind', 'r.organisation_department', 'o.kind_code', 'o.department_code'])
    .where('r.event_id', '=', eventId)
    .where('r.status', 'in', SEATED)
    .execute();
}

export async function collegesOf(db: Db, organisationIds: string[]) {
  if (!organisationIds.length) return [];
  return db.selectFrom('organisation_colleges').select(['organisation_id', 'college_code']).where('organisation_id', 'in', organisationIds).execute();
}

export async function organisationName(db: Db, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'kind_code', 'department_code', 'visibility']).where('id', '=', id).executeTakeFirst();
}

// ---------- RGPD ----------

export async function registrationsByEmail(db: Db, emailLower: string) {
  return db
    .selectFrom('registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.id', 'r.event_id', 'e.title as event_title', 'e.starts_at', 'r.status', 'r.email', 'r.first_name', 'r.last_name', 'r.phone', 'r.organisation_name', 'r.individual', 'r.answers', 'e.questions', 'r.locale', 'r.consent_at', 'r.created_at', 'r.cancelled_at'])
    .where('r.email_lower', '=', emailLower)
    .orderBy('e.starts_at')
    .execute();
}

/**
 * Deletes registrations (RGPD erasure). Their journal entries made by the participant through
 * their link (no account behind them) lose the address and IP that named the person.
 */
export async function deleteRegistrations(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await forgetAnonymousActors(db, 'registration', ids);
  await db.deleteFrom('registrations').where('id', 'in', ids).execute();
}

export async function eventIdsOfRegistrations(db: Db, ids: string[]): Promise<{ id: string; event_id: string; status: RegistrationStatus }[]> {
  if (!ids.length) return [];
  return db.selectFrom('registrations').select(['id', 'event_id', 'status']).where('id', 'in', ids).execute();
}

/** Events a participant may be moved to: published, not over yet, soonest first. */
export async function moveTargets(db: Db, exceptId: string, now: string, limit = 100) {
  return db
    .selectFrom('events')
    .select(['id', 'title', 'starts_at'])
    .where('status', '=', 'published')
    .where('ends_at', '>', now)
    .where('id', '!=', exceptId)
    .orderBy('starts_at')
    .limit(limit)
    .execute();
}
