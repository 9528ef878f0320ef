import type { Clock } from '../clock.js';
import { JobPostponed } from '../jobs/index.js';
import { departmentCentre } from './department-centres.js';
import { type GeocodeOutcome, Geocoder } from './geocoder.js';

/** Thrown by a geocoding after its fallback was stored, so that the job runner tries again later. */
export class GeocoderUnreachable extends Error {
  constructor(reason: string) {
    super(`géocodeur injoignable (geocoder unreachable): ${reason}`);
    this.name = 'GeocoderUnreachable';
  }
}

/**
 * What a geocoding job throws for `error`: while the geocoder is not asked (its breaker open), a
 * postponement to its next probe, so that the job waits with the approximate position stored and
 * keeps its attempts (decision 0020: an import's thousands of jobs would otherwise use them all up
 * during one outage); any other error as it is.
 */
export function geocodingJobError(geocoder: Geocoder, error: unknown): unknown {
  const until = geocoder.unavailableUntil;
  return error instanceof GeocoderUnreachable && until ? new JobPostponed(until, error.message) : error;
}

/** Below this score, the geocoder's best answer is more likely wrong than right. */
export const MIN_GEOCODE_SCORE = 0.4;

/** A place as people type it: an address, a postcode, a commune (INSEE code and name) and its département. */
export interface PlaceToLocate {
  address: string | null;
  postcode: string | null;
  communeCode: string | null;
  communeName: string | null;
  departmentCode: string | null;
}

export type LocatedPrecision = 'address' | 'commune' | 'department';

export interface LocatedPlace {
  /** The best position found; null when nothing is known (no address found, no commune, no département). */
  position: { latitude: number; longitude: number; precision: LocatedPrecision } | null;
  /** Why the geocoder could not be asked (network, 5xx, breaker open): worth trying again later. */
  unreachable: string | null;
}

/**
 * The place → a point, for organisations (map/geocode.ts) and events alike: the address through the
 * geocoder ('address'; 'commune' when the geocoder only knows its commune); else the commune's
 * centre through the geocoder ('commune'); else, or when the geocoder cannot be reached, the
 * département's chef-lieu ('department', to be shown as approximate). `unreachable` tells the
 * caller to store that fallback and try again later. Never throws for the geocoder's sake.
 */
export async function locatePlace(geocoder: Geocoder, place: PlaceToLocate): Promise<LocatedPlace> {
  let unreachable: string | null = null;
  const note = (outcome: GeocodeOutcome) => {
    if (outcome.status === 'unreachable') unreachable ??= outcome.reason;
  };

  if (place.address && place.address.trim()) {
    const outcome = await geocoder.search({
      q: [place.address, place.postcode, place.communeName].filter(Boolean).join(' '),
      postcode: place.postcode,
      citycode: place.communeCode,
    });
    note(outcome);
    if (outcome.status === 'found' && outcome.hit.score >= MIN_GEOCODE_SCORE) {
      const precision: LocatedPrecision = outcome.hit.type === 'municipality' ? 'commune' : 'address';
      return { position: { latitude: outcome.hit.lat, longitude: outcome.hit.lng, precision }, unreachable: null };
    }
  }

  if (unreachable === null && (place.communeName || place.communeCode)) {
    const outcome = await geocoder.search({ q: place.communeName ?? place.communeCode ?? '', citycode: place.communeCode, type: 'municipality' });
    note(outcome);
    if (outcome.status === 'found' && outcome.hit.score >= MIN_GEOCODE_SCORE) {
      return { position: { latitude: outcome.hit.lat, longitude: outcome.hit.lng, precision: 'commune' }, unreachable: null };
    }
  }

  const centre = departmentCentre(place.departmentCode);
  return { position: centre ? { latitude: centre.lat, longitude: centre.lng, precision: 'department' } : null, unreachable };
}

const clients = new WeakMap<object, Geocoder>();

/**
 * One geocoder client per kernel (`owner`), so that its circuit breaker sees every geocoding
 * that goes through it, organisations' and events' alike (decision 0020).
 */
export function sharedGeocoder(owner: object, options: { geocoderUrl: string | null; clock: Clock }): Geocoder {
  let geocoder = clients.get(owner);
  if (!geocoder) {
    geocoder = new Geocoder({ baseUrl: options.geocoderUrl, now: () => options.clock.now().getTime() });
    clients.set(owner, geocoder);
  }
  return geocoder;
}
