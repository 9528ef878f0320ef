import type { RouteArea } from './types.js';

/** Routes of the moderation area (hand-written; see types.ts). */
export const moderationRoutes: RouteArea = {
  expected: {},
};
