import { type ExpressionBuilder, type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, EventGeoPrecision, EventsTable } from '../../db/schema.js';
import { SEATED_STATUSES } from './registration-state.js';
import { type AgendaEvent, EMPTY_EVENT_LINKS, type EventLinks, type EventRow } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

// ---------- Version ----------

/** The version the database moves on every change to events and their links (migration 1200). */
export async function readAgendaVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('change_counters').select('version').where('name', '=', 'agenda').executeTakeFirst();
  return String(row?.version ?? '');
}

/**
 * The agenda's version with the seats' (moved by every registration added, deleted or changed of
 * status, migration 1730), in one read: pages that say « N places restantes » or « Complet ».
 */
export async function readAgendaSeatsVersion(db: Db): Promise<string> {
  const rows = await db.selectFrom('change_counters').select(['name', 'version']).where('name', 'in', ['agenda', 'registrations']).execute();
  const of = (name: string) => String(rows.find((r) => r.name === name)?.version ?? '');
  return `${of('agenda')}.${of('registrations')}`;
}

// ---------- Reads ----------

/** Seats held at each of these events (statuses of `SEATED_STATUSES`), in one query; an event nobody holds a seat at is absent. */
export async function seatedCounts(db: Db, eventIds: string[]): Promise<Map<string, number>> {
  if (!eventIds.length) return new Map();
  const rows = await db
    .selectFrom('registrations')
    .select(['event_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('event_id', 'in', eventIds)
    .where('status', 'in', SEATED_STATUSES)
    .groupBy('event_id')
    .execute();
  return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
}

async function linksOf(db: Db, ids: string[]): Promise<Map<string, EventLinks>> {
  const map = new Map<string, EventLinks>(ids.map((id) => [id, { organisers: [], themes: [], countries: [], sdgs: [] }]));
  if (ids.length === 0) return map;
  const [organisers, themes, countries, sdgs] = await Promise.all([
    db
      .selectFrom('event_organisers as eo')
      .innerJoin('organisations as o', 'o.id', 'eo.organisation_id')
      .select(['eo.event_id', 'eo.organisation_id as v'])
      .where('eo.event_id', 'in', ids)
      .orderBy('o.sort_name')
      .execute(),
    db.selectFrom('event_themes').select(['event_id', 'theme_code as v']).where('event_id', 'in', ids).orderBy('theme_code').execute(),
    db.selectFrom('event_countries').select(['event_id', 'country_code as v']).where('event_id', 'in', ids).orderBy('country_code').execute(),
    db.selectFrom('event_sdgs').select(['event_id', 'sdg_code as v']).where('event_id', 'in', ids).orderBy('sdg_code').execute(),
  ]);
  for (const r of organisers) map.get(r.event_id)?.organisers.push(r.v);
  for (const r of themes) map.get(r.event_id)?.themes.push(r.v);
  for (const r of countries) map.get(r.event_id)?.countries.push(r.v);
  for (const r of sdgs) map.get(r.event_id)?.sdgs.push(Number(r.v));
  return map;
}

export async function withEventLinks(db: Db, rows: EventRow[]): Promise<AgendaEvent[]> {
  const links = await linksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, ...(links.get(r.id) ?? EMPTY_EVENT_LINKS) }));
}

export async function findEventById(db: Db, id: string): Promise<AgendaEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withEventLinks(db, [row]))[0] : undefined;
}

/** By current slug, or by an old slug (then `redirectTo` names the current one). */
export async function findEventBySlug(db: Db, slug: string): Promise<{ event: AgendaEvent; redirectTo?: string } | undefined> {
  const row = await db.selectFrom('events').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (row) return { event: (await withEventLinks(db, [row]))[0]! };
  const old = await db.selectFrom('event_slugs').select('event_id').where('slug', '=', slug).executeTakeFirst();
  if (!old) return undefined;
  const event = await findEventById(db, old.event_id);
  return event ? { event, redirectTo: event.slug } : undefined;
}

export async function eventsByIds(db: Db, ids: string[]): Promise<AgendaEvent[]> {
  if (!ids.length) return [];
  const order = new Map(ids.map((id, i) => [id, i]));
  const rows = await db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  return withEventLinks(
    db,
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
}

export async function findEventByFeedUid(db: Db, feedId: string, uid: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('feed_id', '=', feedId).where('feed_uid', '=', uid).executeTakeFirst();
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('events').select('id').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const [own, old] = await Promise.all([
    q.executeTakeFirst(),
    db.selectFrom('event_slugs').select('event_id').where('slug', '=', slug).executeTakeFirst(),
  ]);
  return own !== undefined || (old !== undefined && old.event_id !== exceptId);
}

// ---------- Writes ----------

async function writeLinks(db: Db, id: string, links: EventLinks): Promise<void> {
  await db.deleteFrom('event_organisers').where('event_id', '=', id).execute();
  await db.deleteFrom('event_themes').where('event_id', '=', id).execute();
  await db.deleteFrom('event_countries').where('event_id', '=', id).execute();
  await db.deleteFrom('event_sdgs').where('event_id', '=', id).execute();
  const unique = <T>(values: T[]) => [...new Set(values)];
  if (links.organisers.length)
    await db.insertInto('event_organisers').values(unique(links.organisers).map((organisation_id) => ({ event_id: id, organisation_id }))).execute();
  if (links.themes.length) await db.insertInto('event_themes').values(unique(links.themes).map((theme_code) => ({ event_id: id, theme_code }))).execute();
  if (links.countries.length)
    await db.insertInto('event_countries').values(unique(links.countries).map((country_code) => ({ event_id: id, country_code }))).execute();
  if (links.sdgs.length) await db.insertInto('event_sdgs').values(unique(links.sdgs).map((sdg_code) => ({ event_id: id, sdg_code }))).execute();
}

export async function insertEvent(db: Db, row: Insertable<EventsTable>, links: EventLinks): Promise<void> {
  await db.insertInto('events').values(row).execute();
  await writeLinks(db, row.id, links);
}

/** Updates the row, and the links when given; a slug change keeps the old slug as a redirect. */
export async function updateEventRow(db: Db, id: string, patch: Updateable<EventsTable>, links?: EventLinks): Promise<void> {
  if (patch.slug) {
    const current = await db.selectFrom('events').select('slug').where('id', '=', id).executeTakeFirst();
    if (current && current.slug !== patch.slug) {
      await db.deleteFrom('event_slugs').where('slug', '=', patch.slug).execute();
      await db
        .insertInto('event_slugs')
        .values({ slug: current.slug, event_id: id })
        .onConflict((oc) => oc.column('slug').doUpdateSet({ event_id: id }))
        .execute();
    }
  }
  if (Object.keys(patch).length) await db.updateTable('events').set(patch).where('id', '=', id).execute();
  if (links) await writeLinks(db, id, links);
}

// ---------- Taxonomy ----------

export async function loadEventTypes(db: Db) {
  return db.selectFrom('event_types').select(['code', 'label_fr', 'label_en']).orderBy('position').execute();
}

// ---------- Status ----------

export async function setStatus(db: Db, id: string, patch: Updateable<EventsTable>): Promise<void> {
  await db.updateTable('events').set(patch).where('id', '=', id).execute();
}

// ---------- Series ----------

export async function insertSeries(db: Db, row: { id: string; rule: string; created_by: string | null; created_at: string }): Promise<void> {
  await db.insertInto('event_series').values(row).execute();
}

export async function findSeries(db: Db, id: string) {
  return db.selectFrom('event_series').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function occurrencesOf(db: Db, seriesId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'slug', 'title', 'status', 'starts_at', 'ends_at', 'all_day', 'updated_at', 'created_at'])
    .where('series_id', '=', seriesId)
    .orderBy('starts_at')
    .execute();
}

// ---------- Back office list ----------

export interface StaffEventFilter {
  statuses: string[];
  types: string[];
  /** upcoming: not ended yet; past: ended. */
  period: 'upcoming' | 'past' | 'all';
  /** Normalised tokens matched as prefixes in `search_text`. */
  tokens: string[];
  organisationId?: string;
  source?: string;
  now: string;
  limit: number;
  offset: number;
}

export async function listEvents(db: Db, f: StaffEventFilter): Promise<{ rows: EventRow[]; total: number }> {
  let q = db.selectFrom('events as e');
  if (f.statuses.length) q = q.where('e.status', 'in', f.statuses as EventRow['status'][]);
  if (f.types.length) q = q.where('e.type_code', 'in', f.types);
  if (f.period === 'upcoming') q = q.where('e.ends_at', '>', f.now);
  if (f.period === 'past') q = q.where('e.ends_at', '<=', f.now);
  if (f.source) q = q.where('e.source', '=', f.source);
  if (f.organisationId) {
    const org = f.organisationId;
    q = q.where((eb) => eb.exists(eb.selectFrom('event_organisers as eo').select('eo.event_id').whereRef('eo.event_id', '=', 'e.id').where('eo.organisation_id', '=', org)));
  }
  for (const token of f.tokens) {
    // Tokens are normalised (letters and digits only): safe inside a LIKE pattern.
    q = q.where((eb) => eb.or([eb('e.search_text', 'like', `${token}%`), eb('e.search_text', 'like', `% ${token}%`)]));
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll('e')
      .orderBy('e.starts_at', f.period === 'past' ? 'desc' : 'asc')
      .orderBy('e.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Events organised by any of these organisations, latest first (a member's space). */
export async function eventsOfOrganisations(db: Db, organisationIds: string[], limit = 200): Promise<EventRow[]> {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('events as e')
    .selectAll('e')
    .where((eb) => eb.exists(eb.selectFrom('event_organisers as eo').select('eo.event_id').whereRef('eo.event_id', '=', 'e.id').where('eo.organisation_id', 'in', organisationIds)))
    .orderBy('e.starts_at', 'desc')
    .limit(limit)
    .execute();
}

/** An event's image file with the event's status (who may see it), or undefined when it has none. */
export async function eventImage(db: Db, id: string) {
  return db
    .selectFrom('events as e')
    .innerJoin('files as f', 'f.id', 'e.image_file_id')
    .select(['e.status', 'f.id as file_id', 'f.storage_path', 'f.mime'])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

// ---------- Position (geocode.ts) ----------

/** What the geocoding of an event reads: its place and the position it has. */
export type EventPlace = Pick<EventRow, 'id' | 'address' | 'postcode' | 'commune_code' | 'department_code' | 'latitude' | 'longitude' | 'geo_precision'>;

export async function placesOfEvents(db: Db, ids: string[]): Promise<EventPlace[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('events')
    .select(['id', 'address', 'postcode', 'commune_code', 'department_code', 'latitude', 'longitude', 'geo_precision'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({ ...r, latitude: r.latitude === null ? null : Number(r.latitude), longitude: r.longitude === null ? null : Number(r.longitude) }));
}

/**
 * Writes a geocoded position, only while the event still has the place that was geocoded and no
 * position typed by a person (an edit made while the geocoder was asked wins). False when nothing
 * was written.
 */
export async function setGeocodedPosition(
  db: Db,
  place: Pick<EventPlace, 'id' | 'address' | 'postcode' | 'commune_code'>,
  position: { latitude: number | null; longitude: number | null; precision: EventGeoPrecision | null },
): Promise<boolean> {
  const same = (column: 'address' | 'postcode' | 'commune_code', value: string | null) =>
    (eb: ExpressionBuilder<Database, 'events'>) => (value === null ? eb(column, 'is', null) : eb(column, '=', value));
  const result = await db
    .updateTable('events')
    .set({ latitude: position.latitude, longitude: position.longitude, geo_precision: position.precision })
    .where('id', '=', place.id)
    .where(same('address', place.address))
    .where(same('postcode', place.postcode))
    .where(same('commune_code', place.commune_code))
    .where((eb) => eb.or([eb('geo_precision', 'is', null), eb('geo_precision', '!=', 'manual')]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether a geocoding of the event waits or runs (its job's payload names the event's id). */
export async function geocodingQueued(db: Db, jobName: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', jobName)
    .where('status', 'in', ['queued', 'running'])
    // Ids are UUIDs: nothing to escape in the pattern.
    .where('payload', 'like', `%"${id}"%`)
    .executeTakeFirst();
  return row !== undefined;
}

/** A geocoding of the event `e` waits or runs: its job's payload names the event's id. */
function geocodingJobFor(eb: ExpressionBuilder<Database & { e: EventsTable }, 'e'>, jobName: string) {
  return eb.exists(
    eb
      .selectFrom('jobs as j')
      .select('j.id')
      .where('j.name', '=', jobName)
      .where('j.status', 'in', ['queued', 'running'])
      .where('j.payload', 'like', sql<string>`'%"' || e.id || '"%'`),
  );
}

/** Events to come held in person (an address or a commune). */
function upcomingInPerson(db: Db, now: string) {
  return db
    .selectFrom('events as e')
    .where('e.ends_at', '>', now)
    .where((eb) => eb.or([eb('e.address', 'is not', null), eb('e.commune_code', 'is not', null)]));
}

/**
 * Events to come, in person, that were never placed: no position, none looked up, and no
 * geocoding waiting for them (events from before the geocoding, or whose job gave up). At most
 * `limit`, soonest first.
 */
export async function eventsNeverPlaced(db: Db, jobName: string, now: string, limit: number): Promise<string[]> {
  const rows = await upcomingInPerson(db, now)
    .select('e.id')
    .where('e.latitude', 'is', null)
    .where('e.geo_precision', 'is', null)
    .where((eb) => eb.not(geocodingJobFor(eb, jobName)))
    .orderBy('e.starts_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Events to come, in person, whose place is still to be found: a geocoding waits for them, or they were never placed (the daily sweep queues them). */
export async function countEventsAwaitingPlace(db: Db, jobName: string, now: string): Promise<number> {
  const row = await upcomingInPerson(db, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb.and([eb('e.latitude', 'is', null), eb('e.geo_precision', 'is', null)]), geocodingJobFor(eb, jobName)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
