import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { itemNamer, ruleNamer, sourceNamer } from './audit-names-repo.js';
import { defineWatchJobs } from './jobs.js';
import { watchAdminRoutes } from './routes-admin.js';
import { watchPublicRoutes } from './routes-public.js';
import { watchSearchSection } from './search-section.js';

export { runWatchAdd, runWatchFetch, runWatchList } from './cli.js';
export { fetchSource, fetchSources, sweepDue, backoffMinutes, type FetchOutcome, type SweepResult } from './fetch-source.js';
export { parseFeedText, type ParsedItem, type ParsedFeed } from './parse-feed.js';
export { registerWatchPromotion, promoteItem, type WatchPromotion, type PromotionTarget, type PromotedRecord } from './promote.js';
export { markItemPromoted as markWatchItemPromoted } from './items.js';
export { addSource } from './sources.js';
export { watchDeps, type WatchDeps } from './deps.js';
export { searchArchive, findItem as findWatchItem, itemTags as watchItemTags } from './repo.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(watchPublicRoutes);
  await app.register(watchAdminRoutes);
};

/** The watch (veille): feed sources, the staff inbox, keyword rules, the public archive and its feeds (issue 6). */
export const watchModule: FeatureModule = {
  name: 'watch',
  routes,
  jobs: defineWatchJobs,
  publicNav: [{ href: '/veille', label: 'watch.nav' }],
  searchSections: [watchSearchSection],
  sitemap: async () => [{ path: '/veille' }],
  adminNav: [{ href: '/admin/veille', label: 'watch.adminNav' }],
  auditEntities: [sourceNamer, ruleNamer, itemNamer],
};
