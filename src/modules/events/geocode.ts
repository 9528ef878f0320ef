import type { Kysely } from 'kysely';
import { inPerson, positionTypedByPerson } from './place.js';
import type { Database, EventGeoPrecision } from '../../db/schema.js';
import type { Geocoder } from '../../kernel/geo/geocoder.js';
import { findCommune } from '../../kernel/geo/communes.js';
import { GeocoderUnreachable, geocodingJobError, locatePlace, sharedGeocoder } from '../../kernel/geo/locate-place.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import * as repo from './repo.js';

// Events held in person are placed on the agenda's map as organisations are on theirs (map
// module, decision 0020): a job asks the geocoder, never the request; when it cannot be reached,
// the département's centre is stored (approximate) and the job tries again later.

/** Geocodes the place of the events `{ ids }` (one event, or the dates of a series, which share their place). */
export const EVENT_GEOCODE_JOB = 'events.geocode';
/** Once a day: queues the geocoding of events to come that were never placed (from before the geocoding, or whose job gave up). */
export const EVENT_GEOCODE_SWEEP_JOB = 'events.geocode-sweep';

const DAY_SECONDS = 86_400;
const SWEEP_LIMIT = 500;
const IDS_PER_JOB = 50;

/** The key of a geocoding asked at `at` for the events whose first is `firstId`: a later change of place queues another. */
export const eventGeocodeKey = (firstId: string, at: Date) => `geocode-event:${firstId}:${at.getTime()}`;

/** An event whose place the geocoder is to find: in person (an address or a commune), its position not typed by a person. */
function toGeocode(p: repo.EventPlace): boolean {
  return p.geo_precision !== 'manual' && !positionTypedByPerson(p) && inPerson(p);
}

/**
 * Places the events `ids`: each distinct place (address, postcode, commune) is asked once, and
 * its position written to the events that still have it (an edit made meanwhile is not
 * overwritten; a position typed by a person is kept). Nothing found and no département: the
 * event is marked 'not_found' (staff read it), without a point. When the geocoder could not be
 * reached, the fallback is stored and GeocoderUnreachable thrown.
 */
export async function geocodeEvents(deps: { db: Kysely<Database>; geocoder: Geocoder }, ids: string[]): Promise<void> {
  const groups = new Map<string, repo.EventPlace[]>();
  for (const place of await repo.placesOfEvents(deps.db, ids)) {
    if (!toGeocode(place)) continue;
    const key = JSON.stringify([place.address, place.postcode, place.commune_code]);
    groups.set(key, [...(groups.get(key) ?? []), place]);
  }
  let unreachable: string | null = null;
  for (const events of groups.values()) {
    const first = events[0]!;
    const located = await locatePlace(deps.geocoder, {
      address: first.address,
      postcode: first.postcode,
      communeCode: first.commune_code,
      communeName: first.commune_code ? (findCommune(first.commune_code)?.name ?? null) : null,
      departmentCode: first.department_code,
    });
    unreachable ??= located.unreachable;
    const position: { latitude: number | null; longitude: number | null; precision: EventGeoPrecision | null } = located.position
      ? located.position
      : // Unreachable: not looked up yet (tried again); else nothing is known of this place.
        { latitude: null, longitude: null, precision: located.unreachable ? null : 'not_found' };
    for (const event of events) {
      // A job waiting for the geocoder stores the same fallback at each try: nothing moved.
      if (event.latitude === position.latitude && event.longitude === position.longitude && event.geo_precision === position.precision) continue;
      await repo.setGeocodedPosition(deps.db, event, position);
    }
  }
  if (unreachable !== null) throw new GeocoderUnreachable(unreachable);
}

/** How many events to come still wait for their place to be found (the back office's dashboard). */
export function eventsAwaitingPlace(db: Kysely<Database>, now: Date): Promise<number> {
  return repo.countEventsAwaitingPlace(db, EVENT_GEOCODE_JOB, now.toISOString());
}

/** Queues the geocoding of these events (in the caller's transaction when `jobs` queues in one). */
export async function queueEventGeocoding(jobs: Pick<Jobs, 'enqueue'>, ids: string[], at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_JOB) {
    const chunk = ids.slice(i, i + IDS_PER_JOB);
    await jobs.enqueue(EVENT_GEOCODE_JOB, { ids: chunk }, { idempotencyKey: eventGeocodeKey(chunk[0]!, at) });
  }
}

export function defineEventGeocodeJobs(jobs: Jobs, kernel: Kernel): void {
  const geocoder = sharedGeocoder(kernel, { geocoderUrl: kernel.config.geocoderUrl, clock: kernel.clock });
  jobs.define<{ ids?: unknown }>({
    name: EVENT_GEOCODE_JOB,
    // A geocoder failing now and then: tried again after 5 s, 10 s, 20 s… (about 40 min in all), as for organisations.
    maxAttempts: 10,
    leaseSeconds: 60,
    async handler(payload) {
      const ids = Array.isArray(payload?.ids) ? payload.ids.filter((id): id is string => typeof id === 'string') : [];
      if (!ids.length) return;
      try {
        await geocodeEvents({ db: kernel.db, geocoder }, ids);
      } catch (error) {
        throw geocodingJobError(geocoder, error);
      }
    },
  });
  jobs.define({
    name: EVENT_GEOCODE_SWEEP_JOB,
    async handler() {
      const ids = await repo.eventsNeverPlaced(kernel.db, EVENT_GEOCODE_JOB, kernel.clock.now().toISOString(), SWEEP_LIMIT);
      await queueEventGeocoding(jobs, ids, kernel.clock.now());
    },
  });
  jobs.every(EVENT_GEOCODE_SWEEP_JOB, DAY_SECONDS);
}
