// A small iCalendar (RFC 5545) writer: one VCALENDAR of VEVENTs, times in UTC (no VTIMEZONE needed),
// all-day events as local dates, text escaped, lines folded at 75 octets, CRLF line ends.
// Used by the public agenda feeds (/agenda.ics) and the registration emails' attachments: a copy
// to add (METHOD:PUBLISH) or, once the event or the registration is cancelled, one that removes it
// (METHOD:CANCEL, same UID, a higher SEQUENCE: iTIP, RFC 5546).

import { DEFAULT_TIME_ZONE, wallClock } from '../time/zoned.js';

export type IcsStatus = 'confirmed' | 'tentative' | 'cancelled';

export interface IcsEvent {
  /** Stable across exports (e.g. `<event id>@<host>`): calendars update the event instead of duplicating it. */
  uid: string;
  start: Date;
  /** Exclusive end. For an all-day event: the local midnight after its last day. */
  end: Date;
  allDay?: boolean;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  status?: IcsStatus;
  /** Revision number; raise it on each significant change (time, place, cancellation). */
  sequence?: number;
  /** Last change of the event: used for DTSTAMP and LAST-MODIFIED (so the output is stable). */
  updated?: Date;
  geo?: { latitude: number; longitude: number } | null;
  categories?: string[];
  /** Who sends the copy (RFC 5546 asks for it in PUBLISH and CANCEL): the network, by its mail address. */
  organizer?: IcsPerson | null;
  /** The people a CANCEL removes the event for (never in a PUBLISH). */
  attendees?: IcsPerson[];
}

export interface IcsPerson {
  email: string;
  name?: string | null;
}

/** What a calendar does with the file: add or update the events (PUBLISH), or remove them (CANCEL). */
export type IcsMethod = 'PUBLISH' | 'CANCEL';

export interface IcsCalendarInput {
  name?: string;
  events: IcsEvent[];
  /** Zone in which all-day events' dates are read (Europe/Paris). */
  timeZone?: string;
  /** DTSTAMP of events without `updated` (now). */
  now?: Date;
  /** PUBLISH unless told otherwise. */
  method?: IcsMethod;
}

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';
const PRODID = '-//Maillage//Agenda//FR';

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a calendar line
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/**
 * Folds a content line into chunks of at most 75 octets (RFC 5545 §3.1), continuation lines
 * starting with one space, never splitting a UTF-8 character.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `20270115T083000Z` */
export function formatUtc(instant: Date): string {
  return (
    `${pad(instant.getUTCFullYear(), 4)}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}` +
    `T${pad(instant.getUTCHours())}${pad(instant.getUTCMinutes())}${pad(instant.getUTCSeconds())}Z`
  );
}

/** `20270115`: the local date of an instant in the zone. */
export function formatDate(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}`;
}

/** Values that are not TEXT (UID, URL) must still stay on their line. */
// eslint-disable-next-line no-control-regex -- a line break or control character would start a new property
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]/g, '');

/** `ORGANIZER;CN="Réseau":mailto:…` (a parameter value is quoted; it cannot hold a quote). */
function personLine(property: 'ORGANIZER' | 'ATTENDEE', p: IcsPerson): string {
  const name = p.name ? oneLine(p.name).replace(/"/g, '') : '';
  return `${property}${name ? `;CN="${name}"` : ''}:mailto:${oneLine(p.email).replace(/[\s<>"]/g, '')}`;
}

function eventLines(e: IcsEvent, timeZone: string, now: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${oneLine(e.uid)}`, `DTSTAMP:${formatUtc(e.updated ?? now)}`];
  if (e.allDay) {
    const start = formatDate(e.start, timeZone);
    let end = formatDate(e.end, timeZone);
    if (end <= start) end = formatDate(new Date(e.start.getTime() + 86_400_000), timeZone);
    lines.push(`DTSTART;VALUE=DATE:${start}`, `DTEND;VALUE=DATE:${end}`);
  } else {
    const end = e.end.getTime() > e.start.getTime() ? e.end : e.start;
    lines.push(`DTSTART:${formatUtc(e.start)}`, `DTEND:${formatUtc(end)}`);
  }
  lines.push(`SUMMARY:${escapeText(e.summary)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.geo) lines.push(`GEO:${e.geo.latitude.toFixed(6)};${e.geo.longitude.toFixed(6)}`);
  if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
  if (e.url) lines.push(`URL:${oneLine(e.url)}`);
  if (e.organizer) lines.push(personLine('ORGANIZER', e.organizer));
  for (const a of e.attendees ?? []) lines.push(personLine('ATTENDEE', a));
  lines.push(`STATUS:${(e.status ?? 'confirmed').toUpperCase()}`);
  lines.push(`SEQUENCE:${Math.max(0, Math.trunc(e.sequence ?? 0))}`);
  if (e.updated) lines.push(`LAST-MODIFIED:${formatUtc(e.updated)}`);
  lines.push('TRANSP:OPAQUE', 'END:VEVENT');
  return lines;
}

/** A complete VCALENDAR (CRLF line ends, folded lines, a final CRLF). */
export function icsCalendar(input: IcsCalendarInput): string {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const now = input.now ?? new Date();
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', `METHOD:${input.method ?? 'PUBLISH'}`];
  if (input.name) lines.push(`X-WR-CALNAME:${escapeText(input.name)}`, `NAME:${escapeText(input.name)}`);
  lines.push(`X-WR-TIMEZONE:${oneLine(timeZone)}`);
  for (const e of input.events) lines.push(...eventLines(e, timeZone, now));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
