import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { agendaRoutes } from './routes.js';
import { agendaFeedRoutes } from './routes-feeds.js';

const routes: FastifyPluginAsync = async (app) => {
  // The feeds first: `/agenda/widget` and `/agenda/:slug.ics` are more specific than `/agenda/:slug`.
  await app.register(agendaFeedRoutes);
  await app.register(agendaRoutes);
};

/** The public agenda: /agenda (list, month, map), the archive, event pages, iCalendar feeds, the widget. */
export const agendaModule: FeatureModule = {
  name: 'agenda',
  routes,
  publicNav: [{ href: '/agenda', label: 'agenda.nav' }],
};

export { agendaPageCache } from './cache.js';
export { eventUid, eventUrl, toIcsEvent } from './ics-export.js';
