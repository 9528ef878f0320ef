import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { publicOrganisationPages } from '../organisations/index.js';
import { directoryRoutes } from './routes.js';
import { directoryDataRoutes } from './routes-data.js';
import { directoryMediaRoutes } from './routes-media.js';
import { organisationsSearchSection } from './search-section.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(directoryRoutes);
  await app.register(directoryDataRoutes);
  await app.register(directoryMediaRoutes);
};

/** The public directory: /annuaire, organisation pages, open-data exports and the JSON API. */
export const directoryModule: FeatureModule = {
  name: 'directory',
  routes,
  publicNav: [{ href: '/annuaire', label: 'directory.nav' }],
  searchSections: [organisationsSearchSection],
  sitemap: async (kernel) => [
    { path: '/annuaire' },
    ...(await publicOrganisationPages(kernel.db)).map((o) => ({ path: `/acteurs/${encodeURIComponent(o.slug)}`, lastmod: o.updated_at })),
  ],
};
