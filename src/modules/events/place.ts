import type { EventGeoPrecision } from '../../db/schema.js';

/** An event held in person: somewhere the geocoder may find (an address or a commune). */
export function inPerson(e: { address: string | null; commune_code: string | null }): boolean {
  return Boolean(e.address || e.commune_code);
}

/**
 * A stored position a person typed: marked 'manual', or one without a precision (stored before
 * positions were told apart, migration 1720). The geocoder never overwrites it.
 */
export function positionTypedByPerson(e: { latitude: number | string | null; longitude: number | string | null; geo_precision: EventGeoPrecision | null }): boolean {
  return e.latitude !== null && e.longitude !== null && (e.geo_precision === 'manual' || e.geo_precision === null);
}
