import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { findFile } from '../../kernel/files/repo.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { STATIC_PAGE } from '../../kernel/http/page-cache.js';
import { safeNextPath, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { isLocale } from '../../kernel/i18n/index.js';
import { directoryPageCache, parseDirectoryQuery, searchDirectory } from '../organisations/index.js';
import { LEGAL_PAGES } from './legal-pages.js';
import { HomePage, ProsePage } from './views.js';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export const siteRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'public', pageCache: directoryPageCache } }, async (request, reply) => {
    const { filter, tokens } = parseDirectoryQuery({ tri: 'recent' }, request.user?.role ?? null, 6);
    const latest = await searchDirectory(app.kernel.db, app.kernel.dbHandle.dialect, filter, tokens);
    return sendPage(reply, HomePage({ ctx: await viewContext(request, reply), actors: latest }));
  });

  for (const [url, page] of Object.entries(LEGAL_PAGES)) {
    app.get(url, { config: { access: 'public', pageCache: STATIC_PAGE } }, async (request, reply) =>
      sendPage(reply, ProsePage({ ctx: await viewContext(request, reply), ...page })),
    );
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

  app.get('/robots.txt', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('User-agent: *\nDisallow: /admin\nDisallow: /mon-espace\n'),
  );

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
