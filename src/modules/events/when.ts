// How an event's date and place read for people: in its time zone with Intl, place on one line.
import { findCommune, findDepartment } from '../../kernel/geo/communes.js';
import { dateTimeFormat, type Locale } from '../../kernel/i18n/index.js';
import { withClockWords } from '../../kernel/time/clock-words.js';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/zoned.js';
import type { EventRow } from './types.js';

const format = dateTimeFormat;

/** The last instant of an event (its end is exclusive: an all-day event ends at the next local midnight). */
export function lastInstant(e: Pick<EventRow, 'starts_at' | 'ends_at'>): Date {
  const start = new Date(e.starts_at);
  const end = new Date(e.ends_at);
  return end.getTime() > start.getTime() ? new Date(end.getTime() - 1) : start;
}

/** « mercredi 15 janvier 2027, 9 h 30 – 11 h », « 15 – 17 janvier 2027 », "Wednesday 15 January 2027, 09:30 – 11:00"… */
export function eventWhen(e: Pick<EventRow, 'starts_at' | 'ends_at' | 'all_day' | 'time_zone'>, locale: Locale): string {
  const tz = e.time_zone || DEFAULT_TIME_ZONE;
  const start = new Date(e.starts_at);
  if (Number(e.all_day) === 1) {
    return format(locale, { dateStyle: 'full' }, tz).formatRange(start, lastInstant(e));
  }
  const end = new Date(e.ends_at);
  return withClockWords(format(locale, { dateStyle: 'full', timeStyle: 'short' }, tz).formatRange(start, end.getTime() > start.getTime() ? end : start), locale);
}

export function communeName(e: Pick<EventRow, 'commune_code'>): string | null {
  return e.commune_code ? (findCommune(e.commune_code)?.name ?? null) : null;
}

/** "Salle des fêtes, 3 rue X, 33000 Bordeaux" (what is known of it). */
export function eventPlace(e: Pick<EventRow, 'venue' | 'address' | 'postcode' | 'commune_code' | 'department_code'>): string | null {
  const commune = communeName(e);
  const town = [e.postcode, commune].filter(Boolean).join(' ');
  const department = !commune && e.department_code ? findDepartment(e.department_code)?.name : null;
  const parts = [e.venue, e.address, town || null, department].filter((p): p is string => Boolean(p && p.trim()));
  return parts.length ? parts.join(', ') : null;
}
