import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { resourceNamer } from './audit-names-repo.js';
import { defineResourceJobs } from './extraction.js';
import * as repo from './repo.js';
import { registerResourceModeration } from './resource-entity.js';
import { adminRoutes } from './routes-admin.js';
import { memberRoutes } from './routes-member.js';
import { publicRoutes } from './routes-public.js';
import { resourcesSearchSection } from './search-section.js';

export { latestResources, type LatestResource } from './latest.js';
export { RESOURCE_KINDS, type ResourceKind, kindLabelKey } from './kinds.js';
export { RESOURCE_MAX_BYTES } from './file-field.js';
export { PDF_TEXT_LIMITS } from './pdf-text.js';
export { checkResource, createResource } from './service.js';

// Members' proposed resources are moderated like organisations and events.
registerResourceModeration();

const routes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes);
  await app.register(adminRoutes);
  await app.register(memberRoutes);
};

/** The resource library (issue 6): documents with their files, PDF text search, downloads, members' proposals, feeds. */
export const resourcesModule: FeatureModule = {
  name: 'resources',
  routes,
  jobs: defineResourceJobs,
  publicNav: [{ href: '/ressources', label: 'resources.nav' }],
  adminNav: [{ href: '/admin/ressources', label: 'resources.adminNav' }],
  memberCards: [{ href: '/mon-espace/ressources', title: 'resources.memberHome.title', text: 'resources.memberHome.text', link: 'resources.memberHome.link' }],
  searchSections: [resourcesSearchSection],
  auditEntities: [resourceNamer],
  async sitemap(kernel) {
    const rows = await repo.publishedForSitemap(kernel.db);
    return rows.map((r) => ({ path: `/ressources/${encodeURIComponent(r.slug)}`, lastmod: r.updated_at }));
  },
};
