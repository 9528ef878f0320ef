import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import * as sendRepo from './send-repo.js';

export interface RateLimits {
  /** Messages per second, all workers together (0: no ceiling). */
  perSecond: number;
  /** Messages per sliding hour, all workers together (0: no ceiling). */
  perHour: number;
}

const SECOND = 1000;
const HOUR = 3_600_000;

/**
 * Reserves the times at which `count` messages may be handed to SMTP, in the log every worker
 * shares (the database), so that the ceilings hold whatever the number of workers:
 * - at most `perSecond` messages in any window of one second, spread evenly (one every
 *   1000/perSecond ms, so the rate is smooth rather than bursts at each second);
 * - at most `perHour` messages in any window of one hour (a sliding window, not clock hours).
 * The caller waits until each time before sending. A reservation not used (a crash) only lowers
 * the rate. Times are milliseconds since the epoch, strictly increasing.
 */
export async function reserveSlots(db: Kysely<Database>, count: number, limits: RateLimits, nowMs: number): Promise<number[]> {
  if (count <= 0) return [];
  if (limits.perSecond <= 0 && limits.perHour <= 0) return Array.from({ length: count }, () => nowMs);
  return sendRepo.withRateLock(db, async (trx) => {
    await sendRepo.pruneSlots(trx, nowMs - (limits.perHour > 0 ? HOUR : SECOND) - SECOND);
    // The n-th most recent slot before each new one: existing slots E (newest first) cover the
    // first n new ones; the new ones themselves cover the rest.
    const window = async (n: number) => {
      if (n <= 0) return () => undefined;
      const offset = Math.max(0, n - count);
      const rows = await sendRepo.recentSlots(trx, offset, n - offset);
      return (index: number): number | undefined => (index >= offset ? rows[index - offset] : undefined);
    };
    const secondAgo = await window(limits.perSecond);
    const hourAgo = await window(limits.perHour);
    const newest = (await sendRepo.recentSlots(trx, 0, 1))[0];
    const spacing = limits.perSecond > 0 ? SECOND / limits.perSecond : 0;
    const out: number[] = [];
    let previous = newest;
    for (let j = 1; j <= count; j++) {
      let at = nowMs;
      if (previous !== undefined) at = Math.max(at, previous + 1, Math.ceil(previous + spacing));
      if (limits.perSecond > 0) {
        const ref = j - 1 >= limits.perSecond ? out[j - 1 - limits.perSecond] : secondAgo(limits.perSecond - j);
        if (ref !== undefined) at = Math.max(at, ref + SECOND);
      }
      if (limits.perHour > 0) {
        const ref = j - 1 >= limits.perHour ? out[j - 1 - limits.perHour] : hourAgo(limits.perHour - j);
        if (ref !== undefined) at = Math.max(at, ref + HOUR);
      }
      out.push(at);
      previous = at;
    }
    await sendRepo.insertSlots(trx, out);
    return out;
  });
}

/** Called once the SMTP server answered a message (accepted or refused). */
export type HandoffDone = () => void;

const noop: HandoffDone = () => undefined;
/** How often a hand-over that waits for a send in flight looks again. */
const IN_FLIGHT_POLL_MS = 5;

/**
 * The last guard before SMTP, in one process. Reserved times are kept by the workers, but a message
 * delayed behind a slow one would then leave right beside the next on-time one, and the server
 * would see a burst. So the pacer counts what the server may be receiving: a message counts from
 * its hand-over until one second after the server answered it. A new message leaves only while
 * fewer than `perSecond` count, and never closer than 1000/perSecond ms to the previous one. Since a
 * message reaches the server between its hand-over and the answer, no window of one second at the
 * server ever holds more than `perSecond` messages, whatever the delays on the way.
 */
export class HandoffPacer {
  /** Answer times of the messages answered within the last second, oldest first. */
  private readonly answered: number[] = [];
  private inFlight = 0;
  private lastHandoff: number | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  /** Resolves when one more message may be handed over now; call the returned `done` when the server answered it. */
  next(perSecond: number, now: () => number): Promise<HandoffDone> {
    if (perSecond <= 0) return Promise.resolve(noop);
    const turn = this.chain.then(async () => {
      const spacing = SECOND / perSecond;
      for (;;) {
        const at = now();
        while (this.answered.length && at - this.answered[0]! >= SECOND) this.answered.shift();
        const counted = this.inFlight + this.answered.length;
        const waitWindow = counted < perSecond ? 0 : this.answered.length ? this.answered[0]! + SECOND - at : IN_FLIGHT_POLL_MS;
        const waitSpacing = this.lastHandoff === undefined ? 0 : this.lastHandoff + spacing - at;
        const wait = Math.max(waitWindow, waitSpacing);
        if (wait <= 0) {
          this.lastHandoff = at;
          this.inFlight++;
          let called = false;
          return () => {
            if (called) return;
            called = true;
            this.inFlight--;
            this.answered.push(now());
          };
        }
        await this.sleep(Math.ceil(wait));
      }
    });
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
