import { dateTimeFormat, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { formatDay } from '../../kernel/time/date-only.js';
import { DEFAULT_TIME_ZONE, parseLocalDateTime, toLocalInputs, wallClock, zonedToUtc } from '../../kernel/time/zoned.js';
import type { FieldProblem } from './validate.js';

// Recurring meetings: an RFC 5545 RRULE subset (FREQ=WEEKLY|MONTHLY;INTERVAL=n;BYDAY=…;COUNT=n|UNTIL=…).
// Each date becomes an ordinary event pointing at its series, so that one date can be moved,
// edited or cancelled on its own (the exceptions of the series).

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurrenceRule {
  freq: 'WEEKLY' | 'MONTHLY';
  interval: number;
  /** WEEKLY: days of the week; MONTHLY: one day with its position in the month (2TU, -1FR). */
  byDay: { day: Weekday; nth?: number }[];
  count?: number;
  /** Last day (inclusive), `YYYY-MM-DD` in the event's zone. */
  until?: string;
}

export const MAX_OCCURRENCES = 104;
const MAX_SPAN_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

export function formatRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`, `INTERVAL=${rule.interval}`];
  if (rule.byDay.length) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.nth ?? ''}${d.day}`).join(',')}`);
  if (rule.count) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${rule.until.replace(/-/g, '')}`);
  return parts.join(';');
}

/** Reads the subset written by `formatRule` (and by hand); undefined when outside it. */
export function parseRule(text: string): RecurrenceRule | undefined {
  const fields = new Map(
    text
      .replace(/^RRULE:/i, '')
      .split(';')
      .filter(Boolean)
      .map((p) => {
        const [k = '', v = ''] = p.split('=');
        return [k.toUpperCase(), v.toUpperCase()] as const;
      }),
  );
  const freq = fields.get('FREQ');
  if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return undefined;
  const interval = Number(fields.get('INTERVAL') ?? '1');
  if (!Number.isInteger(interval) || interval < 1 || interval > 12) return undefined;
  const byDay: RecurrenceRule['byDay'] = [];
  for (const item of (fields.get('BYDAY') ?? '').split(',').filter(Boolean)) {
    const m = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!m) return undefined;
    byDay.push({ day: m[2] as Weekday, ...(m[1] ? { nth: Number(m[1]) } : {}) });
  }
  if (freq === 'WEEKLY' && byDay.some((d) => d.nth)) return undefined;
  if (freq === 'MONTHLY' && byDay.length > 1) return undefined;
  const count = fields.has('COUNT') ? Number(fields.get('COUNT')) : undefined;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) return undefined;
  const untilRaw = fields.get('UNTIL');
  const until = untilRaw ? /^(\d{4})(\d{2})(\d{2})/.exec(untilRaw) : null;
  if (untilRaw && !until) return undefined;
  return { freq, interval, byDay, ...(count ? { count } : {}), ...(until ? { until: `${until[1]}-${until[2]}-${until[3]}` } : {}) };
}

interface Day {
  year: number;
  month: number;
  day: number;
}

const weekdayOf = (d: Day) => (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
const dayNumber = (d: Day) => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
const fromNumber = (n: number): Day => {
  const date = new Date(n * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day of `month` that is the `nth` (1…5, or -1… from the end) `weekday` of it, if any. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): Day | undefined {
  const last = daysInMonth(year, month);
  if (nth > 0) {
    const first = weekdayOf({ year, month, day: 1 });
    const day = 1 + ((weekday - first + 7) % 7) + (nth - 1) * 7;
    return day <= last ? { year, month, day } : undefined;
  }
  const lastWeekday = weekdayOf({ year, month, day: last });
  const day = last - ((lastWeekday - weekday + 7) % 7) + (nth + 1) * 7;
  return day >= 1 ? { year, month, day } : undefined;
}

/**
 * The start instants of a series whose first date is `start`, in wall-clock time of the zone (a
 * 14:00 meeting stays at 14:00 across changes of time). The first date is always the first one.
 */
export function expandRule(rule: RecurrenceRule, start: Date, timeZone = DEFAULT_TIME_ZONE, limit = MAX_OCCURRENCES + 1): Date[] {
  const w = wallClock(start, timeZone);
  const first: Day = { year: w.year, month: w.month, day: w.day };
  const firstNumber = dayNumber(first);
  const lastAllowed = Math.min(rule.until ? dayNumber(fromIso(rule.until)) : Infinity, firstNumber + MAX_SPAN_DAYS);
  const max = Math.min(rule.count ?? Infinity, limit);
  const days: Day[] = [];
  const push = (d: Day) => {
    const n = dayNumber(d);
    if (n >= firstNumber && n <= lastAllowed && days.length < max) days.push(d);
  };
  if (rule.freq === 'WEEKLY') {
    const weekdays = rule.byDay.length ? rule.byDay.map((d) => WEEKDAYS.indexOf(d.day)).sort((a, b) => a - b) : [weekdayOf(first)];
    const monday = firstNumber - weekdayOf(first);
    for (let week = 0; days.length < max; week += rule.interval) {
      const base = monday + week * 7;
      if (base > lastAllowed) break;
      for (const wd of weekdays) push(fromNumber(base + wd));
    }
  } else {
    const spec = rule.byDay[0];
    for (let i = 0; days.length < max; i += rule.interval) {
      const monthIndex = first.month - 1 + i;
      const year = first.year + Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      if (dayNumber({ year, month, day: 1 }) > lastAllowed) break;
      // Same day of the month (months without it are skipped, as RFC 5545 does), or the nth weekday.
      const day = spec ? nthWeekday(year, month, WEEKDAYS.indexOf(spec.day), spec.nth ?? 1) : first.day <= daysInMonth(year, month) ? { year, month, day: first.day } : undefined;
      if (day) push(day);
    }
  }
  if (days.length && dayNumber(days[0]!) !== firstNumber) days.unshift(first);
  else if (!days.length) days.push(first);
  return days.slice(0, max).map((d) => zonedToUtc({ ...d, hour: w.hour, minute: w.minute }, timeZone));
}

function fromIso(date: string): Day {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/**
 * The repetition chosen in the creation form; null for none. `start` is the first date as validated;
 * when the rest of the form did not validate (null), the typed first day still serves to check the
 * repetition, so that all its errors come at once (no rule is returned then).
 */
export function repetitionFromForm(
  raw: Record<string, unknown>,
  start: Date | null,
  timeZone = DEFAULT_TIME_ZONE,
): { ok: true; rule: RecurrenceRule | null } | { ok: false; errors: Record<string, FieldProblem> } {
  const get = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
  const freq = get('repeat_freq');
  if (!freq) return { ok: true, rule: null };
  const errors: Record<string, FieldProblem> = {};
  if (!['weekly', 'monthly', 'monthly_weekday'].includes(freq)) errors['repeat_freq'] = { key: 'events.error.repeatFreq' };
  const interval = Number(get('repeat_interval') || '1');
  if (!Number.isInteger(interval) || interval < 1 || interval > 12) errors['repeat_interval'] = { key: 'events.error.repeatInterval' };
  const countRaw = get('repeat_count');
  const until = get('repeat_until');
  const count = countRaw ? Number(countRaw) : undefined;
  if (count !== undefined && (!Number.isInteger(count) || count < 2 || count > MAX_OCCURRENCES)) errors['repeat_count'] = { key: 'events.error.repeatEnd' };
  if (count === undefined && !until) errors['repeat_count'] = { key: 'events.error.repeatEnd' };
  const typedDay = get('start_date');
  const first = start ?? (/^\d{4}-\d{2}-\d{2}$/.test(typedDay) ? parseLocalDateTime(typedDay, '12:00', timeZone) : null);
  if (until) {
    const startDay = first ? toLocalInputs(first, timeZone).date : null;
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(until) && !Number.isNaN(Date.parse(`${until}T00:00:00Z`));
    const span = startDay ? (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${startDay}T00:00:00Z`)) / DAY_MS : 0;
    if (!valid || (startDay && (span <= 0 || span > MAX_SPAN_DAYS))) errors['repeat_until'] = { key: 'events.error.repeatUntil' };
  }
  if (Object.keys(errors).length || !first) return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rule: null };
  const w = wallClock(first, timeZone);
  const weekday = WEEKDAYS[(new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7]!;
  const nth = Math.ceil(w.day / 7);
  const rule: RecurrenceRule = {
    freq: freq === 'weekly' ? 'WEEKLY' : 'MONTHLY',
    interval,
    // "The 5th Tuesday" exists only some months: the last one is what people mean.
    byDay: freq === 'weekly' ? [{ day: weekday }] : freq === 'monthly_weekday' ? [{ day: weekday, nth: nth === 5 ? -1 : nth }] : [],
    ...(count ? { count } : {}),
    ...(until ? { until } : {}),
  };
  const problems = ruleProblems(rule, first, timeZone);
  return problems ? { ok: false, errors: problems } : { ok: true, rule: start ? rule : null };
}

/**
 * The limits of a series whose first date is `start`: more than one date, at most MAX_OCCURRENCES.
 * Errors keyed by the form field they concern; null when the rule is within them.
 */
export function ruleProblems(rule: RecurrenceRule, start: Date, timeZone = DEFAULT_TIME_ZONE): Record<string, FieldProblem> | null {
  const dates = expandRule(rule, start, timeZone);
  if (dates.length > MAX_OCCURRENCES) return { repeat_until: { key: 'events.error.repeatTooMany' } };
  if (dates.length < 2) return { [rule.until ? 'repeat_until' : 'repeat_count']: { key: 'events.error.repeatNone' } };
  return null;
}

/** The form fields of the repetition, as typed (to show them again with their errors). */
export const REPEAT_FIELDS = ['repeat_freq', 'repeat_interval', 'repeat_count', 'repeat_until'] as const;

export function repeatFormValues(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(REPEAT_FIELDS.map((n) => [n, typeof raw[n] === 'string' ? (raw[n] as string).trim() : '']));
}

/** The form fields that give back `rule` from its first date (see repetitionFromForm); empty ones for none. */
export function ruleFormValues(rule: RecurrenceRule | undefined): Record<string, string> {
  if (!rule) return { repeat_freq: '', repeat_interval: '1', repeat_count: '', repeat_until: '' };
  return {
    repeat_freq: rule.freq === 'WEEKLY' ? 'weekly' : rule.byDay.length ? 'monthly_weekday' : 'monthly',
    repeat_interval: String(rule.interval),
    repeat_count: rule.count ? String(rule.count) : '',
    repeat_until: rule.until ?? '',
  };
}

/** A day of the week in words (« mardi », "Tuesday"): 5 January 2026 was a Monday. */
function weekdayName(day: Weekday, locale: Locale): string {
  return dateTimeFormat(locale, { weekday: 'long' }, 'UTC').format(new Date(Date.UTC(2026, 0, 5 + WEEKDAYS.indexOf(day))));
}

/** The rule as people read it: « tous les mois, le 2e mardi, jusqu’au 30 juin 2027 », « toutes les semaines, le jeudi, 6 fois ». */
export function describeRule(rule: RecurrenceRule, t: Translate, locale: Locale): string {
  const base = t(rule.freq === 'WEEKLY' ? 'events.series.weekly' : 'events.series.monthly', { interval: rule.interval });
  const ordinal = (nth: number) => t(`events.series.ordinal${Math.min(Math.abs(nth), 5) as 1 | 2 | 3 | 4 | 5}`);
  const days = rule.byDay.map(({ day, nth }) => {
    const name = weekdayName(day, locale);
    if (!nth) return name;
    if (nth === -1) return t('events.series.lastWeekday', { day: name });
    return t('events.series.nthWeekday', { nth: ordinal(nth), day: name });
  });
  // Other positions from the end (iCal feeds, never the forms) need their own words and article
  // (« l’avant-dernier mardi »); a monthly rule has one day only (parseRule).
  const fromEnd = rule.byDay.length === 1 && (rule.byDay[0]!.nth ?? 0) < -1 ? rule.byDay[0]! : undefined;
  const on = fromEnd
    ? fromEnd.nth === -2
      ? t('events.series.onSecondLast', { day: weekdayName(fromEnd.day, locale) })
      : t('events.series.onNthLast', { nth: ordinal(fromEnd.nth!), day: weekdayName(fromEnd.day, locale) })
    : days.length
      ? t('events.series.on', { days: days.join(', ') })
      : '';
  const untilDate = rule.until ? formatDay(rule.until, locale) : '';
  const end = rule.count ? t('events.series.count', { count: rule.count }) : rule.until ? t('events.series.until', { date: untilDate }) : '';
  return `${base}${on}${end}`;
}
