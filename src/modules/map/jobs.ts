import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GEOCODE_JOB } from '../organisations/index.js';
import { geocodeOrganisation } from './geocode.js';
import { geocodingJobError } from '../../kernel/geo/locate-place.js';
import { countAtDepartmentCentre, type GeocodingBacklog, geocodingBacklog } from './repo.js';
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

/**
 * What the dashboard says of geocoding. With a geocoder (`GEOCODER_URL`): the jobs still to run,
 * and those it keeps failing. Without one (`GEOCODER_URL` empty), nothing waits for it: each job
 * places its organisation at once at its département's chef-lieu, an approximate position
 * (kernel/geo/locate-place.ts), so the dashboard counts those instead of a queue.
 */
export interface GeocodingStatus extends GeocodingBacklog {
  /** False when no geocoder is set: the queue is no geocoding, `atDepartmentCentre` tells the outcome. */
  geocoderEnabled: boolean;
  /** Organisations at their département's chef-lieu; counted only when the geocoder is disabled (0 otherwise). */
  atDepartmentCentre: number;
}

export async function geocodingStatus(db: Kysely<Database>, now: Date, options: { geocoderEnabled: boolean }): Promise<GeocodingStatus> {
  const [backlog, atDepartmentCentre] = await Promise.all([
    geocodingBacklog(db, [GEOCODE_JOB, GEOCODE_IMPORTED_JOB], now),
    options.geocoderEnabled ? 0 : countAtDepartmentCentre(db),
  ]);
  return { ...backlog, geocoderEnabled: options.geocoderEnabled, atDepartmentCentre };
}
