import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { findFile } from '../../kernel/files/repo.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { safeNextPath, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { isLocale } from '../../kernel/i18n/index.js';
import { directoryPageCache, parseDirectoryQuery, searchDirectory } from '../organisations/index.js';
import { editedLegalPage, PageView, pagesPageCache } from '../pages/index.js';
import { LEGAL_PAGES } from './legal-pages.js';
import { renderSitemapIndex, renderUrlSet, SITEMAP_MAX_URLS, sitemapEntries } from './sitemap.js';
import { HomePage, ProsePage } from './views.js';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** The home page shows the latest actors and every module's block: it changes when any of them does. */
const homePageCache: PageCacheConfig = {
  version: async (kernel) =>
    (await Promise.all([directoryPageCache.version(kernel), ...kernel.homeBlocks.map((block) => block.version(kernel))])).join('|'),
};

export const siteRoutes: FastifyPluginAsync = async (app) => {
  const baseUrl = () => app.kernel.config.baseUrl.replace(/\/+$/, '');
  app.get('/', { config: { access: 'public', pageCache: homePageCache } }, async (request, reply) => {
    const { filter, tokens } = parseDirectoryQuery({ tri: 'recent' }, request.user?.role ?? null, 6);
    const latest = await searchDirectory(app.kernel.db, app.kernel.dbHandle.dialect, filter, tokens);
    const ctx = await viewContext(request, reply);
    const blocks = await Promise.all(app.kernel.homeBlocks.map((block) => block.render(app.kernel, ctx)));
    return sendPage(reply, HomePage({ ctx, actors: latest, blocks: blocks.filter(Boolean) }));
  });

  // The legal pages: the text staff published for them (pages module), else the built-in text.
  for (const [url, page] of Object.entries(LEGAL_PAGES)) {
    app.get(url, { config: { access: 'public', pageCache: pagesPageCache } }, async (request, reply) => {
      const ctx = await viewContext(request, reply);
      const edited = await editedLegalPage(app.kernel.db, url);
      return sendPage(reply, edited ? PageView({ ctx, page: edited }) : ProsePage({ ctx, ...page }));
    });
  }

  app.post<{ Body: { lang?: string; suite?: string } }>(
    '/langue',
    { config: { access: 'public' } },
    async (request, reply) => {
      const lang = request.body?.lang;
      if (!isLocale(lang)) throw new AppError('bad_request');
      reply.setCookie('lang', lang, { path: '/', maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', httpOnly: true });
      return reply.redirect(safeNextPath(request.body?.suite), 303);
    },
  );

  // Browsers ask for /favicon.ico where a page names no icon (a feed or JSON shown raw): the logo.
  app.get('/favicon.ico', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').redirect('/assets/logo.svg', 301),
  );

  app.get('/robots.txt', { config: { access: 'public' } }, async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(`User-agent: *\nDisallow: /admin\nDisallow: /mon-espace\n\nSitemap: ${baseUrl()}/sitemap.xml\n`),
  );

  app.get<{ Querystring: { partie?: string } }>('/sitemap.xml', { config: { access: 'public' } }, async (request, reply) => {
    const entries = await sitemapEntries(app.kernel);
    const parts = Math.ceil(entries.length / SITEMAP_MAX_URLS);
    const part = Number.parseInt(String(request.query.partie ?? ''), 10);
    reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600');
    if (parts <= 1) return reply.send(renderUrlSet(entries, baseUrl()));
    if (!Number.isInteger(part)) return reply.send(renderSitemapIndex(parts, baseUrl()));
    if (part < 1 || part > parts) throw new AppError('not_found');
    return reply.send(renderUrlSet(entries.slice((part - 1) * SITEMAP_MAX_URLS, part * SITEMAP_MAX_URLS), baseUrl()));
  });

  app.get('/media/logo', { config: { access: 'public' } }, async (_request, reply) => {
    const settings = await app.kernel.settings.get();
    const file = settings.logoFileId ? await findFile(app.kernel.db, settings.logoFileId) : undefined;
    if (!file) throw new AppError('not_found');
    const stream = fs.createReadStream(path.join(uploadsDir(app.kernel.config.dataDir), file.storage_path));
    return reply
      .type(file.mime)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  });
};
