import type { FeatureModule } from '../../kernel/module.js';
import { geocodeOrganisation } from './geocode.js';
import { mapRoutes } from './routes.js';
import { clusterCacheOf, geocoderOf } from './state.js';

export { geocodeOrganisation, GeocoderUnreachable } from './geocode.js';
export { parseCoordinate, placeByHand } from './position.js';
export { placeOf as organisationPlace, type PlaceOfOrganisation } from './repo.js';
export { describePosition, formatCoordinate, PositionAssets, PositionFields } from './views.js';

/** Geocodes one organisation (`{ id }`): after a person created it or changed its address. */
export const GEOCODE_JOB = 'organisations.geocode';
/** The same for each organisation of an import: tens of thousands at once, so it yields to every other job. */
export const GEOCODE_IMPORTED_JOB = 'organisations.geocode-imported';

export const mapModule: FeatureModule = {
  name: 'map',
  routes: mapRoutes,
  jobs(jobs, kernel) {
    const geocoder = geocoderOf(kernel);
    for (const [name, bulk] of [
      [GEOCODE_JOB, false],
      [GEOCODE_IMPORTED_JOB, true],
    ] as const) {
      jobs.define<{ id: string }>({
        name,
        // Retries while the geocoder stays unreachable: 5 s, 10 s, 20 s… about 40 min in all.
        maxAttempts: 10,
        leaseSeconds: 60,
        bulk,
        async handler(payload) {
          if (typeof payload?.id !== 'string') return;
          await geocodeOrganisation({ db: kernel.db, geocoder, onMoved: () => clusterCacheOf(kernel).invalidate() }, payload.id);
        },
      });
    }
  },
  publicNav: [{ href: '/carte', label: 'map.nav' }],
  sitemap: async () => [{ path: '/carte' }],
};
