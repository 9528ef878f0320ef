import type { Clock } from '../../src/kernel/clock.js';

/** The real time, moved forward by `offset` milliseconds when a test needs a later moment. */
export class ShiftedClock implements Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}
