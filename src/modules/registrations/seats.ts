import * as repo from './repo.js';

interface SeatEvent {
  id: string;
  capacity: number | null;
}

/** Seats left at the event (Infinity when it has no capacity). Call under the event's lock. */
export async function seatsLeft(db: repo.Db, event: SeatEvent): Promise<number> {
  if (event.capacity === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, event.capacity - (await repo.seatedCount(db, event.id)));
}

/**
 * Gives each workshop chosen by a seated registration its seat when one is left, else keeps it
 * waiting (in commit order). Call under the event's lock.
 */
export async function seatWorkshops(db: repo.Db, registrationId: string, sessions: Map<string, repo.SessionRow>): Promise<void> {
  for (const choice of await repo.sessionChoices(db, [registrationId])) {
    if (choice.status !== 'waitlisted') continue;
    const session = sessions.get(choice.session_id);
    if (!session) continue;
    const free = session.capacity === null ? 1 : session.capacity - (await repo.sessionSeated(db, session.id));
    if (free > 0) await repo.setSessionChoiceStatus(db, registrationId, session.id, 'registered');
  }
}

/** Seats freed in workshops go to the first people waiting for them who hold a seat of the event. */
export async function fillWorkshops(db: repo.Db, eventId: string): Promise<void> {
  for (const session of await repo.sessionsOf(db, eventId)) {
    const free = session.capacity === null ? Number.MAX_SAFE_INTEGER : session.capacity - (await repo.sessionSeated(db, session.id));
    for (const waiting of await repo.firstWaitingForSession(db, session.id, Math.min(free, 1000))) {
      await repo.setSessionChoiceStatus(db, waiting.registration_id, session.id, 'registered');
    }
  }
}

/**
 * Seats freed (a cancellation, a larger capacity) go to the first waitlisted people, in commit
 * order. Returns the promoted registrations' ids (each gets an email). Call under the event's lock.
 */
export async function fillSeats(db: repo.Db, event: SeatEvent, now: Date): Promise<string[]> {
  const free = await seatsLeft(db, event);
  const promoted = await repo.firstWaitlisted(db, event.id, Number.isFinite(free) ? free : 100_000);
  const at = now.toISOString();
  for (const r of promoted) await repo.updateRegistration(db, r.id, { status: 'registered', promoted_at: at, updated_at: at });
  await fillWorkshops(db, event.id);
  return promoted.map((r) => r.id);
}
