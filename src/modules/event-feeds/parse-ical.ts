import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { DEFAULT_TIME_ZONE, zonedToUtc } from '../../kernel/time/zoned.js';
import { checkWebLink } from '../../kernel/web-link.js';

/** Limits on what one member feed may make us do. */
export const FEED_LIMITS = {
  /** VEVENT components in the file (recurrence exceptions included). */
  maxComponents: 2000,
  /** Items kept after expansion and windowing. */
  maxItems: 500,
  /** Occurrences of one recurring event within the window. */
  maxOccurrencesPerSeries: 60,
  /** Steps of a recurrence iterator, whatever the rule (a sparse rule must not spin forever). */
  maxIterations: 5000,
  /** How far ahead events are imported. */
  windowDays: 365,
  titleLength: 200,
  textLength: 5000,
} as const;

/** One upcoming event (or one occurrence of a recurring one) read from a member's feed. */
export interface FeedItem {
  /** The UID; for one occurrence of a recurring event, UID + '#' + the occurrence's original start. */
  uid: string;
  title: string;
  description: string | null;
  location: string | null;
  url: string | null;
  start: Date;
  end: Date;
  allDay: boolean;
  cancelled: boolean;
  /** Hash of every field above: a changed hash means the event changed at its source. */
  hash: string;
}

export type FeedParseProblem = 'not_ical' | 'invalid_utf8' | 'too_many_events' | 'invalid';

export class FeedParseError extends Error {
  constructor(
    readonly problem: FeedParseProblem,
    detail: string,
  ) {
    super(detail);
    this.name = 'FeedParseError';
  }
}

const DAY_MS = 86_400_000;
const DUR_DEFAULT_MS = 3_600_000;

/**
 * Parses an iCalendar body into upcoming items (ending after `now`, starting within the window),
 * recurring events expanded only inside the window. Throws FeedParseError when the body is not
 * iCalendar, not UTF-8, holds too many events or cannot be parsed.
 */
export function parseIcalFeed(body: Buffer, now: Date): FeedItem[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new FeedParseError('invalid_utf8', 'the body is not valid UTF-8');
  }
  text = text.replace(/^\uFEFF/, '');
  if (!/^\s*BEGIN:VCALENDAR\r?\n/i.test(text)) throw new FeedParseError('not_ical', 'the body does not start with BEGIN:VCALENDAR');
  const components = text.match(/^BEGIN:VEVENT\s*$/gim)?.length ?? 0;
  if (components > FEED_LIMITS.maxComponents) {
    throw new FeedParseError('too_many_events', `${components} events (at most ${FEED_LIMITS.maxComponents})`);
  }

  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    throw new FeedParseError('invalid', error instanceof Error ? error.message : String(error));
  }
  if (calendar.name !== 'vcalendar') throw new FeedParseError('not_ical', 'no VCALENDAR');
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') zones.set(tzid, new ICAL.Timezone(vtimezone));
  }

  const windowEnd = new Date(now.getTime() + FEED_LIMITS.windowDays * DAY_MS);
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Event[] = [];
  try {
    for (const vevent of calendar.getAllSubcomponents('vevent')) {
      const event = new ICAL.Event(vevent);
      if (!event.uid || !event.startDate) continue;
      if (event.isRecurrenceException()) exceptions.push(event);
      else masters.set(event.uid, event);
    }
    const orphans: ICAL.Event[] = [];
    for (const exception of exceptions) {
      const master = masters.get(exception.uid);
      if (master?.isRecurring()) master.relateException(exception);
      else orphans.push(exception);
    }

    const items: FeedItem[] = [];
    const keep = (item: FeedItem | null) => {
      if (item && item.end > now && item.start < windowEnd) items.push(item);
    };
    for (const event of masters.values()) {
      if (event.isRecurring()) expand(event, now, windowEnd, zones, keep);
      else keep(toItem(event, event.uid, event.startDate, event.endDate, zones));
    }
    for (const orphan of orphans) {
      keep(toItem(orphan, `${orphan.uid}#${instantOf(orphan.recurrenceId, zones).toISOString()}`, orphan.startDate, orphan.endDate, zones));
    }
    items.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
    return items.slice(0, FEED_LIMITS.maxItems);
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    throw new FeedParseError('invalid', error instanceof Error ? error.message : String(error));
  }
}

function expand(event: ICAL.Event, now: Date, windowEnd: Date, zones: Map<string, ICAL.Timezone>, keep: (item: FeedItem | null) => void): void {
  const iterator = event.iterator();
  let kept = 0;
  for (let step = 0; step < FEED_LIMITS.maxIterations && kept < FEED_LIMITS.maxOccurrencesPerSeries; step++) {
    const next = iterator.next();
    if (!next) return;
    const details = event.getOccurrenceDetails(next);
    const start = instantOf(details.startDate, zones);
    if (start >= windowEnd) return;
    const item = toItem(details.item, `${event.uid}#${instantOf(details.recurrenceId, zones).toISOString()}`, details.startDate, details.endDate, zones);
    if (item && item.end > now) {
      keep(item);
      kept++;
    }
  }
}

function toItem(event: ICAL.Event, uid: string, startTime: ICAL.Time, endTime: ICAL.Time | null, zones: Map<string, ICAL.Timezone>): FeedItem | null {
  const allDay = startTime.isDate;
  const start = instantOf(startTime, zones);
  let end = endTime ? instantOf(endTime, zones) : new Date(start.getTime() + (allDay ? DAY_MS : DUR_DEFAULT_MS));
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return null;
  if (end <= start) end = new Date(start.getTime() + (allDay ? DAY_MS : DUR_DEFAULT_MS));
  const title = clean(event.summary, FEED_LIMITS.titleLength) ?? '(sans titre)';
  const status = event.component.getFirstPropertyValue('status');
  const rawUrl = event.component.getFirstPropertyValue('url');
  const item = {
    uid: uid.slice(0, 500),
    title,
    description: clean(event.description, FEED_LIMITS.textLength),
    location: clean(event.location, 500),
    url: typeof rawUrl === 'string' ? httpUrl(rawUrl) : null,
    start,
    end,
    allDay,
    cancelled: typeof status === 'string' && status.toUpperCase() === 'CANCELLED',
  };
  return { ...item, hash: createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 32) };
}

/** The UTC instant of an iCalendar time: UTC, an IANA zone, the feed's VTIMEZONE, else Europe/Paris. */
function instantOf(time: ICAL.Time, zones: Map<string, ICAL.Timezone>): Date {
  const wall = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second };
  if (!time.isDate && time.zone?.tzid === 'UTC') {
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  }
  // ical.js keeps the TZID of an unregistered zone on `timezone`, missing from its type definitions.
  const named = (time as unknown as { timezone?: string }).timezone;
  const tzid = named ?? (time.zone && time.zone.tzid !== 'floating' ? time.zone.tzid : null);
  if (tzid && isIanaZone(tzid)) return zonedToUtc(wall, tzid);
  const zone = tzid ? zones.get(tzid) : undefined;
  if (zone) {
    const offset = zone.utcOffset(time);
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - offset * 1000);
  }
  return zonedToUtc(wall, DEFAULT_TIME_ZONE);
}

const ianaCache = new Map<string, boolean>();

function isIanaZone(tzid: string): boolean {
  let known = ianaCache.get(tzid);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tzid });
      known = true;
    } catch {
      known = false;
    }
    if (ianaCache.size < 500) ianaCache.set(tzid, known);
  }
  return known;
}

/** Plain text, control characters removed, trimmed and cut; null when empty. */
function clean(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const text = value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An event's page as the feed gives it, when it is a public web link. */
function httpUrl(raw: string): string | null {
  const link = checkWebLink(raw.trim());
  return link.ok ? link.url.slice(0, 2000) : null;
}
