import type { CancellationNotice } from '../events/index.js';
import { REGISTRATION_MAIL_JOB, type RegistrationMailPayload } from './notify.js';
import * as repo from './repo.js';

/**
 * When staff cancel an event, every person registered or waiting gets an email in the language of
 * their registration, with staff's message and the .ics that takes the event out of their calendar
 * (notify.ts). The jobs are queued in the cancellation's transaction: no cancellation, no email,
 * and no email lost. One email per person and cancellation (an event cancelled, published again,
 * then cancelled again, tells them again).
 */
export const eventCancellationNotice: CancellationNotice = {
  recipients: (db, eventId) => repo.countToldOfEventCancellation(db, eventId),
  async queue(deps, event, message) {
    const ids = await repo.toldOfEventCancellation(deps.db, event.id);
    await deps.jobs.enqueueMany(
      REGISTRATION_MAIL_JOB,
      ids.map((id) => {
        const payload: RegistrationMailPayload = message ? { id, trigger: 'eventCancelled', message } : { id, trigger: 'eventCancelled' };
        return { payload, idempotencyKey: `registration:${id}:eventCancelled:${event.updated_at}` };
      }),
    );
    return ids.length;
  },
};
