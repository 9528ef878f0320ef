import type { FeatureModule } from '../../kernel/module.js';
import { defineGeocodeJobs } from './jobs.js';
import { mapRoutes } from './routes.js';

export { geocodeOrganisation } from './geocode.js';
export { parseCoordinate, placeByHand } from './position.js';
export { placeOf as organisationPlace, type PlaceOfOrganisation } from './repo.js';
export { describePosition, formatCoordinate, PositionAssets, PositionFields } from './views.js';
export { GEOCODE_IMPORTED_JOB, GEOCODE_JOB, geocodingStatus, type GeocodingStatus } from './jobs.js';
export type { GeocodingBacklog } from './repo.js';

export const mapModule: FeatureModule = {
  name: 'map',
  routes: mapRoutes,
  jobs: defineGeocodeJobs,
  publicNav: [{ href: '/carte', label: 'map.nav' }],
  sitemap: async () => [{ path: '/carte' }],
};
