import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { callNamer } from './audit-names-repo.js';
import { registerWatchPromotion } from '../watch/index.js';
import { closingSoonBlock } from './home.js';
import { callsAdminRoutes } from './routes-admin.js';
import { callsFeedRoutes } from './routes-feeds.js';
import { callsPublicRoutes } from './routes-public.js';
import { callsSearchSection } from './search.js';
import { callsOfWatchItem, publishedForSitemap } from './repo.js';
import { callPath } from './types.js';

export { callsPublishedBetween, closingSoonCalls, type CallForNewsletter } from './newsletter.js';
export { callStatus, CLOSING_SOON_DAYS, parisToday, type CallStatus } from './status.js';
export { callsVersion, callsPageCache } from './version.js';
export { callPath } from './types.js';
export { formatEuros } from './money.js';
export { checkCall, createCall } from './service.js';

// The watch inbox offers « En faire un appel à projets »: the new call's form, prefilled from the item.
// The item's page lists the calls made from it, and warns before a second one.
registerWatchPromotion({
  target: 'call',
  label: 'watch.promote.call',
  redirect: (item) => `/admin/appels-a-projets/nouveau?veille=${encodeURIComponent(item.id)}`,
  existing: async (db, itemId) => (await callsOfWatchItem(db, itemId)).map((c) => ({ id: c.id, title: c.title, href: `/admin/appels-a-projets/${c.id}`, state: c.status === 'published' ? 'published' : 'draft' })),
});

const routes: FastifyPluginAsync = async (app) => {
  // The feeds first: `/appels-a-projets/flux.rss` is more specific than `/appels-a-projets/:slug`.
  await app.register(callsFeedRoutes);
  await app.register(callsPublicRoutes);
  await app.register(callsAdminRoutes);
};

/** Calls for projects: public list, archive, pages and feeds (RSS, Atom, deadlines in iCalendar), the staff back office (issue 6). */
export const callsModule: FeatureModule = {
  name: 'calls',
  routes,
  publicNav: [{ href: '/appels-a-projets', label: 'calls.nav' }],
  adminNav: [{ href: '/admin/appels-a-projets', label: 'calls.adminNav' }],
  searchSections: [callsSearchSection],
  homeBlocks: [closingSoonBlock],
  auditEntities: [callNamer],
  async sitemap(kernel) {
    const rows = await publishedForSitemap(kernel.db);
    return [{ path: '/appels-a-projets' }, { path: '/appels-a-projets/archives' }, ...rows.map((r) => ({ path: callPath(r.slug), lastmod: r.updated_at }))];
  },
};
