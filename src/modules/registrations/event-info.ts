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

/**
 * The name the .ics is saved under, in the registration's language and after its event (the slug of
 * its title and day): « evenement-forum-eau-2026-06-12.ics », "event-forum-eau-2026-06-12.ics". The
 * address it is downloaded from stays French (`/inscriptions/:token/evenement.ics`).
 */
export function icsFileName(event: Pick<EventRow, 'slug'>, locale: Locale): string {
  const word = translator(locale)('registrations.personal.calendarFile');
  return event.slug ? `${word}-${event.slug}.ics` : `${word}.ics`;
}
