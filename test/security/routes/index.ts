import { backofficeOrganisationsRoutes } from './backoffice-organisations.js';
import { directoryRoutes } from './directory.js';
import { foundationRoutes } from './foundation.js';
import { mapRoutes } from './map.js';
import { moderationRoutes } from './moderation.js';
import type { RouteArea } from './types.js';

export const AREAS: RouteArea[] = [foundationRoutes, directoryRoutes, mapRoutes, moderationRoutes, backofficeOrganisationsRoutes];
