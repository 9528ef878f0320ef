import type { FastifyPluginAsync } from 'fastify';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { runSearch, SECTION_PAGE_SIZE } from './run-search.js';
import { SearchPage } from './views.js';

const MAX_QUERY = 200;

type Query = Record<string, string | string[] | undefined>;

/** A parameter given once; a repeated one counts by its first value. */
function first(query: Query, name: string): string {
  const value = query[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export const searchRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  app.get<{ Querystring: Query }>(
    '/recherche',
    { config: { access: 'public' } },
    async (request, reply) => {
      const raw = first(request.query, 'q').trim();
      const query = raw.slice(0, MAX_QUERY);
      const asked = first(request.query, 'rubrique');
      const section = kernel.searchSections.some((s) => s.key === asked) ? asked : null;
      const page = Math.max(1, Math.min(500, Number.parseInt(first(request.query, 'page'), 10) || 1));
      const results = query
        ? await runSearch(kernel, { query, section, page, role: request.user?.role ?? null, locale: request.locale })
        : [];
      // One section's hits are paged; its count may stop at a lower bound, so only an empty page is past the last.
      const chosen = results.find((r) => r.section.key === section);
      const beyond = chosen && !chosen.hits.length ? redirectPastLastPage(request, reply, page, chosen.total, SECTION_PAGE_SIZE) : undefined;
      if (beyond) return beyond;
      const ctx = await viewContext(request, reply);
      return sendPage(reply, SearchPage({ ctx, query, section, page, results, truncated: raw.length > MAX_QUERY }));
    },
  );
};
