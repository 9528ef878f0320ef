import type { RegistrationDeps } from './deps.js';
import { enqueueRegistrationMail } from './notify.js';
import * as repo from './repo.js';

const HOUR_MS = 3_600_000;
/** Reminders go two days before the event (the hourly job catches every event in that window). */
export const REMINDER_LEAD_MS = 48 * HOUR_MS;
const BATCH = 500;

/**
 * Queues the reminder of every seated participant of a published event starting within the next
 * two days (and not yet started). Each reminder is claimed once (`reminder_sent_at`), whatever the
 * number of workers. Returns how many were queued.
 */
export async function queueReminders(deps: RegistrationDeps): Promise<number> {
  const now = deps.clock.now();
  const from = now.toISOString();
  const to = new Date(now.getTime() + REMINDER_LEAD_MS).toISOString();
  let count = 0;
  for (;;) {
    const due = await repo.remindersDue(deps.db, from, to, BATCH);
    if (!due.length) return count;
    for (const { id } of due) {
      if (!(await repo.claimReminder(deps.db, id, from))) continue;
      try {
        // The claim above makes it once per registration; a registration taken again after a
        // cancellation is claimable again, and this round is its own.
        await enqueueRegistrationMail(deps, id, 'reminder', { round: now.getTime() });
        count++;
      } catch (error) {
        await repo.unclaimReminder(deps.db, id);
        throw error;
      }
    }
  }
}
