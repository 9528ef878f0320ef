import type { CancellationNotice, ReachOfEvent } from '../events/index.js';
import { REGISTRATION_MAIL_JOB, type RegistrationMailPayload } from './notify.js';
import * as repo from './repo.js';

/**
 * When staff cancel an event, every person registered or waiting gets an email in the language of
 * their registration, with staff's message and the .ics that takes the event out of their calendar
 * (notify.ts). The jobs are queued in the cancellation's transaction: no cancellation, no email,
 * and no email lost. One email per person and cancellation (an event cancelled, published again,
 * then cancelled again, tells them again).
 *
 * Several dates of a series cancelled together (« cette date et les suivantes »): a person
 * registered to more than one of them (the same address) gets one email that lists their dates,
 * with one .ics per date (`seriesCancelled`), rather than one email per date; a person registered
 * to one of them gets the ordinary email of that date.
 */
export const eventCancellationNotice: CancellationNotice = {
  async reach(db, eventIds) {
    const counts = await repo.reachOfEventsCancellation(db, eventIds);
    const byEvent = new Map<string, ReachOfEvent>();
    for (const row of counts.byEvent) {
      const reach = byEvent.get(row.event_id) ?? { registered: 0, waitlisted: 0 };
      if (row.status === 'waitlisted') reach.waitlisted += row.n;
      else reach.registered += row.n;
      byEvent.set(row.event_id, reach);
    }
    return { byEvent, people: counts.people };
  },

  async queue(deps, events, message) {
    const changedAt = new Map(events.map((e) => [e.id, e.updated_at]));
    // One person, one address: their registrations in the order of the dates.
    const people = new Map<string, { id: string; event_id: string }[]>();
    for (const r of await repo.toldOfEventsCancellation(
      deps.db,
      events.map((e) => e.id),
    )) {
      const theirs = people.get(r.email_lower) ?? [];
      theirs.push(r);
      people.set(r.email_lower, theirs);
    }
    const extra = message ? { message } : {};
    await deps.jobs.enqueueMany(
      REGISTRATION_MAIL_JOB,
      [...people.values()].map(([first, ...others]) => {
        // The key of the first registration and its date's cancellation: one email per person and cancellation.
        const key = `registration:${first!.id}:${others.length ? 'seriesCancelled' : 'eventCancelled'}:${changedAt.get(first!.event_id)}`;
        const payload: RegistrationMailPayload = others.length
          ? { id: first!.id, trigger: 'seriesCancelled', ids: [first!.id, ...others.map((r) => r.id)], ...extra }
          : { id: first!.id, trigger: 'eventCancelled', ...extra };
        return { payload, idempotencyKey: key };
      }),
    );
    return people.size;
  },
};
