import { icsCalendar } from '../../kernel/calendar/ics.js';
import { type Locale, translator } from '../../kernel/i18n/index.js';
import { toIcsEvent } from '../agenda/index.js';
import { type EventRow, eventPlace as placeOf } from '../events/index.js';

export { eventWhen } from '../events/index.js';

/** Venue, address, postcode and commune on one line ('' when the event has no place). */
export function eventPlace(event: EventRow): string {
  return placeOf(event) ?? '';
}

/**
 * The .ics attached to confirmation emails and offered on the personal page: the agenda's own
 * event (same UID: calendars merge them), with the online link when the person has a seat; its
 * own words (the link's label, « Annulé : ») in the reader's language.
 */
export function eventIcs(event: EventRow, baseUrl: string, withOnlineLink: boolean, locale: Locale): string {
  const item = toIcsEvent(event, baseUrl, translator(locale), { onlineUrl: withOnlineLink ? event.online_url : null });
  return icsCalendar({ name: event.title, events: [item], timeZone: event.time_zone || 'Europe/Paris' });
}
