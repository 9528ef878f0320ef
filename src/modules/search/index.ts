import type { FeatureModule } from '../../kernel/module.js';
import { searchRoutes } from './routes.js';

/** The site-wide search (`/recherche`): every module's search section, with counts per section. */
export const searchModule: FeatureModule = {
  name: 'search',
  routes: searchRoutes,
};
