import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GEOCODE_JOB } from '../organisations/index.js';
import { geocodeOrganisation } from './geocode.js';
import { geocodingJobError } from '../../kernel/geo/locate-place.js';
import { type GeocodingBacklog, geocodingBacklog } from './repo.js';
import { clusterCacheOf, geocoderOf } from './state.js';

/** Geocodes one organisation (`{ id }`): after a person created it or changed its address (queued by the organisations module). */
export { GEOCODE_JOB };
/** The same for each organisation of an import: tens of thousands at once, so it yields to every other job. */
export const GEOCODE_IMPORTED_JOB = 'organisations.geocode-imported';

export function defineGeocodeJobs(jobs: Jobs, kernel: Kernel): void {
  const geocoder = geocoderOf(kernel);
  for (const name of [GEOCODE_JOB, GEOCODE_IMPORTED_JOB]) {
    jobs.define<{ id: string }>({
      name,
      // A geocoder failing now and then: tried again after 5 s, 10 s, 20 s… (about 40 min in all).
      maxAttempts: 10,
      leaseSeconds: 60,
      bulk: name === GEOCODE_IMPORTED_JOB,
      async handler(payload) {
        if (typeof payload?.id !== 'string') return;
        try {
          await geocodeOrganisation({ db: kernel.db, geocoder, onMoved: () => clusterCacheOf(kernel).invalidate() }, payload.id);
        } catch (error) {
          throw geocodingJobError(geocoder, error);
        }
      },
    });
  }
}

/** The geocoding jobs still to run (the dashboard warns when the geocoder keeps failing them). */
export function geocodingStatus(db: Kysely<Database>, now: Date): Promise<GeocodingBacklog> {
  return geocodingBacklog(db, [GEOCODE_JOB, GEOCODE_IMPORTED_JOB], now);
}
