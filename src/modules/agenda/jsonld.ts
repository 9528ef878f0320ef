// schema.org `Event` for search engines, and the add-to-calendar links of an event page.
import { formatDate, formatUtc } from '../../kernel/calendar/ics.js';
import { htmlToText } from '../../kernel/html.js';
import { eventImageHref, type EventRow } from '../events/index.js';
import { eventUrl } from './ics-export.js';
import { communeName, eventPlace, isOnline, isPhysical, publicOnlineUrl } from './present.js';
import type { OrganiserRef } from './repo.js';

const STATUS: Record<string, string> = {
  published: 'https://schema.org/EventScheduled',
  cancelled: 'https://schema.org/EventCancelled',
  postponed: 'https://schema.org/EventPostponed',
};

/** ISO date (all-day: `2027-01-15`) or instant. */
function when(instant: string, allDay: boolean): string {
  return allDay ? formatDate(new Date(instant)).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3') : new Date(instant).toISOString();
}

export function eventJsonLd(e: EventRow, organisers: OrganiserRef[], baseUrl: string): Record<string, unknown> {
  const allDay = Number(e.all_day) === 1;
  const online = isOnline(e);
  const physical = isPhysical(e);
  const record: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: e.title,
    url: eventUrl(e.slug, baseUrl),
    startDate: when(e.starts_at, allDay),
    // The last day of an all-day event (its stored end is the next midnight).
    endDate: allDay ? when(new Date(new Date(e.ends_at).getTime() - 1).toISOString(), true) : when(e.ends_at, false),
    eventStatus: STATUS[e.status] ?? STATUS.published,
    eventAttendanceMode: `https://schema.org/${online && physical ? 'Mixed' : online ? 'Online' : 'Offline'}EventAttendanceMode`,
  };
  const description = e.summary ?? (e.description_html ? htmlToText(e.description_html).slice(0, 500) : null);
  if (description) record.description = description;
  const locations: Record<string, unknown>[] = [];
  if (physical) {
    const address: Record<string, string> = { '@type': 'PostalAddress', addressCountry: 'FR' };
    if (e.address) address.streetAddress = e.address;
    if (e.postcode) address.postalCode = e.postcode;
    const commune = communeName(e);
    if (commune) address.addressLocality = commune;
    const place: Record<string, unknown> = { '@type': 'Place', name: e.venue ?? eventPlace(e), address };
    // A département's centre (the geocoder could not place the event) would mislead search engines.
    if (e.latitude !== null && e.longitude !== null && e.geo_precision !== 'department') {
      place.geo = { '@type': 'GeoCoordinates', latitude: Number(e.latitude), longitude: Number(e.longitude) };
    }
    locations.push(place);
  }
  if (online) {
    const url = publicOnlineUrl(e);
    locations.push(url ? { '@type': 'VirtualLocation', url } : { '@type': 'VirtualLocation' });
  }
  if (locations.length) record.location = locations.length === 1 ? locations[0] : locations;
  if (organisers.length) {
    record.organizer = organisers.map((o) =>
      o.visibility === 'public'
        ? { '@type': 'Organization', name: o.name, url: `${baseUrl}/acteurs/${encodeURIComponent(o.slug)}` }
        : { '@type': 'Organization', name: o.name },
    );
  }
  if (e.price_note) record.offers = { '@type': 'Offer', description: e.price_note, url: eventUrl(e.slug, baseUrl) };
  if (e.audience) record.audience = { '@type': 'Audience', audienceType: e.audience };
  const image = eventImageHref(e);
  if (image) record.image = `${baseUrl}${image}`;
  return record;
}

/**
 * JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become \u escapes, so
 * no text inside can close the script element or open a comment.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Links that open the event in web calendars (the .ics file serves every other program). */
export function addToCalendarLinks(e: EventRow, baseUrl: string): { google: string; outlook: string } {
  const allDay = Number(e.all_day) === 1;
  const start = new Date(e.starts_at);
  const end = new Date(e.ends_at);
  const details = [e.summary, eventUrl(e.slug, baseUrl)].filter(Boolean).join('\n\n');
  const location = eventPlace(e) ?? '';
  const google = new URLSearchParams({
    action: 'TEMPLATE',
    text: e.title,
    dates: allDay ? `${formatDate(start)}/${formatDate(end)}` : `${formatUtc(start)}/${formatUtc(end)}`,
    details,
    location,
  });
  const outlook = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: e.title,
    startdt: allDay ? when(e.starts_at, true) : start.toISOString(),
    enddt: allDay ? when(e.ends_at, true) : end.toISOString(),
    allday: allDay ? 'true' : 'false',
    body: details,
    location,
  });
  return {
    google: `https://calendar.google.com/calendar/render?${google.toString()}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook.toString()}`,
  };
}
