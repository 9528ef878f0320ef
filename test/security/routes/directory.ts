import type { RouteArea } from './types.js';

/** Routes of the directory area (hand-written; see types.ts). */
export const directoryRoutes: RouteArea = {
  expected: {},
};
