import { backofficeOrganisationsRoutes } from './backoffice-organisations.js';
import { directoryRoutes } from './directory.js';
import { foundationRoutes } from './foundation.js';
import { importRoutes } from './imports.js';
import { mapRoutes } from './map.js';
import { mergeRoutes } from './merge.js';
import { moderationRoutes } from './moderation.js';
import { organisationLogoRoutes } from './organisation-logos.js';
import type { RouteArea } from './types.js';

export const AREAS: RouteArea[] = [foundationRoutes, directoryRoutes, mapRoutes, moderationRoutes, backofficeOrganisationsRoutes, organisationLogoRoutes, mergeRoutes, importRoutes];
