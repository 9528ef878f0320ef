import { DEFAULT_TIME_ZONE, parseLocalDateTime, toLocalInputs } from '../../kernel/time/zoned.js';

// A call's status is computed from its dates and the clock, in Europe/Paris, never stored:
// - upcoming: before its opening day;
// - closed: from its closing time (or, without one, from the midnight after its closing day);
// - closing soon: open and closing within CLOSING_SOON_DAYS calendar days (today included);
// - open: otherwise.

export type CallStatus = 'upcoming' | 'open' | 'closing_soon' | 'closed';
export const CALL_STATUSES: readonly CallStatus[] = ['closing_soon', 'open', 'upcoming', 'closed'];

/** "Closing soon" means closing within this many days. */
export const CLOSING_SOON_DAYS = 14;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's date (`YYYY-MM-DD`) in Europe/Paris at that instant. */
export function parisToday(now: Date): string {
  return toLocalInputs(now, DEFAULT_TIME_ZONE).date;
}

/** `YYYY-MM-DD` moved by a number of calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from one `YYYY-MM-DD` to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Whether a `YYYY-MM-DD` is a real calendar date. */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 && Number(m[1]) >= 1900 && Number(m[1]) <= 2200;
}

/** The instant a call opens: the local midnight starting its opening day. */
export function openingInstant(opensOn: string): Date | null {
  return parseLocalDateTime(opensOn, '00:00', DEFAULT_TIME_ZONE);
}

/** The instant a call closes: its closing time that day, or the local midnight after the closing day. */
export function closingInstant(closesOn: string, closesTime: string | null): Date | null {
  return closesTime ? parseLocalDateTime(closesOn, closesTime, DEFAULT_TIME_ZONE) : parseLocalDateTime(addDays(closesOn, 1), '00:00', DEFAULT_TIME_ZONE);
}

export interface CallDates {
  opens_on: string | null;
  closes_on: string;
  closes_time: string | null;
}

export interface ComputedStatus {
  status: CallStatus;
  /** Calendar days from today to the closing day (0: closes today; negative once past). */
  daysLeft: number;
  /** Calendar days until the opening day (only when upcoming). */
  daysToOpen: number | null;
}

export function callStatus(call: CallDates, now: Date): ComputedStatus {
  const today = parisToday(now);
  const daysLeft = daysBetween(today, call.closes_on);
  const closesAt = closingInstant(call.closes_on, call.closes_time);
  if (!closesAt || now.getTime() >= closesAt.getTime()) return { status: 'closed', daysLeft, daysToOpen: null };
  if (call.opens_on && today < call.opens_on) return { status: 'upcoming', daysLeft, daysToOpen: daysBetween(today, call.opens_on) };
  return { status: daysLeft <= CLOSING_SOON_DAYS ? 'closing_soon' : 'open', daysLeft, daysToOpen: null };
}
