import { localLabel } from '../../kernel/i18n/index.js';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { renderAtom, renderRss } from '../../kernel/feeds/write.js';
import { sendStoredImage, VERSIONED_CACHE } from '../../kernel/files/serve.js';
import { countryName } from '../../kernel/geo/countries.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { isId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { newsFeed } from './feeds.js';
import { findNewsImageFile } from './image.js';
import * as repo from './repo.js';
import { articleHref, isReadable } from './types.js';
import { newsPageCache } from './version.js';
import { ArticlePage, NEWS_PAGE_SIZE, NewsListPage } from './views-public.js';
import { redirectMoved } from '../../kernel/http/moved.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';

function queryText(query: unknown, name: string, max: number): string {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** The public news: the list with its theme filter, each article, the feeds, the images. */
export const newsPublicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const cached = { config: { access: 'public' as const, pageCache: newsPageCache } };
  const open = { config: { access: 'public' as const } };

  async function themeOptions(locale: 'fr' | 'en') {
    return (await repo.themeOptions(k.db)).map((th) => ({ value: th.code, label: localLabel(th, locale) }));
  }

  app.get('/actualites', cached, async (request, reply) => {
    const page = pageNumber(queryText(request.query, 'page', 6) || undefined);
    const themes = await themeOptions(request.locale);
    const wanted = queryText(request.query, 'theme', 60);
    const theme = themes.some((th) => th.value === wanted) ? wanted : '';
    const { rows, total } = await repo.listPublic(k.db, { now: k.clock.now().toISOString(), theme: theme || undefined }, (page - 1) * NEWS_PAGE_SIZE, NEWS_PAGE_SIZE);
    const beyond = redirectPastLastPage(request, reply, page, total, NEWS_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, NewsListPage({ ctx, rows, total, page, theme, themes }));
  });

  const feed = (kind: 'rss' | 'atom') => async (request: import('fastify').FastifyRequest) => {
    const wanted = queryText(request.query, 'theme', 60);
    const theme = (await repo.themeOptions(k.db)).some((th) => th.code === wanted) ? wanted : undefined;
    return newsFeed(k, request.t, kind, theme);
  };
  const rss = feed('rss');
  const atom = feed('atom');
  app.get('/actualites/flux.rss', open, async (request, reply) => reply.type('application/rss+xml; charset=utf-8').send(renderRss(await rss(request))));
  app.get('/actualites/flux.atom', open, async (request, reply) => reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await atom(request))));

  app.get<{ Params: { slug: string } }>('/actualites/:slug', cached, async (request, reply) => {
    const found = await repo.findArticleBySlug(k.db, request.params.slug);
    if (!found || !isReadable(found.article, k.clock.now())) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, articleHref(found.redirectTo));
    const ctx = await viewContext(request, reply);
    const [card, themes] = await Promise.all([repo.articleCard(k.db, found.article.id), repo.themeOptions(k.db)]);
    const a = found.article;
    const labels = {
      themes: a.themes.map((code) => {
        const th = themes.find((x) => x.code === code);
        return { code, label: th ? localLabel(th, ctx.locale) : code };
      }),
      countries: a.countries.map((c) => countryName(c, ctx.locale)),
    };
    return sendPage(reply, ArticlePage({ ctx, article: a, card: card!, labels }));
  });

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>('/media/actualites/:id/image', open, async (request, reply) => {
    const image = isId(request.params.id) ? await repo.articleImage(k.db, request.params.id) : undefined;
    // Drafts, scheduled articles and proposals are not public: neither are their images.
    if (!image || !isReadable(image, k.clock.now())) throw new AppError('not_found');
    const cache = request.query.v === image.file_id ? `public, ${VERSIONED_CACHE}` : 'public, max-age=300';
    return sendStoredImage(request, reply, k.config.dataDir, image, cache);
  });

  // Any article image, live or waiting in a draft or a proposal: staff see them in forms and moderation.
  app.get<{ Params: { fileId: string } }>('/media/news-images/:fileId', { config: { access: 'staff' } }, async (request, reply) => {
    const file = await findNewsImageFile(k.db, request.params.fileId);
    if (!file) throw new AppError('not_found');
    return sendStoredImage(request, reply, k.config.dataDir, { file_id: file.id, storage_path: file.storage_path, mime: file.mime }, `private, ${VERSIONED_CACHE}`);
  });
};
