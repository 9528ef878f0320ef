import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { findDepartment, listDepartments } from '../../kernel/geo/communes.js';
import { taxonomies } from '../organisations/index.js';
import type { CallLabels, Option } from './labels.js';
import type { CallFilter } from './query.js';
import * as repo from './repo.js';
import { addDays, CLOSING_SOON_DAYS, parisToday } from './status.js';

export interface ListingDeps {
  db: Kysely<Database>;
  dialect: Dialect;
}

/** Calls closed within this many days still appear in the deadlines calendar. */
export const CALENDAR_PAST_DAYS = 90;

/** The clock values the status conditions compare with, at `now`. */
export function listClock(now: Date): repo.ListClock {
  return {
    now: now.toISOString(),
    soonUntil: addDays(parisToday(now), CLOSING_SOON_DAYS),
    recentSince: new Date(now.getTime() - CALENDAR_PAST_DAYS * 86_400_000).toISOString(),
  };
}

/**
 * The repository's filter for what a visitor asked: published calls; a country also matches the
 * zones it belongs to (and a zone its countries).
 *
 * Région and département ask « which calls can an actor of this territory answer? »: the calls
 * open there. A call's territories say where its applicants must be, so a département matches the
 * calls of that département and of its région (open to the whole région), a région the calls of
 * the région and of any of its départements (part of it), and both match the calls that name no
 * territory (national, European… calls, open everywhere).
 */
export async function visitorFilter(db: Kysely<Database>, f: CallFilter, status: repo.StatusCondition): Promise<repo.CallQueryFilter> {
  const places: repo.CallQueryFilter['places'] = [];
  if (f.countries.length || f.zones.length) {
    const { zoneCountries } = await taxonomies(db);
    if (f.countries.length) {
      places.push({ countries: f.countries, zones: [...new Set(zoneCountries.filter((z) => f.countries.includes(z.country_code)).map((z) => z.zone_code))] });
    }
    if (f.zones.length) {
      places.push({ countries: [...new Set(zoneCountries.filter((z) => f.zones.includes(z.zone_code)).map((z) => z.country_code))], zones: f.zones });
    }
  }
  const regions = new Set(f.regions);
  const departments = new Set(f.departments);
  for (const code of f.departments) {
    const region = findDepartment(code)?.region;
    if (region) regions.add(region);
  }
  for (const d of listDepartments()) if (f.regions.includes(d.region)) departments.add(d.code);
  return {
    tokens: f.tokens,
    status,
    publishedOnly: true,
    themes: f.themes,
    kinds: f.kinds,
    places,
    territory: { regions: [...regions], departments: [...departments] },
  };
}

/**
 * The country filter's options on a public list: the countries its calls name, directly or
 * through one of their zones (a country matches the calls of its zones), and the ones asked for.
 */
export async function offeredCountries(db: Kysely<Database>, labels: CallLabels, status: repo.StatusCondition, at: repo.ListClock, selected: string[]): Promise<Option[]> {
  const [places, { zoneCountries }] = await Promise.all([repo.publishedPlaceCodes(db, status, at), taxonomies(db)]);
  const codes = new Set([...places.countries, ...selected]);
  for (const z of zoneCountries) if (places.zones.includes(z.zone_code)) codes.add(z.country_code);
  return labels.countries.filter((o) => codes.has(o.value));
}

/** Links (themes…) of listed calls, for their cards. */
export async function themesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string[]>> {
  const links = await repo.linksOf(db, ids);
  return new Map([...links].map(([id, l]) => [id, l.themes]));
}
