import type { Selectable } from 'kysely';
import type { EventsTable } from '../../db/schema.js';

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
