import { countryCodesFromText } from '../../kernel/geo/countries.js';
import { findCommune, findCommuneByName } from '../../kernel/geo/communes.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { richTextForForm, richTextFromForm } from '../../kernel/text/rich-text.js';
import { DEFAULT_TIME_ZONE, parseLocalDateTime, parseTimeOfDay, toLocalInputs } from '../../kernel/time/zoned.js';
import { checkWebLink } from '../../kernel/web-link.js';
import type { EventLinks } from './types.js';

// Validation of an event as typed in a form (staff or member) or carried by a proposal. Pure: the
// caller passes the codes of the taxonomies and the organisers it resolved from the directory.

export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

export type Problems = Record<string, FieldProblem>;

/** A validated event, ready to be written. */
export interface EventDraft {
  title: string;
  summary: string | null;
  description_html: string | null;
  type_code: string;
  all_day: boolean;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  venue: string | null;
  address: string | null;
  postcode: string | null;
  commune_code: string | null;
  department_code: string | null;
  latitude: number | null;
  longitude: number | null;
  online_url: string | null;
  online_url_private: boolean;
  audience: string | null;
  price_note: string | null;
  /** The image's file id; null for none; undefined: the form said nothing of it (an event keeps its own). */
  image_file_id?: string | null;
  /** Alternative text of the image (null: none, or a decorative image). */
  image_alt: string | null;
  links: EventLinks;
}

/**
 * Members propose events to come: a start day before `today` (days in the event's zone) is
 * refused, except `keep`, the day an edited event already starts on (a past event stays editable).
 * Staff have no such rule: they may record a past event.
 */
export interface StartRule {
  today: string;
  keep?: string;
}

export interface EventTaxonomies {
  types: string[];
  themes: string[];
}

/** The form's single-valued fields; `organisers`, `themes`, `countries` and `sdgs` are lists. */
export const EVENT_SINGLE_FIELDS = [
  'title', 'summary', 'description', 'type_code', 'all_day', 'start_date', 'start_time', 'end_date', 'end_time',
  'venue', 'address', 'postcode', 'commune', 'latitude', 'longitude', 'online_url', 'online_url_private', 'audience', 'price_note', 'image_alt',
] as const;
export const EVENT_LIST_FIELDS = ['organisers', 'themes', 'countries', 'sdgs'] as const;

export function text(raw: Record<string, unknown>, name: string): string {
  const v = raw[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

export function list(raw: Record<string, unknown>, name: string): string[] {
  const v = raw[name];
  const values = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  return [...new Set(values.map((x) => String(x).trim()).filter(Boolean))];
}

function flag(raw: Record<string, unknown>, name: string): boolean {
  const v = text(raw, name);
  return v === '1' || v === 'on' || v === 'true';
}

function coordinate(raw: string, max: number): number | null | undefined {
  if (!raw) return null;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) && Math.abs(n) <= max ? n : undefined;
}

const DAY_MS = 86_400_000;

/** The day after a `YYYY-MM-DD` date, in the same form. */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Validates an event form. Dates are read as wall-clock time in the event's zone (Europe/Paris);
 * an all-day event runs from the first day's midnight to the midnight after its last day.
 */
export function validateEvent(
  raw: Record<string, unknown>,
  taxonomies: EventTaxonomies,
  organisers: { ids: string[]; problem?: FieldProblem },
  startRule?: StartRule,
): { ok: true; draft: EventDraft } | { ok: false; errors: Problems } {
  const errors: Problems = {};
  const optional = (name: string, max: number, key: MessageKey = 'events.error.tooLong') => {
    const value = text(raw, name).replace(/\s+/g, ' ') || null;
    if (value && value.length > max) errors[name] = { key, params: { max } };
    return value;
  };

  const title = text(raw, 'title').replace(/\s+/g, ' ');
  if (title.length < 3 || title.length > 200) errors['title'] = { key: 'events.error.title' };
  const summary = optional('summary', 500);
  const descriptionRaw = text(raw, 'description');
  if (descriptionRaw.length > 20_000) errors['description'] = { key: 'events.error.tooLong', params: { max: 20_000 } };
  const description = richTextFromForm(descriptionRaw);
  const type = text(raw, 'type_code');
  if (!taxonomies.types.includes(type)) errors['type_code'] = { key: 'events.error.type' };

  // ---- When ----
  const timeZone = DEFAULT_TIME_ZONE;
  const allDay = flag(raw, 'all_day');
  const startDate = text(raw, 'start_date');
  const endDate = text(raw, 'end_date') || startDate;
  const startTime = text(raw, 'start_time');
  const endTime = text(raw, 'end_time');
  let startsAt: Date | null = null;
  let endsAt: Date | null = null;
  const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day);
  // First, so that the error summary lists it in the form's order (a date that does not exist replaces it below).
  if (startRule && isDay(startDate) && startDate < startRule.today && startDate !== startRule.keep) errors['start_date'] = { key: 'events.error.pastStart' };
  if (!startDate) errors['start_date'] = { key: 'events.error.startDate' };
  else if (allDay) {
    startsAt = parseLocalDateTime(startDate, '00:00', timeZone);
    if (!startsAt) errors['start_date'] = { key: 'events.error.date' };
    endsAt = /^\d{4}-\d{2}-\d{2}$/.test(endDate) ? parseLocalDateTime(nextDay(endDate), '00:00', timeZone) : null;
    if (!endsAt) errors['end_date'] = { key: 'events.error.date' };
  } else {
    if (!startTime) errors['start_time'] = { key: 'events.error.startTime' };
    else {
      startsAt = parseLocalDateTime(startDate, startTime, timeZone);
      // A time of day (« 14:30 », « 14 h 30 »…) that does not make an instant: the day is what is wrong.
      if (!startsAt) errors[parseTimeOfDay(startTime) ? 'start_date' : 'start_time'] = { key: 'events.error.date' };
    }
    if (!endTime) errors['end_time'] = { key: 'events.error.endTime' };
    else {
      endsAt = parseLocalDateTime(endDate, endTime, timeZone);
      if (!endsAt) errors[parseTimeOfDay(endTime) ? 'end_date' : 'end_time'] = { key: 'events.error.date' };
    }
  }
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) errors['end_date'] = { key: 'events.error.endBeforeStart' };
  // A missing time leaves no instant to compare, but an end day before the start day is wrong
  // whatever the times: said now, with the missing times, not in a second round.
  if (!(startsAt && endsAt) && !errors['end_date'] && isDay(startDate) && isDay(endDate) && endDate < startDate) errors['end_date'] = { key: 'events.error.endBeforeStart' };
  if (startsAt && endsAt && endsAt.getTime() - startsAt.getTime() > 366 * DAY_MS) errors['end_date'] = { key: 'events.error.tooLongEvent' };

  // ---- Where ----
  const venue = optional('venue', 200);
  const address = optional('address', 300);
  const postcode = optional('postcode', 5);
  if (postcode && !/^\d{5}$/.test(postcode)) errors['postcode'] = { key: 'events.error.postcode' };
  const communeRaw = text(raw, 'commune');
  const commune = communeRaw ? (findCommune(communeRaw) ?? findCommuneByName(communeRaw, postcode ?? undefined) ?? findCommuneByName(communeRaw)) : undefined;
  if (communeRaw && !commune) errors['commune'] = { key: 'events.error.commune' };
  const latitude = coordinate(text(raw, 'latitude'), 90);
  const longitude = coordinate(text(raw, 'longitude'), 180);
  if (latitude === undefined) errors['latitude'] = { key: 'events.error.latitude' };
  if (longitude === undefined) errors['longitude'] = { key: 'events.error.longitude' };
  if ((latitude === null) !== (longitude === null) && latitude !== undefined && longitude !== undefined) {
    errors[latitude === null ? 'latitude' : 'longitude'] = { key: 'events.error.coordinates' };
  }
  const onlineRaw = text(raw, 'online_url');
  const online = onlineRaw ? checkWebLink(onlineRaw, 'https') : null;
  const onlineUrl = online?.ok ? online.url : null;
  if (online && !online.ok && online.local) errors['online_url'] = { key: 'form.error.localLink' };
  else if (onlineRaw && (!onlineUrl || onlineRaw.length > 1000)) errors['online_url'] = { key: 'events.error.onlineUrl' };
  const onlinePrivate = flag(raw, 'online_url_private');
  if (!venue && !address && !communeRaw && !onlineRaw) errors['venue'] = { key: 'events.error.place' };

  // ---- Who, what about ----
  if (organisers.problem) errors['organisers'] = organisers.problem;
  const themes = list(raw, 'themes');
  if (themes.some((t) => !taxonomies.themes.includes(t))) errors['themes'] = { key: 'events.error.themes' };
  // « Mali (ML), Sénégal (SN) » as the form shows them, « SN (Sénégal) » as it used to, or codes and names as people type them.
  const typedCountries = raw['countries'];
  const countries = [...new Set((Array.isArray(typedCountries) ? typedCountries : [typedCountries]).flatMap((v) => (typeof v === 'string' ? countryCodesFromText(v) : [])))];
  if (countries.some((c) => c.startsWith('?'))) errors['countries'] = { key: 'events.error.countries' };
  const sdgs = list(raw, 'sdgs').map(Number);
  if (sdgs.some((n) => !Number.isInteger(n) || n < 1 || n > 17)) errors['sdgs'] = { key: 'events.error.sdgs' };
  const audience = optional('audience', 200);
  const priceNote = optional('price_note', 200);
  const imageAlt = optional('image_alt', 300);

  if (Object.keys(errors).length || !startsAt || !endsAt) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      title,
      summary,
      description_html: description || null,
      type_code: type,
      all_day: allDay,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: timeZone,
      venue,
      address,
      postcode: postcode ?? (commune?.postcodes.length === 1 ? commune.postcodes[0]! : null),
      commune_code: commune?.code ?? null,
      department_code: commune?.department ?? null,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
      online_url: onlineUrl,
      online_url_private: Boolean(onlineUrl) && onlinePrivate,
      audience,
      price_note: priceNote,
      image_alt: imageAlt,
      links: { organisers: organisers.ids, themes: [...new Set(themes)].sort(), countries: [...new Set(countries)].sort(), sdgs: [...new Set(sdgs)].sort((a, b) => a - b) },
    },
  };
}

/** Form values (strings and lists) of an event or a draft: what forms show and proposals carry. */
export type EventFormValues = Record<string, string | string[]>;

function str(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The dates of an instant range as the form's inputs (an all-day end shows its last day). */
export function dateInputs(startsAt: Date, endsAt: Date, allDay: boolean, timeZone = DEFAULT_TIME_ZONE) {
  const start = toLocalInputs(startsAt, timeZone);
  const end = toLocalInputs(allDay ? new Date(endsAt.getTime() - 1) : endsAt, timeZone);
  return { start_date: start.date, start_time: allDay ? '' : start.time, end_date: end.date, end_time: allDay ? '' : end.time };
}

export function draftFormValues(d: EventDraft): EventFormValues {
  const commune = d.commune_code ? findCommune(d.commune_code) : undefined;
  return {
    title: d.title,
    summary: str(d.summary),
    description: richTextForForm(d.description_html),
    type_code: d.type_code,
    all_day: d.all_day ? '1' : '',
    ...dateInputs(d.starts_at, d.ends_at, d.all_day, d.time_zone),
    venue: str(d.venue),
    address: str(d.address),
    postcode: str(d.postcode),
    commune: commune ? commune.name : str(d.commune_code),
    latitude: str(d.latitude),
    longitude: str(d.longitude),
    online_url: str(d.online_url),
    online_url_private: d.online_url_private ? '1' : '',
    audience: str(d.audience),
    price_note: str(d.price_note),
    // The image only when the draft says something of it (a feed item never does).
    ...(d.image_file_id === undefined ? {} : { image: str(d.image_file_id) }),
    image_alt: str(d.image_alt),
    organisers: [...d.links.organisers].sort(),
    themes: [...d.links.themes].sort(),
    countries: [...d.links.countries].sort(),
    sdgs: d.links.sdgs.map(String),
  };
}

/** A submitted form kept as typed (to show it again with its errors). */
export function submittedFormValues(raw: Record<string, unknown>): EventFormValues {
  const values: EventFormValues = {};
  for (const name of EVENT_SINGLE_FIELDS) values[name] = text(raw, name);
  for (const name of EVENT_LIST_FIELDS) values[name] = list(raw, name);
  values['organiser_add'] = text(raw, 'organiser_add');
  // The image the page carries (a new upload already stored, see image.ts) and the "remove" box.
  if (typeof raw['image'] === 'string') values['image'] = raw['image'];
  if (text(raw, 'remove_image') === '1') values['remove_image'] = '1';
  return values;
}
