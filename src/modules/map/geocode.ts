import type { Kysely } from 'kysely';
import type { Database, GeoPrecision } from '../../db/schema.js';
import { departmentCentre } from '../../kernel/geo/department-centres.js';
import type { GeocodeOutcome, Geocoder } from '../../kernel/geo/geocoder.js';
import * as repo from './repo.js';

/** Below this score, the geocoder's best answer is more likely wrong than right. */
export const MIN_SCORE = 0.4;

/** Thrown after the département fallback was stored, so that the job runner retries later. */
export class GeocoderUnreachable extends Error {
  constructor(reason: string) {
    super(`géocodeur injoignable (geocoder unreachable): ${reason}`);
    this.name = 'GeocoderUnreachable';
  }
}

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
 * The `organisations.geocode` job: the address → a point ('address'); else the commune → its
 * centre ('commune'); else, or when the geocoder cannot be reached, the département's chef-lieu
 * ('department', shown as approximate). A position placed by hand ('manual') is kept. When the
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

  let unreachable: string | null = null;
  const note = (outcome: GeocodeOutcome) => {
    if (outcome.status === 'unreachable') unreachable ??= outcome.reason;
  };

  if (place.address && place.address.trim()) {
    const outcome = await deps.geocoder.search({
      q: [place.address, place.postcode, place.commune_name].filter(Boolean).join(' '),
      postcode: place.postcode,
      citycode: place.commune_code,
    });
    note(outcome);
    if (outcome.status === 'found' && outcome.hit.score >= MIN_SCORE) {
      const precision: GeoPrecision = outcome.hit.type === 'municipality' ? 'commune' : 'address';
      return store(deps, place, precision, outcome.hit.lat, outcome.hit.lng, false);
    }
  }

  if (unreachable === null && (place.commune_name || place.commune_code)) {
    const outcome = await deps.geocoder.search({
      q: place.commune_name ?? place.commune_code ?? '',
      citycode: place.commune_code,
      type: 'municipality',
    });
    note(outcome);
    if (outcome.status === 'found' && outcome.hit.score >= MIN_SCORE) {
      return store(deps, place, 'commune', outcome.hit.lat, outcome.hit.lng, false);
    }
  }

  const centre = departmentCentre(place.department_code);
  let result: GeocodeResult = centre
    ? await store(deps, place, 'department', centre.lat, centre.lng, unreachable !== null)
    : { precision: null, retry: unreachable !== null };
  if (!centre && place.geo_precision !== null) {
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
