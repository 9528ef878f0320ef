import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FeatureModule } from '../../kernel/module.js';
import { pageNamer } from './audit-names-repo.js';
import { isLegalSlug } from './legal.js';
import { findPageBySlug, publishedPages, type PageRow } from './repo.js';
import { pagesRoutes } from './routes.js';

export { LEGAL_PAGES, LEGAL_SLUGS, isLegalSlug, pageHref, type LegalPage } from './legal.js';
export { pagesPageCache } from './menu.js';
export { searchPublishedPages, type PageHit } from './repo.js';
export { PageView } from './views-public.js';

/** The text staff wrote for a legal page (`/mentions-legales`…), when they published one; else undefined (the built-in text). */
export async function editedLegalPage(db: Kysely<Database>, url: string): Promise<PageRow | undefined> {
  const page = await findPageBySlug(db, url.replace(/^\//, ''));
  return page?.status === 'published' ? page : undefined;
}

/** Editable static pages (about, legal texts…) placed by staff in the header or footer menus. */
export const pagesModule: FeatureModule = {
  name: 'pages',
  routes: pagesRoutes,
  adminNav: [{ href: '/admin/pages', label: 'pages.nav' }],
  auditEntities: [pageNamer],
  // The legal pages are listed by the site module at their own addresses.
  sitemap: async (kernel) =>
    (await publishedPages(kernel.db)).filter((p) => !isLegalSlug(p.slug)).map((p) => ({ path: `/pages/${encodeURIComponent(p.slug)}`, lastmod: p.updated_at })),
};
