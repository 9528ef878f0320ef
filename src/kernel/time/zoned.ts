// Wall-clock times in a named time zone (Europe/Paris by default) ↔ UTC instants, with Intl only.
// Forms and iCalendar speak local wall-clock time; the database stores UTC instants.

export const DEFAULT_TIME_ZONE = 'Europe/Paris';
const DAY_MS = 86_400_000;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a time zone. */
export function wallClock(instant: Date, timeZone = DEFAULT_TIME_ZONE): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Offset of the zone from UTC at that instant, in minutes (Paris: 60 in winter, 120 in summer). */
export function zoneOffsetMinutes(instant: Date, timeZone = DEFAULT_TIME_ZONE): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant when the zone's clocks show this wall-clock time. In the autumn's repeated hour the
 * first (summer-time) reading wins; in the spring's skipped hour the time is moved forward by the gap.
 */
export function zonedToUtc(w: Omit<WallClock, 'second'> & { second?: number }, timeZone = DEFAULT_TIME_ZONE): Date {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0);
  // The offsets in force a day before and a day after cover both sides of any change of time.
  const before = naive - zoneOffsetMinutes(new Date(naive - DAY_MS), timeZone) * 60_000;
  const after = naive - zoneOffsetMinutes(new Date(naive + DAY_MS), timeZone) * 60_000;
  const matching = [before, after].filter((t) => wallClockEquals(new Date(t), w, timeZone));
  // No match: the time falls in the spring gap; the offset before it moves it forward.
  return new Date(matching.length ? Math.min(...matching) : before);
}

function wallClockEquals(instant: Date, w: Omit<WallClock, 'second'>, timeZone: string): boolean {
  const r = wallClock(instant, timeZone);
  return r.year === w.year && r.month === w.month && r.day === w.day && r.hour === w.hour && r.minute === w.minute;
}

/**
 * A time of day as people type it: « 14:30 » (what a browser's time field sends), and the French
 * ways, « 14h30 », « 14 h 30 », « 14h », « 9 h » (any case, any spaces, no-break ones included).
 */
export const TIME_OF_DAY_PATTERN = '^\\s*(\\d{1,2})\\s*(?::\\s*(\\d{2})|[hH]\\s*(\\d{2})?)\\s*$';
const TIME_OF_DAY = new RegExp(TIME_OF_DAY_PATTERN);

/** The hour and minute of a typed time of day (see TIME_OF_DAY_PATTERN); null when it is none. */
export function parseTimeOfDay(value: string): { hour: number; minute: number } | null {
  const t = TIME_OF_DAY.exec(value);
  if (!t) return null;
  const hour = Number(t[1]);
  const minute = Number(t[2] ?? t[3] ?? 0);
  return hour > 23 || minute > 59 ? null : { hour, minute };
}

/** A typed time of day as `HH:MM` (« 14 h 30 » → `14:30`); null when it is none. */
export function normaliseTimeOfDay(value: string): string | null {
  const t = parseTimeOfDay(value);
  return t ? `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}` : null;
}

/** Parses `YYYY-MM-DD` and a time of day (`HH:MM`, « 14h30 »…) as wall-clock time in the zone; null when malformed. */
export function parseLocalDateTime(date: string, time = '00:00', timeZone = DEFAULT_TIME_ZONE): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = parseTimeOfDay(time);
  if (!d || !t) return null;
  const w = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: t.hour, minute: t.minute };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31) return null;
  const check = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (check.getUTCDate() !== w.day) return null;
  return zonedToUtc(w, timeZone);
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in the zone (to fill form inputs). */
export function toLocalInputs(instant: Date, timeZone = DEFAULT_TIME_ZONE): { date: string; time: string } {
  const w = wallClock(instant, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${w.year}-${p(w.month)}-${p(w.day)}`, time: `${p(w.hour)}:${p(w.minute)}` };
}
