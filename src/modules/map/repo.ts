import { type Kysely, sql } from 'kysely';
import type { Database, GeoPrecision } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { type DirectoryFilter, directorySelection } from '../organisations/index.js';

type Db = Kysely<Database>;

export interface MapPoint {
  id: string;
  slug: string;
  name: string;
  kind_code: string;
  latitude: number;
  longitude: number;
  geo_precision: GeoPrecision | null;
}

/** Every located organisation of the directory's filtered set (no paging). */
export async function locatedOrganisations(db: Db, dialect: Dialect, filter: DirectoryFilter, tokens: string[]): Promise<MapPoint[]> {
  const rows = await directorySelection(db, dialect, filter, tokens)
    .where('o.latitude', 'is not', null)
    .where('o.longitude', 'is not', null)
    .select(['o.id', 'o.slug', 'o.name', 'o.kind_code', 'o.latitude', 'o.longitude', 'o.geo_precision'])
    .execute();
  return rows.map((r) => ({ ...r, latitude: Number(r.latitude), longitude: Number(r.longitude) }));
}

/** Organisations of the filtered set per country of intervention. */
export async function countsPerCountry(db: Db, dialect: Dialect, filter: DirectoryFilter, tokens: string[]): Promise<Map<string, number>> {
  const rows = await directorySelection(db, dialect, filter, tokens)
    .innerJoin('organisation_countries as c', 'c.organisation_id', 'o.id')
    .select(['c.country_code as code', (eb) => eb.fn.count<number>('o.id').distinct().as('n')])
    .groupBy('c.country_code')
    .execute();
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}

/** How many organisations of the filtered set exist, and how many have a position. */
export async function filteredTotals(db: Db, dialect: Dialect, filter: DirectoryFilter, tokens: string[]): Promise<{ total: number; located: number }> {
  const row = await directorySelection(db, dialect, filter, tokens)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('o.latitude').as('located'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), located: Number(row.located) };
}

/**
 * A cheap fingerprint of the organisations table: it changes whenever an organisation is added,
 * removed, updated (updated_at) or moved (positions are summed, so a geocoded point changes it
 * without touching updated_at).
 */
export async function organisationsStamp(db: Db): Promise<string> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('updated_at').as('updated'),
      sql<number>`sum(coalesce(latitude, 0) * 7 + coalesce(longitude, 0) * 13)`.as('positions'),
    ])
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}|${String(row.updated ?? '')}|${Number(row.positions ?? 0).toFixed(6)}`;
}

export interface PlaceOfOrganisation {
  id: string;
  name: string;
  slug: string;
  address: string | null;
  postcode: string | null;
  commune_code: string | null;
  commune_name: string | null;
  department_code: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: GeoPrecision | null;
}

export async function placeOf(db: Db, id: string): Promise<PlaceOfOrganisation | undefined> {
  const row = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug', 'address', 'postcode', 'commune_code', 'commune_name', 'department_code', 'latitude', 'longitude', 'geo_precision'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...row,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
  };
}

/** Writes an organisation's position; false when there is no such organisation (deleted meanwhile). */
export async function setPosition(
  db: Db,
  id: string,
  position: { latitude: number | null; longitude: number | null; precision: GeoPrecision | null },
  updatedAt?: string,
): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({
      latitude: position.latitude,
      longitude: position.longitude,
      geo_precision: position.precision,
      ...(updatedAt ? { updated_at: updatedAt } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether the organisation still exists (its import may have been undone while it was geocoded). */
export async function organisationExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Geocoding jobs still to run, counted per organisation, and of those the ones a failure sent back to wait. */
export interface GeocodingBacklog {
  waiting: number;
  /**
   * Waiting after failing twice, or put off while the geocoder is known to be down (its breaker
   * open): one failure now and then, tried again seconds later, is not a geocoder out of reach.
   */
  failing: number;
  /** The latest failure among them, and when the next of them is due (null: one is due now). */
  lastFailureAt: string | null;
  nextTryAt: string | null;
}

/** Organisations placed at their département's chef-lieu (an approximate position), for the dashboard. */
export async function countAtDepartmentCentre(db: Db): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('geo_precision', '=', 'department')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function geocodingBacklog(db: Db, jobNames: readonly string[], now: Date): Promise<GeocodingBacklog> {
  // A job put off gives its attempt back (attempts 0 after its first claim); one that failed
  // twice has 2 or more.
  const failing = sql`last_error is not null and (attempts = 0 or attempts >= 2)`;
  // An organisation may have two jobs (its import's, then an address edit's): counted once.
  const row = await db
    .selectFrom('jobs')
    .select([
      sql<number>`count(distinct payload)`.as('waiting'),
      sql<number>`count(distinct case when ${failing} then payload end)`.as('failing'),
      // A running job's updated_at is when it was claimed: only queued ones tell when they failed.
      sql<string | null>`max(case when ${failing} and status = 'queued' then updated_at end)`.as('last_failure_at'),
      sql<string | null>`min(case when ${failing} and status = 'queued' then run_at end)`.as('next_try_at'),
    ])
    .where('name', 'in', [...jobNames])
    .where('status', 'in', ['queued', 'running'])
    // Only organisations still in the base (an undone import, a deletion, leave jobs that will
    // find nothing to do). A job's payload is `{ id }` as JSON.stringify writes it.
    .where(sql<boolean>`payload in (select '{"id":"' || id || '"}' from organisations)`)
    .executeTakeFirstOrThrow();
  const next = row.next_try_at;
  return {
    waiting: Number(row.waiting),
    failing: Number(row.failing),
    lastFailureAt: row.last_failure_at,
    nextTryAt: next && Date.parse(next) > now.getTime() ? next : null,
  };
}
