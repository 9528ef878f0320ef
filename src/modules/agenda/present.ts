// How an event reads on the public pages: dates in Europe/Paris with Intl, place, online link.
import { dateTimeFormat, type Locale } from '../../kernel/i18n/index.js';
import { formatMonth } from '../../kernel/time/date-only.js';
import { DEFAULT_TIME_ZONE, wallClock } from '../../kernel/time/zoned.js';
import type { EventRow } from '../events/index.js';

export { communeName, eventPlace, eventWhen, lastInstant } from '../events/index.js';

/** Short date for cards and the widget: "15 janv." */
export function dayLabel(instant: string | Date, locale: Locale): { day: string; month: string; weekday: string } {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return {
    day: dateTimeFormat(locale, { day: 'numeric' }, DEFAULT_TIME_ZONE).format(d),
    month: dateTimeFormat(locale, { month: 'short' }, DEFAULT_TIME_ZONE).format(d),
    weekday: dateTimeFormat(locale, { weekday: 'short' }, DEFAULT_TIME_ZONE).format(d),
  };
}

/** `YYYY-MM` of an instant in Paris. */
export function monthKey(instant: string | Date): string {
  const w = wallClock(typeof instant === 'string' ? new Date(instant) : instant);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}

/** "janvier 2027" */
export function monthLabel(key: string, locale: Locale): string {
  return formatMonth(key, locale);
}

export function isOnline(e: Pick<EventRow, 'online_url'>): boolean {
  return Boolean(e.online_url);
}

export function isPhysical(e: Pick<EventRow, 'venue' | 'address' | 'commune_code'>): boolean {
  return Boolean(e.venue || e.address || e.commune_code);
}

/** The online link, unless it is kept for registered participants. */
export function publicOnlineUrl(e: Pick<EventRow, 'online_url' | 'online_url_private'>): string | null {
  return e.online_url && Number(e.online_url_private) !== 1 && /^https?:\/\//i.test(e.online_url) ? e.online_url : null;
}
