import type { Kysely, Transaction } from 'kysely';
import { inPerson, positionTypedByPerson } from './place.js';
import type { Database, EventGeoPrecision, EventStatus, Visibility } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import { type Jobs, queueingIn } from '../../kernel/jobs/index.js';
import { findCommune, findDepartment } from '../../kernel/geo/communes.js';
import { newId } from '../../kernel/ids.js';
import { slugify } from '../../kernel/identifiers.js';
import { foldText, indexText, searchTokens } from '../../kernel/search/normalise.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { findOrganisationBySlug, organisationsByIds, searchDirectory, taxonomies } from '../organisations/index.js';
import { queueCancellationNotices } from './cancellation.js';
import { queueEventGeocoding } from './geocode.js';
import * as repo from './repo.js';
import type { AgendaEvent } from './types.js';
import { type EventDraft, type EventTaxonomies, type FieldProblem, list, type Problems, type StartRule, text, validateEvent } from './validate.js';
import { resolveEventImage } from './image.js';
import type { ImageDeps } from '../../kernel/files/images.js';

export interface EventsDeps {
  db: Kysely<Database>;
  clock: Clock;
  dbHandle: { dialect: Dialect };
  /** Queues what a change tells people (an event's cancellation, to those registered). */
  jobs: Jobs;
}

export type EventTypeLabels = Awaited<ReturnType<typeof repo.loadEventTypes>>;

let typesCache: { at: number; value: EventTypeLabels } | null = null;

/** Event types change rarely (admins edit them): cached for a minute per process. */
export async function eventTypes(db: Kysely<Database>): Promise<EventTypeLabels> {
  if (typesCache && Date.now() - typesCache.at < 60_000) return typesCache.value;
  typesCache = { at: Date.now(), value: await repo.loadEventTypes(db) };
  return typesCache.value;
}

export async function eventTaxonomies(db: Kysely<Database>): Promise<EventTaxonomies> {
  const [types, t] = await Promise.all([eventTypes(db), taxonomies(db)]);
  return { types: types.map((x) => x.code), themes: t.themes.map((x) => x.code) };
}

/** The organisations a form names: ticked ids, and names or slugs typed in `organiser_add` (one per line or `;`). */
export async function resolveOrganisers(
  deps: Pick<EventsDeps, 'db' | 'dbHandle'>,
  raw: Record<string, unknown>,
  visibility: Visibility[],
): Promise<{ ids: string[]; problem?: FieldProblem }> {
  const ticked = list(raw, 'organisers');
  const known = await organisationsByIds(deps.db, ticked);
  const ids = known.map((o) => o.id);
  if (known.length !== ticked.length) return { ids, problem: { key: 'events.error.organiserUnknown', params: { name: ticked.filter((id) => !ids.includes(id)).join(', ') } } };
  for (const typed of text(raw, 'organiser_add').split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const found = await findOrganiser(deps, typed, visibility);
    if (found.ok) {
      if (!ids.includes(found.id)) ids.push(found.id);
      continue;
    }
    return found.candidates.length
      ? { ids, problem: { key: 'events.error.organiserAmbiguous', params: { name: typed, candidates: found.candidates.slice(0, 5).join(' ; ') } } }
      : { ids, problem: { key: 'events.error.organiserUnknown', params: { name: typed } } };
  }
  if (ids.length > 20) return { ids, problem: { key: 'events.error.organisersCount' } };
  return { ids };
}

async function findOrganiser(
  deps: Pick<EventsDeps, 'db' | 'dbHandle'>,
  typed: string,
  visibility: Visibility[],
): Promise<{ ok: true; id: string } | { ok: false; candidates: string[] }> {
  const bySlug = await findOrganisationBySlug(deps.db, typed);
  if (bySlug && visibility.includes(bySlug.organisation.visibility)) return { ok: true, id: bySlug.organisation.id };
  const tokens = searchTokens(typed);
  if (!tokens.length) return { ok: false, candidates: [] };
  const { rows } = await searchDirectory(
    deps.db,
    deps.dbHandle.dialect,
    { q: typed, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility, sort: 'relevance', limit: 20, offset: 0 },
    tokens,
  );
  const folded = foldText(typed).trim();
  const exact = rows.filter((o) => foldText(o.name).trim() === folded || (o.acronym && foldText(o.acronym).trim() === folded));
  if (exact.length === 1) return { ok: true, id: exact[0]!.id };
  if (rows.length === 1) return { ok: true, id: rows[0]!.id };
  return { ok: false, candidates: (exact.length ? exact : rows).map((o) => (o.commune_name ? `${o.name} (${o.commune_name})` : o.name)) };
}

/**
 * Validates an event form: taxonomies and organisers come from the database. A new image is
 * stored at once (and `raw` then carries it, so that a form refused for another field keeps it);
 * it goes live only with the event written from the draft.
 */
export async function checkEvent(
  deps: Pick<EventsDeps, 'db' | 'dbHandle'> & ImageDeps,
  raw: Record<string, unknown>,
  visibility: Visibility[] = ['public', 'members', 'staff'],
  uploaderId: string | null = null,
  startRule?: StartRule,
): Promise<{ ok: true; draft: EventDraft } | { ok: false; errors: Problems }> {
  const [t, organisers, image] = await Promise.all([eventTaxonomies(deps.db), resolveOrganisers(deps, raw, visibility), resolveEventImage(deps, raw, uploaderId)]);
  const checked = validateEvent(raw, t, organisers, startRule);
  if (!image.ok) return { ok: false, errors: { ...(checked.ok ? {} : checked.errors), [image.field]: image.problem } };
  if (!checked.ok) return checked;
  const draft: EventDraft = { ...checked.draft, image_alt: image.fileId === null ? null : checked.draft.image_alt };
  if (image.fileId !== undefined) draft.image_file_id = image.fileId;
  return { ok: true, draft };
}

/** The image columns a draft writes: none when it says nothing of the image (the event keeps its own). */
function imageColumns(d: EventDraft): { image_file_id?: string | null; image_alt?: string | null } {
  if (d.image_file_id === undefined) return {};
  return { image_file_id: d.image_file_id, image_alt: d.image_file_id ? d.image_alt : null };
}

/** Normalised title, summary, venue, commune and département for searches (kernel/search). */
export function searchTextOf(d: Pick<EventDraft, 'title' | 'summary' | 'venue' | 'commune_code' | 'department_code'>): string {
  return indexText(d.title, d.summary, d.venue, d.commune_code ? findCommune(d.commune_code)?.name : null, d.department_code ? findDepartment(d.department_code)?.name : null);
}

async function uniqueSlug(db: Kysely<Database>, title: string, startsAt: Date, timeZone: string, exceptId?: string): Promise<string> {
  const base = `${slugify(title).slice(0, 70).replace(/-+$/, '')}-${toLocalInputs(startsAt, timeZone).date}`;
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!(await repo.slugTaken(db, candidate, exceptId))) return candidate;
  }
}

function columns(d: EventDraft) {
  return {
    title: d.title,
    summary: d.summary,
    description_html: d.description_html,
    type_code: d.type_code,
    starts_at: d.starts_at.toISOString(),
    ends_at: d.ends_at.toISOString(),
    all_day: d.all_day ? 1 : 0,
    time_zone: d.time_zone,
    venue: d.venue,
    address: d.address,
    postcode: d.postcode,
    commune_code: d.commune_code,
    department_code: d.department_code,
    online_url: d.online_url,
    online_url_private: d.online_url_private ? 1 : 0,
    audience: d.audience,
    price_note: d.price_note,
    search_text: searchTextOf(d),
  };
}

/** The fields the audit log compares. */
export function eventSnapshot(e: AgendaEvent): Record<string, unknown> {
  const { organisers, themes, countries, sdgs } = e;
  const picked: Record<string, unknown> = {};
  for (const key of [
    'slug', 'title', 'summary', 'description_html', 'type_code', 'status', 'starts_at', 'ends_at', 'all_day', 'time_zone', 'venue', 'address', 'postcode',
    'commune_code', 'department_code', 'latitude', 'longitude', 'online_url', 'online_url_private', 'image_file_id', 'image_alt', 'audience', 'price_note', 'series_id', 'source',
  ] as const) {
    picked[key] = e[key] ?? null;
  }
  return { ...picked, organisers: [...organisers].sort(), themes, countries, sdgs };
}

/** A position typed by a person (in the form, or given by a proposal). */
function typedPosition(d: Pick<EventDraft, 'latitude' | 'longitude'>): boolean {
  return d.latitude !== null && d.longitude !== null;
}

const NO_POSITION = { latitude: null, longitude: null, geo_precision: null } as const;

/**
 * The position columns a draft writes (none: the event keeps its own), and whether its place is
 * then to be geocoded (geocode.ts, a job: never during the request). A position typed by a person
 * is kept as 'manual'; an event online only has none; a new place is geocoded, the former position
 * staying until the geocoder answers, as for organisations; emptied coordinates give the position
 * back to the geocoder. An event in person that was never placed is asked again at each save.
 */
export function positionOfDraft(
  d: EventDraft,
  before?: Pick<AgendaEvent, 'address' | 'postcode' | 'commune_code' | 'latitude' | 'longitude' | 'geo_precision'>,
): { columns?: { latitude: number | null; longitude: number | null; geo_precision: EventGeoPrecision | null }; geocode: boolean } {
  if (typedPosition(d)) return { columns: { latitude: d.latitude, longitude: d.longitude, geo_precision: 'manual' }, geocode: false };
  if (!inPerson(d)) return { columns: NO_POSITION, geocode: false };
  if (!before) return { columns: NO_POSITION, geocode: true };
  if (positionTypedByPerson(before)) return { columns: NO_POSITION, geocode: true };
  const samePlace = before.address === d.address && before.postcode === d.postcode && before.commune_code === d.commune_code;
  if (samePlace) return { geocode: before.latitude === null && before.geo_precision === null };
  return { geocode: true };
}

export interface CreateOptions {
  status?: EventStatus;
  source?: 'staff' | 'member' | 'feed' | 'demo';
  seriesId?: string | null;
  feed?: { id: string; uid: string } | null;
  /** Audit action (default `event.created`). */
  action?: string;
  /** A position already known from local data (the demo's): written as it is, and the geocoder not asked. */
  position?: { latitude: number; longitude: number; precision: EventGeoPrecision };
}

/**
 * Creates an event (a draft unless told otherwise), audit-logged: the row, its links and its log
 * line in one transaction (the caller's when `deps.db` is one: an approved proposal).
 */
export async function createEvent(deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, draft: EventDraft, options: CreateOptions = {}): Promise<AgendaEvent> {
  // Inside a transaction only `trx` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const created = await createEventIn({ db: trx, clock: deps.clock }, actor, draft, options);
    // Queued with the row: never an event in person left unplaced because the queueing failed after it.
    if (!options.position && positionOfDraft(draft).geocode) await queueEventGeocoding(queueingIn(deps.jobs, trx), [created.id], deps.clock.now());
    return created;
  });
}

/**
 * `createEvent` inside the caller's transaction (`deps.db`), so that several events (the dates of
 * a series) are written all together or not at all. The caller queues the geocoding of its place
 * (`positionOfDraft`): the dates of a series share one.
 */
export async function createEventIn(deps: { db: Transaction<Database>; clock: Clock }, actor: AuditActor, draft: EventDraft, options: CreateOptions = {}): Promise<AgendaEvent> {
  const now = deps.clock.now();
  const id = newId(now.getTime());
  const status = options.status ?? 'draft';
  const slug = await uniqueSlug(deps.db, draft.title, draft.starts_at, draft.time_zone);
  await repo.insertEvent(
    deps.db,
    {
      id,
      slug,
      ...columns(draft),
      ...(options.position
        ? { latitude: options.position.latitude, longitude: options.position.longitude, geo_precision: options.position.precision }
        : positionOfDraft(draft).columns),
      status,
      source: options.source ?? 'staff',
      series_id: options.seriesId ?? null,
      image_file_id: draft.image_file_id ?? null,
      image_alt: draft.image_file_id ? draft.image_alt : null,
      // Registrations stay closed until staff open them (registrations module).
      registration_open: 0,
      registration_deadline: null,
      capacity: null,
      waitlist_enabled: 1,
      account_required: 0,
      questions: '[]',
      feed_id: options.feed?.id ?? null,
      feed_uid: options.feed?.uid ?? null,
      created_by: actor.id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      published_at: status === 'published' ? now.toISOString() : null,
    },
    draft.links,
  );
  const created = (await repo.findEventById(deps.db, id))!;
  await recordAudit(deps.db, actor, { action: options.action ?? 'event.created', entityType: 'event', entityId: id, after: eventSnapshot(created) }, now);
  return created;
}

/**
 * Rewrites an event's fields and links; a new title or date moves the slug (the old one redirects).
 * The row, its links, the old slug and the log line are written in one transaction (the caller's
 * when `deps.db` is one: an approved proposal): when the database refuses any of it, the event
 * stays as it was.
 */
export async function updateEvent(deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, id: string, draft: EventDraft, action = 'event.updated'): Promise<AgendaEvent | undefined> {
  const now = deps.clock.now();
  // Inside the transaction only `trx` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const before = await repo.findEventById(trx, id);
    if (!before) return undefined;
    const sameDay = toLocalInputs(new Date(before.starts_at), before.time_zone).date === toLocalInputs(draft.starts_at, draft.time_zone).date;
    const slug = draft.title === before.title && sameDay ? before.slug : await uniqueSlug(trx, draft.title, draft.starts_at, draft.time_zone, id);
    const position = positionOfDraft(draft, before);
    await repo.updateEventRow(trx, id, { ...columns(draft), ...position.columns, ...imageColumns(draft), slug, updated_at: now.toISOString() }, draft.links);
    // A new place is geocoded: the job exists if and only if the place was written.
    if (position.geocode) await queueEventGeocoding(queueingIn(deps.jobs, trx), [id], now);
    const after = (await repo.findEventById(trx, id))!;
    await recordAudit(trx, actor, { action, entityType: 'event', entityId: id, before: eventSnapshot(before), after: eventSnapshot(after) }, now);
    return after;
  });
}

/** The transitions staff make from the event's page. */
export const STATUS_ACTIONS = { publish: 'published', cancel: 'cancelled', postpone: 'postponed', unpublish: 'draft' } as const satisfies Record<string, EventStatus>;
export type StatusAction = keyof typeof STATUS_ACTIONS;

export function isStatusAction(value: unknown): value is StatusAction {
  return typeof value === 'string' && Object.hasOwn(STATUS_ACTIONS, value);
}

/**
 * Publishes, cancels, postpones or takes back to draft; audit-logged. Undefined when the event is
 * gone. The status and its log line are one transaction: refused, the event keeps its status. A
 * cancellation queues, in that transaction, the notices to the people registered (cancellation.ts).
 */
export async function changeEventStatus(deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, id: string, action: StatusAction): Promise<AgendaEvent | undefined> {
  return (await changeStatus(deps, actor, id, action, null))?.event;
}

/**
 * Cancels an event (confirmed by staff, who may write to the people registered): the status, its
 * log line and the notices to every person registered or waiting, all or nothing. `notified`: how
 * many people will be told (none when the event was cancelled already).
 */
export async function cancelEvent(deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, id: string, message: string | null): Promise<{ event: AgendaEvent; notified: number } | undefined> {
  return changeStatus(deps, actor, id, 'cancel', message);
}

async function changeStatus(
  deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>,
  actor: AuditActor,
  id: string,
  action: StatusAction,
  message: string | null,
): Promise<{ event: AgendaEvent; notified: number } | undefined> {
  // Inside the transaction only `trx` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const before = await repo.findEventById(trx, id);
    if (!before) return undefined;
    const status = STATUS_ACTIONS[action];
    if (before.status === status) return { event: before, notified: 0 };
    const now = deps.clock.now().toISOString();
    await repo.setStatus(trx, id, { status, updated_at: now, ...(status === 'published' && !before.published_at ? { published_at: now } : {}) });
    await recordAudit(trx, actor, { action: `event.${action}`, entityType: 'event', entityId: id, before: { status: before.status }, after: { status } }, deps.clock.now());
    const event = (await repo.findEventById(trx, id))!;
    const notified = status === 'cancelled' ? await queueCancellationNotices({ db: trx, jobs: queueingIn(deps.jobs, trx), clock: deps.clock }, [event], message) : 0;
    return { event, notified };
  });
}

/** The draft of a stored event, to prefill forms and compare proposals. */
export function draftOfEvent(e: AgendaEvent): EventDraft {
  const typed = positionTypedByPerson(e);
  return {
    title: e.title,
    summary: e.summary,
    description_html: e.description_html,
    type_code: e.type_code,
    all_day: e.all_day === 1,
    starts_at: new Date(e.starts_at),
    ends_at: new Date(e.ends_at),
    time_zone: e.time_zone,
    venue: e.venue,
    address: e.address,
    postcode: e.postcode,
    commune_code: e.commune_code,
    department_code: e.department_code,
    // Only a position typed by a person: a geocoded one is the geocoder's, found again when the place changes.
    latitude: typed ? Number(e.latitude) : null,
    longitude: typed ? Number(e.longitude) : null,
    online_url: e.online_url,
    online_url_private: e.online_url_private === 1,
    audience: e.audience,
    price_note: e.price_note,
    image_file_id: e.image_file_id,
    image_alt: e.image_alt,
    links: { organisers: e.organisers, themes: e.themes, countries: e.countries, sdgs: e.sdgs },
  };
}

/** Labels of the event form: types, themes and SDGs, and the names of the organisations it shows. */
export async function eventFormLabels(db: Kysely<Database>, organisationIds: string[]) {
  const [types, t, organisations] = await Promise.all([eventTypes(db), taxonomies(db), organisationsByIds(db, [...new Set(organisationIds)])]);
  return { types, themes: t.themes, sdgs: t.sdgs, organisations: organisations.map((o) => ({ id: o.id, name: o.name })) };
}
