import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { AgendaEvent } from './types.js';

/** The longest message staff may write to the people an event's cancellation reaches. */
export const CANCELLATION_MESSAGE_MAX = 2000;

/**
 * Who must hear of an event's cancellation, and how they are told: the registrations module tells
 * the people registered and waiting (it registers itself from its index, as the events module
 * registers its moderation). The events module writes the cancellation and asks, in the same
 * transaction, for the notices: they exist if and only if the cancellation does.
 */
export interface CancellationNotice {
  /** How many people the cancellation of the event would reach now (the confirmation step says it). */
  recipients(db: Kysely<Database>, eventId: string): Promise<number>;
  /**
   * Queues the notices in the cancellation's transaction (`deps.jobs` queues in it); `message` is
   * what staff wrote for them, null for none. Returns how many people will be told.
   */
  queue(deps: { db: Transaction<Database>; jobs: Jobs; clock: Clock }, event: AgendaEvent, message: string | null): Promise<number>;
}

const notices: CancellationNotice[] = [];

export function registerCancellationNotice(notice: CancellationNotice): void {
  if (!notices.includes(notice)) notices.push(notice);
}

export async function cancellationRecipients(db: Kysely<Database>, eventId: string): Promise<number> {
  let total = 0;
  for (const n of notices) total += await n.recipients(db, eventId);
  return total;
}

export async function queueCancellationNotices(deps: { db: Transaction<Database>; jobs: Jobs; clock: Clock }, event: AgendaEvent, message: string | null): Promise<number> {
  let total = 0;
  for (const n of notices) total += await n.queue(deps, event, message);
  return total;
}
