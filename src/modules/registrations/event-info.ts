import { icsCalendar, type IcsPerson } from '../../kernel/calendar/ics.js';
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
 * own words (the link's label, « Annulé : ») in the reader's language. `changedAt`, the
 * registration's last change, counts as a change of the person's copy (agenda's IcsCopyExtra).
 */
export function eventIcs(event: EventRow, baseUrl: string, withOnlineLink: boolean, locale: Locale, changedAt?: string | null): string {
  const item = toIcsEvent(event, baseUrl, translator(locale), { onlineUrl: withOnlineLink ? event.online_url : null, copyChangedAt: changedAt ?? null });
  return icsCalendar({ name: event.title, events: [item], timeZone: event.time_zone || 'Europe/Paris' });
}

/**
 * The .ics that takes the event out of the person's calendar (METHOD:CANCEL, RFC 5546): the same
 * UID as every copy they were sent, a higher SEQUENCE (the event's cancellation, or their
 * registration's, is the copy's last change), STATUS:CANCELLED, the network as organiser and the
 * person as the attendee it is cancelled for.
 */
export function cancellationIcs(
  event: EventRow,
  baseUrl: string,
  locale: Locale,
  copy: { changedAt: string; organizer: IcsPerson; attendee: IcsPerson },
): string {
  const item = toIcsEvent(event, baseUrl, translator(locale), { onlineUrl: null, copyChangedAt: copy.changedAt });
  return icsCalendar({
    name: event.title,
    method: 'CANCEL',
    // One more than the copy made at the same moment: higher than every copy sent before, even
    // one sent the very second the event or the registration was cancelled.
    events: [{ ...item, sequence: (item.sequence ?? 0) + 1, status: 'cancelled', organizer: copy.organizer, attendees: [copy.attendee] }],
    timeZone: event.time_zone || 'Europe/Paris',
  });
}

/** The address of MAIL_FROM (« Réseau <reseau@example.org> » → reseau@example.org). */
export function senderAddress(mailFrom: string): string {
  return /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
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
