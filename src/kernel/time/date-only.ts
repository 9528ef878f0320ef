import { dateTimeFormat, type Locale } from '../i18n/index.js';
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

/**
 * How a day reads: `medium` « 1er janv. 2027 », "1 Jan 2027"; `long` « 1er janvier 2027 », "1 January
 * 2027"; `full` « vendredi 1er janvier 2027 », "Friday, 1 January 2027"; the weekday alone,
 * `weekday` « vendredi », "Friday", or `weekdayShort` « ven. », "Fri".
 */
export type DayStyle = 'medium' | 'long' | 'full' | 'weekday' | 'weekdayShort';

const DAY_STYLES: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  medium: { dateStyle: 'medium' },
  long: { dateStyle: 'long' },
  full: { dateStyle: 'full' },
  weekday: { weekday: 'long' },
  weekdayShort: { weekday: 'short' },
};

/**
 * A day given as YYYY-MM-DD in the reader's language (« 1er mars 2027 », "1 March 2027"), the
 * same day whatever the server's or the reader's time zone (read at noon UTC, written in UTC);
 * anything that is not a day of the calendar (« 2027-02-31 ») as it is.
 */
export function formatDay(day: string, locale: Locale, style: DayStyle = 'long'): string {
  return isCalendarDay(day) ? dateTimeFormat(locale, DAY_STYLES[style], 'UTC').format(new Date(dateOnlyInstant(day))) : day;
}

/** Whether a text is a month of the calendar written YYYY-MM (« 2027-13 » is not). */
function isCalendarMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/**
 * A month given as YYYY-MM in the reader's language (« mars 2027 », "March 2027"), the same month
 * whatever the server's or the reader's time zone (read on its 15th at noon UTC, written in UTC);
 * anything that is not a month of the calendar (« 2027-13 ») as it is.
 */
export function formatMonth(month: string, locale: Locale): string {
  return isCalendarMonth(month) ? dateTimeFormat(locale, { month: 'long', year: 'numeric' }, 'UTC').format(new Date(dateOnlyInstant(`${month}-15`))) : month;
}
