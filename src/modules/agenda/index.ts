import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { upcomingEventsHomeBlock } from './home-block.js';
import { publicEventPages } from './repo.js';
import { agendaRoutes } from './routes.js';
import { agendaFeedRoutes } from './routes-feeds.js';
import { eventsSearchSection } from './search-section.js';

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
  searchSections: [eventsSearchSection],
  homeBlocks: [upcomingEventsHomeBlock],
  sitemap: async (kernel) => [
    { path: '/agenda' },
    ...(await publicEventPages(kernel.db)).map((e) => ({ path: `/agenda/${encodeURIComponent(e.slug)}`, lastmod: e.updated_at })),
  ],
};

export { agendaPageCache } from './cache.js';
export { eventUid, eventUrl, toIcsEvent } from './ics-export.js';
export { upcomingEvents, type ListedEvent } from './listing.js'; export { parseAgendaQuery } from './query.js';
