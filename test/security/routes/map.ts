import type { RouteArea } from './types.js';

/** Routes of the map area (hand-written; see types.ts). */
export const mapRoutes: RouteArea = {
  expected: {},
};
