import type { RouteArea } from './types.js';

/** Routes of the backoffice-organisations area (hand-written; see types.ts). */
export const backofficeOrganisationsRoutes: RouteArea = {
  expected: {},
};
