import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { directoryRoutes } from './routes.js';
import { directoryDataRoutes } from './routes-data.js';
import { directoryMediaRoutes } from './routes-media.js';

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
};
