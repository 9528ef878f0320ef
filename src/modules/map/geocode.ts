import type { Kysely } from 'kysely';
import type { Database, GeoPrecision } from '../../db/schema.js';
import type { Geocoder } from '../../kernel/geo/geocoder.js';
import { GeocoderUnreachable, locatePlace } from '../../kernel/geo/locate-place.js';
import * as repo from './repo.js';


export interface GeocodeDeps {
  db: Kysely<Database>;
  geocoder: Geocoder;
  /** Called after a position was written (the map's cluster cache listens). */
  onMoved?: () => void;
}

export type GeocodeResult =
  | { precision: GeoPrecision; latitude: number; longitude: number; retry: boolean }
  | { precision: null; retry: boolean; skipped?: 'missing' | 'manual' };

/** The organisation is gone: nothing was stored, nothing is to be tried again. */
const MISSING: GeocodeResult = Object.freeze({ precision: null, retry: false, skipped: 'missing' });

/**
 * The `organisations.geocode` job: the place located by `locatePlace` (the address → a point; else
 * the commune's centre; else, or when the geocoder cannot be reached, the département's chef-lieu,
 * shown as approximate). A position placed by hand ('manual') is kept. When the
 * geocoder was unreachable the fallback is stored and GeocoderUnreachable is thrown: the job
 * runner tries again later with backoff.
 *
 * An organisation that no longer exists (its import undone, before or while the geocoder was
 * asked) is skipped ('missing'), without error: nothing is stored, and there is nothing to try again.
 */
export async function geocodeOrganisation(deps: GeocodeDeps, id: string): Promise<GeocodeResult> {
  const place = await repo.placeOf(deps.db, id);
  if (!place) return MISSING;
  if (place.geo_precision === 'manual') return { precision: null, retry: false, skipped: 'manual' };

  const { position, unreachable } = await locatePlace(deps.geocoder, {
    address: place.address,
    postcode: place.postcode,
    communeCode: place.commune_code,
    communeName: place.commune_name,
    departmentCode: place.department_code,
  });
  // A found address or commune comes with `unreachable` null: only the département's fallback is tried again.
  let result: GeocodeResult = position
    ? await store(deps, place, position.precision, position.latitude, position.longitude, unreachable !== null)
    : { precision: null, retry: unreachable !== null };
  if (!position && place.geo_precision !== null) {
    // Nothing known any more (no département): the old position no longer describes the place.
    if (await repo.setPosition(deps.db, id, { latitude: null, longitude: null, precision: null })) deps.onMoved?.();
    else result = MISSING;
  }
  if (unreachable !== null) {
    // Deleted while the geocoder was asked: no later try would find it.
    if (result === MISSING || !(await repo.organisationExists(deps.db, id))) return MISSING;
    throw new GeocoderUnreachable(unreachable);
  }
  return result;
}

async function store(deps: GeocodeDeps, place: repo.PlaceOfOrganisation, precision: GeoPrecision, latitude: number, longitude: number, retry: boolean): Promise<GeocodeResult> {
  // A job waiting for the geocoder stores the same fallback at each try: nothing moved.
  if (place.latitude !== latitude || place.longitude !== longitude || place.geo_precision !== precision) {
    if (!(await repo.setPosition(deps.db, place.id, { latitude, longitude, precision }))) return MISSING;
    deps.onMoved?.();
  }
  return { precision, latitude, longitude, retry };
}
