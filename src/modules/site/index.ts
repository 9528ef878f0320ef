import type { FeatureModule } from '../../kernel/module.js';
import { LEGAL_PAGES } from './legal-pages.js';
import { siteRoutes } from './routes.js';

export const siteModule: FeatureModule = {
  name: 'site',
  routes: siteRoutes,
  publicNav: [{ href: '/', label: 'nav.home' }],
  sitemap: async () => Object.keys(LEGAL_PAGES).map((path) => ({ path })),
};
