// The month view's grid: weeks from Monday to Sunday covering the month, each day with the events
// that run on it (a multi-day event appears on each of its days). Days are Paris calendar days.
import { parseLocalDateTime, wallClock } from '../../kernel/time/zoned.js';
import type { EventRow } from '../events/index.js';
import { lastInstant, monthKey } from './present.js';

export interface GridDay<E> {
  /** `YYYY-MM-DD` */
  date: string;
  inMonth: boolean;
  events: E[];
}

export interface MonthGrid<E> {
  month: string;
  previous: string;
  next: string;
  weeks: GridDay<E>[][];
  /** UTC instants bounding the grid, for the query: [start, end). */
  start: string;
  end: string;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

function shiftMonth(key: string, by: number): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The grid's days (no events yet) and its bounds. */
export function monthFrame(month: string): Omit<MonthGrid<never>, 'weeks'> & { days: string[] } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Date.UTC(y, m - 1, 1);
  const last = Date.UTC(y, m, 0);
  const mondayOffset = (new Date(first).getUTCDay() + 6) % 7;
  const sundayOffset = (7 - new Date(last).getUTCDay()) % 7;
  const days: string[] = [];
  for (let t = first - mondayOffset * DAY; t <= last + sundayOffset * DAY; t += DAY) days.push(iso(t));
  const afterLast = iso(last + (sundayOffset + 1) * DAY);
  return {
    month,
    previous: shiftMonth(month, -1),
    next: shiftMonth(month, 1),
    days,
    start: parseLocalDateTime(days[0]!)!.toISOString(),
    end: parseLocalDateTime(afterLast)!.toISOString(),
  };
}

/** The Paris calendar day (`YYYY-MM-DD`) of an instant: « today » for the clock's now. */
export function localDay(instant: Date): string {
  const w = wallClock(instant);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export function buildMonthGrid<E extends Pick<EventRow, 'starts_at' | 'ends_at'>>(month: string, events: E[]): MonthGrid<E> {
  const frame = monthFrame(month);
  const byDay = new Map<string, E[]>(frame.days.map((d) => [d, []]));
  for (const e of events) {
    const from = localDay(new Date(e.starts_at));
    const to = localDay(lastInstant(e));
    for (const d of frame.days) if (d >= from && d <= to) byDay.get(d)!.push(e);
  }
  const weeks: GridDay<E>[][] = [];
  frame.days.forEach((date, i) => {
    if (i % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]!.push({ date, inMonth: date.startsWith(month), events: byDay.get(date)! });
  });
  return { month, previous: frame.previous, next: frame.next, weeks, start: frame.start, end: frame.end };
}

/** Events in start order, grouped by their starting month (Paris). */
export function groupByMonth<E extends Pick<EventRow, 'starts_at'>>(events: E[]): { month: string; events: E[] }[] {
  const groups: { month: string; events: E[] }[] = [];
  for (const e of events) {
    const key = monthKey(e.starts_at);
    const last = groups[groups.length - 1];
    if (last && last.month === key) last.events.push(e);
    else groups.push({ month: key, events: [e] });
  }
  return groups;
}
