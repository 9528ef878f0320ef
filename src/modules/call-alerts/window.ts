const HOUR_MS = 3_600_000;

/** A person's first digest looks back at most this far (or to their subscription, if later). */
export const FIRST_WINDOW_HOURS = 24;
/** No digest looks back further than this (a long outage, an address failing for days). */
export const MAX_WINDOW_DAYS = 14;

/**
 * The start of the period whose calls go in a person's digest: the end of the last period dealt
 * with (sent, or nothing matched), or the first time the later of their subscription and 24 hours
 * ago; never before their (latest) subscription, never more than 14 days back. Failed and
 * interrupted digests do not move it: their calls come again in the next one.
 */
export function windowStart(input: { now: Date; subscribedAt: string; coveredUntil: string | undefined }): string {
  const now = input.now.getTime();
  const subscribed = Date.parse(input.subscribedAt);
  const from = input.coveredUntil ? Math.max(Date.parse(input.coveredUntil), subscribed) : Math.max(subscribed, now - FIRST_WINDOW_HOURS * HOUR_MS);
  return new Date(Math.min(now, Math.max(from, now - MAX_WINDOW_DAYS * 24 * HOUR_MS))).toISOString();
}
