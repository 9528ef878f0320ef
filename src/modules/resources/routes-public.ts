import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { type DocumentFormat, DOCUMENT_FORMATS, formatOfMime, safeDownloadName } from '../../kernel/files/documents.js';
import { sendAttachment } from '../../kernel/files/downloads.js';
import { type OutFeed, renderAtom, renderRss } from '../../kernel/feeds/write.js';
import { countryName } from '../../kernel/geo/countries.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { localLabel, type Locale } from '../../kernel/i18n/index.js';
import { taxonomies } from '../organisations/index.js';
import { kindLabelKey } from './kinds.js';
import { cardsOf, publicListing } from './listing.js';
import { parsePublicQuery } from './query.js';
import * as repo from './repo.js';
import { PUBLIC_PAGE_SIZE, ResourceListPage, ResourcePage } from './views-public.js';
import type { Option } from './views-shared.js';
import { redirectMoved } from '../../kernel/http/moved.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';

const FEED_SIZE = 50;

type SlugParams = { Params: { slug: string } };

/** The public library: the list with its filters, a resource's page, its file, the feeds. */
export const publicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const open = { config: { access: 'public' as const } };

  async function themeOptions(locale: Locale): Promise<Option[]> {
    const t = await taxonomies(k.db);
    return t.themes.map((x) => ({ value: x.code, label: localLabel(x, locale) }));
  }

  app.get('/ressources', open, async (request, reply) => {
    const parsed = parsePublicQuery(request.query as Record<string, unknown>);
    const [listing, themes, countryCodes] = await Promise.all([publicListing(k, parsed, PUBLIC_PAGE_SIZE), themeOptions(request.locale), repo.publishedCountries(k.db)]);
    const beyond = redirectPastLastPage(request, reply, parsed.page, listing.total, PUBLIC_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    const countries = countryCodes.map((c) => ({ value: c, label: countryName(c, request.locale) })).sort((a, b) => a.label.localeCompare(b.label, request.locale));
    return sendPage(reply, ResourceListPage({ ctx, values: parsed.values, listing, page: parsed.page, themes, countries, query: parsed.query }));
  });

  async function outFeed(request: FastifyRequest, kind: 'rss' | 'atom'): Promise<OutFeed> {
    const parsed = parsePublicQuery({ ...(request.query as Record<string, unknown>), page: '1' });
    const { cards } = await publicListing(k, parsed, FEED_SIZE);
    const base = k.config.baseUrl.replace(/\/+$/, '');
    const suffix = parsed.query ? `?${parsed.query}` : '';
    const t = request.t;
    const networkName = (await k.settings.get()).networkName;
    const newest = cards.reduce((max, c) => (c.resource.updated_at > max ? c.resource.updated_at : max), '');
    return {
      title: `${t('resources.public.title')} · ${networkName}`,
      description: t('resources.public.lead'),
      section: 'ressources',
      pageUrl: `${base}/ressources${suffix}`,
      selfUrl: `${base}/ressources/flux.${kind}${suffix}`,
      itemUrl: (id) => `${base}/ressources#r-${id}`,
      updatedAt: newest || k.clock.now().toISOString(),
      items: cards.map(({ resource: r, organisation }) => ({
        id: r.id,
        title: r.title,
        link: `${base}/ressources/${encodeURIComponent(r.slug)}`,
        html: null,
        text: r.summary,
        publishedAt: r.published_at ?? r.created_at,
        updatedAt: r.updated_at,
        category: t(kindLabelKey(r.kind)),
        source: r.authors ?? organisation?.name ?? networkName,
      })),
    };
  }

  app.get('/ressources/flux.rss', open, async (request, reply) => reply.type('application/rss+xml; charset=utf-8').send(renderRss(await outFeed(request, 'rss'))));
  app.get('/ressources/flux.atom', open, async (request, reply) => reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await outFeed(request, 'atom'))));

  /** A published resource by its slug; an old slug redirects. */
  async function published(slug: string) {
    const found = await repo.findResourceBySlug(k.db, slug);
    if (!found || found.resource.status !== 'published') throw new AppError('not_found');
    return found;
  }

  app.get<SlugParams>('/ressources/:slug', open, async (request, reply) => {
    const found = await published(request.params.slug);
    if (found.redirectTo) return redirectMoved(reply, `/ressources/${encodeURIComponent(found.redirectTo)}`);
    const [[card], themes, ctx] = await Promise.all([cardsOf(k, [found.resource]), themeOptions(request.locale), viewContext(request, reply)]);
    return sendPage(reply, ResourcePage({ ctx, card: card!, themes }));
  });

  /** The file (or the external link) of a published resource; each GET counts one download, HEAD none. */
  app.get<SlugParams>('/ressources/:slug/fichier', open, async (request, reply) => {
    const found = await published(request.params.slug);
    if (found.redirectTo) return redirectMoved(reply, `/ressources/${encodeURIComponent(found.redirectTo)}/fichier`);
    const r = found.resource;
    const file = r.file_id ? await repo.findFile(k.db, r.file_id) : undefined;
    const counting = request.method === 'GET';
    if (!file) {
      if (!r.external_url) throw new AppError('not_found');
      if (counting) await repo.countDownload(k.db, r.id);
      return reply.header('cache-control', 'no-store').redirect(r.external_url, 303);
    }
    const format: DocumentFormat | null = formatOfMime(file.mime);
    const name = safeDownloadName(file.original_name, format ? DOCUMENT_FORMATS[format].ext : 'bin', r.slug);
    return sendAttachment(reply, k.config.dataDir, file, name, { beforeSend: counting ? () => repo.countDownload(k.db, r.id) : undefined });
  });
};
