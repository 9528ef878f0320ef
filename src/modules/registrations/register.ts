import type { RegistrationStatus } from '../../db/schema.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { type Actor, type RegistrationDeps, registrationToken } from './deps.js';
import { enqueueRegistrationMail, registrationLocale } from './notify.js';
import * as repo from './repo.js';
import { seatsLeft, seatWorkshops } from './seats.js';
import { type ClosedReason, registrationClosedReason } from '../events/index.js';

/** A participant's details, already validated (validate.ts). */
export interface ParticipantInput {
  email: string;
  firstName: string | null;
  lastName: string;
  phone: string | null;
  organisationId: string | null;
  organisationName: string | null;
  organisationKind: string | null;
  organisationDepartment: string | null;
  /** Registered as an individual, without an organisation (its four fields then null). Absent: false. */
  individual?: boolean;
  answers: Record<string, string>;
  sessionIds: string[];
  userId: string | null;
}

export type RegisterResult =
  /** `again`: the address had cancelled; its registration is back. `updatedAt`: the row as written now. */
  | { kind: 'created'; id: string; token: string; status: RegistrationStatus; waitlistPosition: number | null; again: boolean; sequence: number; updatedAt: string }
  /** The same email (whatever its case) is already registered: nothing new is kept. */
  | { kind: 'existing'; id: string; status: RegistrationStatus }
  | { kind: 'refused'; reason: ClosedReason | 'full' };

export interface RegisterOptions {
  /** Staff adding someone: allowed when registrations are closed or past the deadline. */
  byStaff?: boolean;
  actor?: Actor;
  /**
   * The language the person's emails will speak: the form's, for a visitor; the registration's own,
   * for someone moved. Without it (staff adding someone) a registration taken again keeps its
   * language, a new one is French.
   */
  locale?: Locale;
}

/**
 * Registers a person at an event. Under the event's lock (repo.withEventLock), so whatever the
 * number of processes and concurrent requests, the capacity is never exceeded and seats, then the
 * waitlist, are given in commit order (`sequence`).
 */
export async function registerParticipant(deps: RegistrationDeps, eventId: string, input: ParticipantInput, options: RegisterOptions = {}): Promise<RegisterResult> {
  const emailLower = input.email.trim().toLowerCase();
  const result = await repo.withEventLock(deps.db, deps.dbHandle.dialect, eventId, async (db): Promise<RegisterResult> => {
    const now = deps.clock.now();
    const event = await repo.eventRow(db, eventId);
    const closed = registrationClosedReason(event, now, options.byStaff === true);
    if (closed) return { kind: 'refused', reason: closed };
    const existing = await repo.findByEmail(db, eventId, emailLower);
    if (existing && existing.status !== 'cancelled') return { kind: 'existing', id: existing.id, status: existing.status };
    const seated = (await seatsLeft(db, event!)) > 0;
    if (!seated && event!.waitlist_enabled !== 1) return { kind: 'refused', reason: 'full' };
    const status: RegistrationStatus = seated ? 'registered' : 'waitlisted';
    const at = now.toISOString();
    // Someone who cancelled registers again: the same registration (and personal link) comes back,
    // at the end of the queue, with the details given now.
    const id = existing?.id ?? newId(now.getTime());
    const { token, hash } = registrationToken(deps, id);
    const sequence = await repo.nextSequence(db, eventId);
    const details = {
      status,
      locale: options.locale ?? (existing ? registrationLocale(existing) : 'fr'),
      sequence,
      email: input.email.trim(),
      first_name: input.firstName,
      last_name: input.lastName,
      phone: input.phone,
      organisation_id: input.organisationId,
      organisation_name: input.organisationName,
      organisation_kind: input.organisationKind,
      organisation_department: input.organisationDepartment,
      individual: input.individual ? 1 : 0,
      user_id: input.userId,
      answers: JSON.stringify(input.answers),
      // Also when this registration was made (repo.registeredAt): the list and exports show it.
      consent_at: at,
      confirmed_at: input.userId ? at : null,
      promoted_at: null,
      cancelled_at: null,
      reminder_sent_at: null,
      updated_at: at,
    };
    if (existing) {
      await repo.updateRegistration(db, id, details);
      await repo.deleteSessionChoices(db, id);
    } else {
      await repo.insertRegistration(db, {
        ...details,
        id,
        event_id: eventId,
        email_lower: emailLower,
        contact_id: null,
        token_hash: hash,
        source: options.byStaff ? 'staff' : 'web',
        created_by: options.actor?.id ?? input.userId,
        created_at: at,
      });
    }
    if (input.sessionIds.length) {
      const sessions = new Map((await repo.sessionsOf(db, eventId)).map((s) => [s.id, s]));
      for (const sessionId of input.sessionIds) {
        if (!sessions.has(sessionId)) continue;
        await repo.insertSessionChoice(db, { registration_id: id, session_id: sessionId, status: 'waitlisted', sequence: await repo.nextSessionSequence(db, sessionId) });
      }
      if (seated) await seatWorkshops(db, id, sessions);
    }
    const waitlistPosition = seated ? null : await repo.waitlistPosition(db, eventId, sequence);
    return { kind: 'created', id, token, status, waitlistPosition, again: existing !== undefined, sequence, updatedAt: at };
  });
  // Registering again after a cancellation is confirmed again, as a first registration is.
  if (result.kind === 'created') await enqueueRegistrationMail(deps, result.id, 'confirmation', result.again ? { round: deps.clock.now().getTime() } : {});
  // The address already registered: what is kept stays as it is (whoever sent the form), language
  // included; the link goes to that address in the language of the form that asked for it.
  if (result.kind === 'existing') await enqueueRegistrationMail(deps, result.id, 'link', options.locale ? { locale: options.locale } : {});
  return result;
}
