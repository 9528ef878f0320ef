import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { AgendaEvent } from './types.js';

/** The longest message staff may write to the people an event's cancellation reaches. */
export const CANCELLATION_MESSAGE_MAX = 2000;

/** The people one event's cancellation reaches: those holding a seat, those on its waiting list. */
export interface ReachOfEvent {
  registered: number;
  waitlisted: number;
}

/**
 * Whom the cancellation of some events would reach now: per event (the events missing from
 * `byEvent` reach nobody), and `people`, how many persons will get an email (a person registered
 * to several of the dates gets one email for all of them: one address, one person).
 */
export interface CancellationReach {
  byEvent: Map<string, ReachOfEvent>;
  people: number;
}

/**
 * Who must hear of an event's cancellation, and how they are told: the registrations module tells
 * the people registered and waiting (it registers itself from its index, as the events module
 * registers its moderation). The events module writes the cancellation and asks, in the same
 * transaction, for the notices: they exist if and only if the cancellation does.
 */
export interface CancellationNotice {
  /** Whom the cancellation of these events would reach now (the confirmation steps say it). */
  reach(db: Kysely<Database>, eventIds: readonly string[]): Promise<CancellationReach>;
  /**
   * Queues the notices of the cancellation of `events` (one event, or the dates of a series
   * cancelled together) in the cancellation's transaction (`deps.jobs` queues in it); `message`
   * is what staff wrote for them, null for none. Returns how many people will be told.
   */
  queue(deps: { db: Transaction<Database>; jobs: Jobs; clock: Clock }, events: readonly AgendaEvent[], message: string | null): Promise<number>;
}

const notices: CancellationNotice[] = [];

export function registerCancellationNotice(notice: CancellationNotice): void {
  if (!notices.includes(notice)) notices.push(notice);
}

/** Whom the cancellation of these events would reach, summed over every notice registered. */
export async function cancellationReach(db: Kysely<Database>, eventIds: readonly string[]): Promise<CancellationReach> {
  const byEvent = new Map<string, ReachOfEvent>();
  let people = 0;
  for (const n of notices) {
    const reach = await n.reach(db, eventIds);
    people += reach.people;
    for (const [id, r] of reach.byEvent) {
      const sum = byEvent.get(id) ?? { registered: 0, waitlisted: 0 };
      byEvent.set(id, { registered: sum.registered + r.registered, waitlisted: sum.waitlisted + r.waitlisted });
    }
  }
  return { byEvent, people };
}

/** How many people the cancellation of one event would reach now. */
export async function cancellationRecipients(db: Kysely<Database>, eventId: string): Promise<number> {
  return (await cancellationReach(db, [eventId])).people;
}

export async function queueCancellationNotices(deps: { db: Transaction<Database>; jobs: Jobs; clock: Clock }, events: readonly AgendaEvent[], message: string | null): Promise<number> {
  if (!events.length) return 0;
  let total = 0;
  for (const n of notices) total += await n.queue(deps, events, message);
  return total;
}
