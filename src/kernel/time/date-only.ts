import { toLocalInputs } from './zoned.js';

// A day without a time (a consent's or a legal basis's date typed as a day): stored as noon UTC of
// that day and shown as a day alone (see `dateOnlyDay`).

/** The instant a day without a time is stored as: noon UTC, the same calendar day in every European zone. */
export function dateOnlyInstant(day: string): string {
  return new Date(`${day}T12:00:00.000Z`).toISOString();
}

/**
 * The day of an instant stored for a day without a time (noon UTC exactly, see `dateOnlyInstant`),
 * or null for an instant with its time (a consent given online, an event recorded now): the former
 * is shown as a day alone, never with an invented « 14:00 ».
 */
export function dateOnlyDay(instant: string | null | undefined): string | null {
  if (!instant) return null;
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) return null;
  const iso = parsed.toISOString();
  return iso.endsWith('T12:00:00.000Z') ? iso.slice(0, 10) : null;
}

/** Whether a text is a day of the calendar written YYYY-MM-DD (« 2027-02-31 » is not). */
export function isCalendarDay(day: string): boolean {
  const parsed = new Date(`${day}T12:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/**
 * What is wrong with a day given as YYYY-MM-DD, if anything: not a date of the calendar
 * (`invalid`), or after today in Europe/Paris, the network's day (`future`).
 */
export function dayProblem(day: string, now: Date): 'invalid' | 'future' | null {
  if (!isCalendarDay(day)) return 'invalid';
  return day > toLocalInputs(now).date ? 'future' : null;
}
