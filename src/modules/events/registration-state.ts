import type { Selectable } from 'kysely';
import type { EventsTable, RegistrationStatus } from '../../db/schema.js';

export type ClosedReason = 'not_found' | 'cancelled' | 'postponed' | 'not_published' | 'closed' | 'deadline' | 'ended';

/**
 * Why nobody can register at this event now (null: registrations are open). Staff may still add
 * people when registrations are closed or past their deadline, never to a cancelled or ended event.
 */
export function registrationClosedReason(
  event: Pick<Selectable<EventsTable>, 'status' | 'registration_open' | 'registration_deadline' | 'ends_at'> | undefined,
  now: Date, byStaff = false): ClosedReason | null {
  if (!event) return 'not_found';
  if (event.status === 'cancelled') return 'cancelled';
  if (event.status === 'postponed') return 'postponed';
  if (event.status !== 'published' && !byStaff) return 'not_published';
  if (new Date(event.ends_at).getTime() <= now.getTime()) return 'ended';
  if (byStaff) return null;
  if (event.registration_open !== 1) return 'closed';
  if (event.registration_deadline && new Date(event.registration_deadline).getTime() < now.getTime()) return 'deadline';
  return null;
}

/** The event takes registrations at all (the agenda shows a "S'inscrire" link). */
export function registrationOpen(event: Pick<Selectable<EventsTable>, 'status' | 'registration_open' | 'registration_deadline' | 'ends_at'>, now: Date): boolean {
  return registrationClosedReason(event, now) === null;
}

/** Registration statuses that hold a seat of the event (attendance is marked on seats). */
export const SEATED_STATUSES: readonly RegistrationStatus[] = ['pending', 'registered', 'attended', 'no_show'];

/**
 * The seats of an event as its public pages say them: no limit, some left, full with a waiting list
 * (registering puts one on it), or full without one (registering is refused).
 */
export type SeatState = { kind: 'unlimited' } | { kind: 'left'; left: number } | { kind: 'waitlist' } | { kind: 'full' };

export function seatState(event: Pick<Selectable<EventsTable>, 'capacity' | 'waitlist_enabled'>, seated: number): SeatState {
  if (event.capacity === null) return { kind: 'unlimited' };
  const left = event.capacity - seated;
  if (left > 0) return { kind: 'left', left };
  return Number(event.waitlist_enabled) === 1 ? { kind: 'waitlist' } : { kind: 'full' };
}
