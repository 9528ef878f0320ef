// Times of day as people read them: French writes « 14 h 30 », « 12 h » (Intl's fr-FR writes
// « 14:30 »); English keeps "14:30".

import { dateTimeFormat, type Locale } from '../i18n/index.js';
import { DEFAULT_TIME_ZONE } from './zoned.js';

const NBSP = '\u00a0';

/** « 14 h 30 », « 12 h », « 9 h 05 » (no-break spaces: the hour never leaves its « h »). */
export function frenchClock(hour: number, minute: number): string {
  return minute === 0 ? `${hour}${NBSP}h` : `${hour}${NBSP}h${NBSP}${String(minute).padStart(2, '0')}`;
}

/** A date text written by Intl with its `HH:MM` times in the locale's words (French: « 9 h 30 »). */
export function withClockWords(text: string, locale: Locale): string {
  if (locale !== 'fr') return text;
  return text.replace(/(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])/g, (_whole, h: string, m: string) => frenchClock(Number(h), Number(m)));
}

/** A moment in words: « 27 mars 2027 à 12 h », "27 March 2027 at 12:00" (deadlines, workshop slots). */
export function formatMoment(value: string | Date, locale: Locale, timeZone = DEFAULT_TIME_ZONE): string {
  const instant = typeof value === 'string' ? new Date(value) : value;
  return withClockWords(dateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }, timeZone).format(instant), locale);
}

/** A span in words, the day written once when both ends share it: « 14 janv. 2027, 14 h – 15 h 30 ». */
export function formatMomentRange(start: string | Date, end: string | Date, locale: Locale, timeZone = DEFAULT_TIME_ZONE): string {
  const from = typeof start === 'string' ? new Date(start) : start;
  const to = typeof end === 'string' ? new Date(end) : end;
  return withClockWords(dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }, timeZone).formatRange(from, to.getTime() >= from.getTime() ? to : from), locale);
}
