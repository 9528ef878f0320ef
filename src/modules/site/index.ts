import type { FeatureModule } from '../../kernel/module.js';
import { siteRoutes } from './routes.js';

export const siteModule: FeatureModule = {
  name: 'site',
  routes: siteRoutes,
  publicNav: [{ href: '/', label: 'nav.home' }],
};
