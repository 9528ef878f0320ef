import { agendaRoutes } from './agenda.js';
import { backofficeOrganisationsRoutes } from './backoffice-organisations.js';
import { directoryRoutes } from './directory.js';
import { eventFeedRoutes } from './event-feeds.js';
import { eventRoutes } from './events.js';
import { foundationRoutes } from './foundation.js';
import { importRoutes } from './imports.js';
import { mapRoutes } from './map.js';
import { mergeRoutes } from './merge.js';
import { moderationRoutes } from './moderation.js';
import { organisationLogoRoutes } from './organisation-logos.js';
import { registrationRoutes } from './registrations.js';
import type { RouteArea } from './types.js';
import { watchRoutes } from './watch.js';

export const AREAS: RouteArea[] = [foundationRoutes, directoryRoutes, mapRoutes, agendaRoutes, eventRoutes, moderationRoutes, backofficeOrganisationsRoutes, organisationLogoRoutes, mergeRoutes, importRoutes, eventFeedRoutes, registrationRoutes, watchRoutes];
