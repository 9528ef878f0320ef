import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { newsNamer } from './audit-names-repo.js';
import { latestNewsHomeBlock } from './home-block.js';
import { defineNewsJobs } from './mastodon-job.js';
import { registerNewsModeration } from './news-entity.js';
import { registerNewsPromotion } from './promote.js';
import { listedSlugs } from './repo.js';
import { newsAdminRoutes } from './routes-admin.js';
import { newsMastodonRoutes } from './routes-mastodon.js';
import { newsMemberRoutes } from './routes-member.js';
import { newsPublicRoutes } from './routes-public.js';
import { newsSearchSection } from './search-section.js';
import { articleHref } from './types.js';

export { latestNews, type LatestArticle } from './latest.js';
export { newsVersion, newsPageCache } from './version.js';
export { findArticle, findArticleBySlug } from './repo.js';
export { createArticle, updateArticle, changeArticleStatus, STATUS_ACTIONS as NEWS_STATUS_ACTIONS, deleteArticle, checkNews, type NewsDeps } from './service.js';
export { articleHref, articleImageHref, isListed, isReadable, type Article, type ArticleCard } from './types.js';
export { runMastodonPost, scheduleMastodonPost, statusText, MASTODON_JOB } from './mastodon-job.js';

// Members' news are moderated like organisations and events; the watch inbox offers to promote an item to an article.
registerNewsModeration();
registerNewsPromotion();

const routes: FastifyPluginAsync = async (app) => {
  await app.register(newsPublicRoutes);
  await app.register(newsMastodonRoutes);
  await app.register(newsAdminRoutes);
  await app.register(newsMemberRoutes);
};

/** News (issue 6): the network's and its members' articles, their feeds, the back office, members' proposals, Mastodon posting. */
export const newsModule: FeatureModule = {
  name: 'news',
  routes,
  jobs: defineNewsJobs,
  publicNav: [{ href: '/actualites', label: 'news.nav' }],
  adminNav: [{ href: '/admin/actualites', label: 'news.adminNav' }],
  memberCards: [{ href: '/mon-espace/actualites', title: 'news.memberHome.title', text: 'news.memberHome.text', link: 'news.memberHome.link' }],
  searchSections: [newsSearchSection],
  homeBlocks: [latestNewsHomeBlock],
  auditEntities: [newsNamer],
  sitemap: async (kernel) => [
    { path: '/actualites' },
    ...(await listedSlugs(kernel.db, kernel.clock.now().toISOString())).map((a) => ({ path: articleHref(a.slug), lastmod: a.updated_at })),
  ],
};
