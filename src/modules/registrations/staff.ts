import type { RegistrationStatus } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { newId } from '../../kernel/ids.js';
import { cancelRegistration } from './cancel.js';
import type { Actor, RegistrationDeps } from './deps.js';
import { enqueueRegistrationMail, registrationLocale } from './notify.js';
import { registerParticipant, type RegisterResult } from './register.js';
import * as repo from './repo.js';
import { fillSeats, fillWorkshops, seatsLeft, seatWorkshops } from './seats.js';
import { answersOf, questionsOf } from './validate.js';

export type StaffStatus = 'registered' | 'cancelled' | 'attended' | 'no_show' | 'waitlisted';

/**
 * `status`: the one the person now has, which is not the one asked for when a cancelled person is
 * given back their registration with no seat left: they go to the end of the waiting list, with
 * their `position` in it.
 */
export type StatusResult =
  | { ok: true; promoted: string[]; status: RegistrationStatus; position?: number }
  | { ok: false; reason: 'not_found' | 'full' | 'not_seated' | 'unchanged' };

/**
 * Staff change a participant's status: mark attendance (attended / no-show), give a seat to a
 * waitlisted or cancelled person (only when one is left: the capacity holds for staff too), or cancel.
 * With no seat left, a waitlisted person stays in line, and a cancelled one comes back as they
 * would through the form: at the end of the waiting list (told by email), when the event has one.
 */
export async function setStatus(deps: RegistrationDeps, registrationId: string, status: StaffStatus, actor: Actor): Promise<StatusResult> {
  const found = await repo.findById(deps.db, registrationId);
  if (!found) return { ok: false, reason: 'not_found' };
  if (found.status === status) return { ok: false, reason: 'unchanged' };
  if (status === 'cancelled') {
    const r = await cancelRegistration(deps, registrationId, actor);
    return r.ok ? { ok: true, promoted: r.promoted, status } : { ok: false, reason: r.reason === 'not_found' ? 'not_found' : 'unchanged' };
  }
  const result = await repo.withEventLock(deps.db, deps.dbHandle.dialect, found.event_id, async (db): Promise<StatusResult> => {
    const r = await repo.findById(db, registrationId);
    const event = await repo.eventRow(db, found.event_id);
    if (!r || !event) return { ok: false, reason: 'not_found' };
    const seated = repo.SEATED.includes(r.status);
    const now = deps.clock.now();
    const at = now.toISOString();
    if (status === 'attended' || status === 'no_show') {
      if (!seated) return { ok: false, reason: 'not_seated' };
      await repo.updateRegistration(db, r.id, { status, updated_at: at });
      return { ok: true, promoted: [], status };
    }
    if (status === 'waitlisted') {
      // Back in line at the end (a new sequence); the freed seat goes to the first waiting.
      if (!seated) return { ok: false, reason: 'not_seated' };
      await repo.updateRegistration(db, r.id, { status: 'waitlisted', sequence: await repo.nextSequence(db, event.id), updated_at: at });
      for (const c of await repo.sessionChoices(db, [r.id])) if (c.status === 'registered') await repo.setSessionChoiceStatus(db, r.id, c.session_id, 'waitlisted');
      return { ok: true, promoted: await fillSeats(db, event, now), status };
    }
    // registered
    if (seated) {
      await repo.updateRegistration(db, r.id, { status: 'registered', updated_at: at });
      return { ok: true, promoted: [], status };
    }
    if ((await seatsLeft(db, event)) <= 0) {
      if (r.status !== 'cancelled' || event.waitlist_enabled !== 1) return { ok: false, reason: 'full' };
      const sequence = await repo.nextSequence(db, event.id);
      await repo.updateRegistration(db, r.id, { status: 'waitlisted', sequence, cancelled_at: null, updated_at: at });
      for (const c of await repo.sessionChoices(db, [r.id])) if (c.status === 'cancelled') await repo.setSessionChoiceStatus(db, r.id, c.session_id, 'waitlisted');
      return { ok: true, promoted: [], status: 'waitlisted', position: await repo.waitlistPosition(db, event.id, sequence) };
    }
    await repo.updateRegistration(db, r.id, { status: 'registered', promoted_at: at, cancelled_at: null, updated_at: at });
    for (const c of await repo.sessionChoices(db, [r.id])) if (c.status === 'cancelled') await repo.setSessionChoiceStatus(db, r.id, c.session_id, 'waitlisted');
    await seatWorkshops(db, r.id, new Map((await repo.sessionsOf(db, event.id)).map((s) => [s.id, s])));
    return { ok: true, promoted: [r.id], status };
  });
  if (!result.ok) return result;
  await recordAudit(
    deps.db,
    actor,
    { action: 'registration.status', entityType: 'registration', entityId: registrationId, before: { status: found.status }, after: { status: result.status } },
    deps.clock.now(),
  );
  for (const id of result.promoted) await enqueueRegistrationMail(deps, id, 'promoted');
  // Back on the waiting list: told so, with their place in it, as after registering again.
  if (result.status === 'waitlisted' && found.status === 'cancelled') await enqueueRegistrationMail(deps, registrationId, 'confirmation', { round: deps.clock.now().getTime() });
  return result;
}

/**
 * Moves a participant to another event (another date of a training…): registered there like anyone
 * (a seat if one is left, else the waitlist), then cancelled here — their seat goes to the waitlist.
 */
export async function moveRegistration(deps: RegistrationDeps, registrationId: string, targetEventId: string, actor: Actor): Promise<RegisterResult | { kind: 'refused'; reason: 'not_found' | 'same' }> {
  const r = await repo.findById(deps.db, registrationId);
  if (!r) return { kind: 'refused', reason: 'not_found' };
  if (r.event_id === targetEventId) return { kind: 'refused', reason: 'same' };
  const answers = answersOf(r.answers);
  const result = await registerParticipant(
    deps,
    targetEventId,
    {
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      phone: r.phone,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      organisationKind: r.organisation_kind,
      organisationDepartment: r.organisation_department,
      individual: r.individual === 1,
      answers,
      sessionIds: [],
      userId: r.user_id,
    },
    { byStaff: true, actor, locale: registrationLocale(r) },
  );
  if (result.kind !== 'created') return result;
  if (r.status !== 'cancelled') await cancelRegistration(deps, registrationId, actor);
  await recordAudit(deps.db, actor, { action: 'registration.moved', entityType: 'registration', entityId: registrationId, before: { event: r.event_id }, after: { event: targetEventId, registration: result.id } }, deps.clock.now());
  return result;
}

/** RGPD erasure: every registration of an address is deleted; the seats freed go to the waitlists. */
export async function eraseRegistrationsByEmail(deps: RegistrationDeps, email: string, actor: Actor): Promise<number> {
  const rows = await repo.registrationsByEmail(deps.db, email.trim().toLowerCase());
  const promoted: string[] = [];
  for (const row of rows) {
    promoted.push(
      ...(await repo.withEventLock(deps.db, deps.dbHandle.dialect, row.event_id, async (db) => {
        await repo.deleteRegistrations(db, [row.id]);
        const event = await repo.eventRow(db, row.event_id);
        return event ? fillSeats(db, event, deps.clock.now()) : [];
      })),
    );
  }
  // The audit names no one: the person asked to be forgotten. Nothing erased, nothing to record.
  if (rows.length > 0) {
    await recordAudit(deps.db, actor, { action: 'registration.erased', entityType: 'registration', entityId: null, after: { count: rows.length } }, deps.clock.now());
  }
  for (const id of promoted) await enqueueRegistrationMail(deps, id, 'promoted');
  return rows.length;
}

/**
 * The answers as a person reads them: keyed by the question's text (« Régime alimentaire ? »), not
 * its internal id; a question removed since keeps its id, and a label asked twice is told apart.
 */
function answersByQuestion(answers: string, questions: string): Record<string, string> {
  const labels = new Map(questionsOf(questions).map((q) => [q.id, q.label]));
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(answersOf(answers))) {
    const label = labels.get(id) ?? id;
    out[label in out ? `${label} (${id})` : label] = value;
  }
  return out;
}

/** A person's registrations, for the RGPD export of their data. */
export async function registrationsOfEmail(deps: Pick<RegistrationDeps, 'db'>, email: string) {
  const rows = await repo.registrationsByEmail(deps.db, email.trim().toLowerCase());
  return rows.map((r) => ({
    event: r.event_title,
    event_starts_at: r.starts_at,
    status: r.status,
    email: r.email,
    first_name: r.first_name,
    last_name: r.last_name,
    phone: r.phone,
    organisation: r.individual === 1 ? null : r.organisation_name,
    /** Registered without an organisation (« à titre individuel »). */
    individual: r.individual === 1,
    answers: answersByQuestion(r.answers, r.questions),
    locale: r.locale,
    registered_at: repo.registeredAt(r),
    cancelled_at: r.cancelled_at,
  }));
}

// ---------- Workshops ----------

export async function addWorkshop(
  deps: RegistrationDeps,
  eventId: string,
  input: { title: string; room: string | null; start: Date; end: Date; capacity: number | null },
  actor: Actor,
): Promise<string> {
  const id = newId();
  const count = (await repo.sessionsOf(deps.db, eventId)).length;
  await repo.insertSession(deps.db, { id, event_id: eventId, title: input.title, description: null, room: input.room, starts_at: input.start.toISOString(), ends_at: input.end.toISOString(), capacity: input.capacity, position: count });
  await recordAudit(deps.db, actor, { action: 'event.workshop_added', entityType: 'event', entityId: eventId, after: { id, title: input.title, capacity: input.capacity } }, deps.clock.now());
  return id;
}

export async function deleteWorkshop(deps: RegistrationDeps, eventId: string, sessionId: string, actor: Actor): Promise<boolean> {
  const deleted = await repo.withEventLock(deps.db, deps.dbHandle.dialect, eventId, async (db) => {
    const n = await repo.deleteSession(db, sessionId, eventId);
    if (n) await fillWorkshops(db, eventId);
    return n > 0;
  });
  if (deleted) await recordAudit(deps.db, actor, { action: 'event.workshop_deleted', entityType: 'event', entityId: eventId, before: { id: sessionId } }, deps.clock.now());
  return deleted;
}

export const STAFF_STATUSES: readonly RegistrationStatus[] = ['registered', 'waitlisted', 'cancelled', 'attended', 'no_show'];
