import { localLabel } from '../../kernel/i18n/index.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { listCountries } from '../../kernel/geo/countries.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { isCategory } from './categories.js';
import { watchDeps } from './deps.js';
import { type OutFeed, renderAtom, renderRss } from '../../kernel/feeds/write.js';
import * as repo from './repo.js';
import { ArchiveQuery } from './schemas.js';
import { Value } from '@sinclair/typebox/value';
import { type ArchiveValues, ArchivePage } from './views-public.js';

const PAGE_SIZE = 20;
const FEED_SIZE = 50;
/** Search words used at most (a query is never unbounded). */
const MAX_TOKENS = 8;

function filtersOf(request: FastifyRequest): { values: ArchiveValues; filter: repo.ArchiveFilter; page: number; query: string } {
  const raw = request.query as Record<string, unknown>;
  const q = Value.Check(ArchiveQuery, raw) ? raw : {};
  const text = (name: string) => (typeof (q as Record<string, unknown>)[name] === 'string' ? String((q as Record<string, unknown>)[name]).trim() : '');
  const values: ArchiveValues = { q: text('q'), theme: text('theme'), country: text('country').toUpperCase(), category: isCategory(text('category')) ? text('category') : '', source: text('source') };
  const filter: repo.ArchiveFilter = {
    tokens: [...new Set(searchTokens(values.q))].slice(0, MAX_TOKENS),
    theme: values.theme || undefined,
    country: values.country || undefined,
    category: values.category || undefined,
    sourceId: values.source || undefined,
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return { values, filter, page: pageNumber(text('page') || undefined), query: params.toString() };
}

export const watchPublicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const open = { config: { access: 'public' as const } };
  const deps = watchDeps(k);

  app.get('/veille', open, async (request, reply) => {
    const { values, filter, page, query } = filtersOf(request);
    const [{ items, total, capped, more }, themes, sources, countryCodes] = await Promise.all([
      repo.searchArchive(k.db, deps.dialect, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE),
      repo.themeOptions(k.db),
      repo.sourcesWithKeptItems(k.db),
      repo.countriesWithKeptItems(k.db),
    ]);
    // The count may stop at a lower bound: only an empty page is past the last.
    const beyond = items.length ? undefined : redirectPastLastPage(request, reply, page, total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    // Only the countries some public item names (and the one asked for, so the choice stays shown).
    const offered = new Set(countryCodes);
    if (values.country) offered.add(values.country);
    return sendPage(
      reply,
      ArchivePage({
        ctx,
        values,
        items,
        total,
        capped,
        more,
        page,
        pageSize: PAGE_SIZE,
        themes: themes.map((th) => ({ value: th.code, label: localLabel(th, ctx.locale) })),
        countries: listCountries(ctx.locale)
          .filter((c) => offered.has(c.code))
          .map((c) => ({ value: c.code, label: c.name })),
        sources: sources.map((s) => ({ value: s.id, label: s.name })),
        feedQuery: query,
      }),
    );
  });

  async function outFeed(request: FastifyRequest, kind: 'rss' | 'atom'): Promise<OutFeed> {
    const { filter, query } = filtersOf(request);
    const { items } = await repo.searchArchive(k.db, deps.dialect, filter, 0, FEED_SIZE, false);
    const base = k.config.baseUrl;
    const suffix = query ? `?${query}` : '';
    const newest = items.reduce((max, i) => (i.updated_at > max ? i.updated_at : max), items[0]?.published_at ?? new Date(0).toISOString());
    return {
      title: `${request.t('watch.public.title')} · ${(await k.settings.get()).networkName}`,
      description: request.t('watch.public.lead'),
      section: 'veille',
      pageUrl: `${base}/veille${suffix}`,
      selfUrl: `${base}/veille/flux.${kind}${suffix}`,
      itemUrl: (id) => `${base}/veille#v-${id}`,
      updatedAt: items.length ? newest : k.clock.now().toISOString(),
      items: items.map((i) => ({
        id: i.id,
        title: i.title,
        link: i.link,
        html: i.summary_html,
        text: i.excerpt,
        publishedAt: i.published_at,
        updatedAt: i.updated_at,
        category: i.category ? request.t(`watch.category.${i.category as 'other'}`) : null,
        source: i.source_name,
      })),
    };
  }

  app.get('/veille/flux.rss', open, async (request, reply) => reply.type('application/rss+xml; charset=utf-8').send(renderRss(await outFeed(request, 'rss'))));
  app.get('/veille/flux.atom', open, async (request, reply) => reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await outFeed(request, 'atom'))));
};
