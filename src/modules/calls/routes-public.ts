import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendAttachment } from '../../kernel/files/downloads.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { type CallLabels, callLabels } from './labels.js';
import { listClock, offeredCountries, themesOf, visitorFilter } from './listing.js';
import { parseCallQuery } from './query.js';
import * as repo from './repo.js';
import { funderOrganisation } from './service.js';
import { callPath } from './types.js';
import { callsPageCache } from './version.js';
import { CallPage } from './views-call.js';
import { ArchivePage, CallsPage } from './views-public.js';
import { redirectMoved } from '../../kernel/http/moved.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';

type Query = Record<string, string | string[] | undefined>;

export const PAGE_SIZE = 20;

const isStaff = (role: string | undefined) => role === 'staff' || role === 'admin';

/** The public pages of the calls: the list (current calls), the archive (closed ones), one call, its documents. */
export const callsPublicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const dialect = k.dbHandle.dialect;
  const cached = { access: 'public' as const, pageCache: callsPageCache };

  async function listPage(query: Query, archive: boolean) {
    const parsed = parseCallQuery(query);
    const now = k.clock.now();
    const at = listClock(now);
    const status = archive ? 'closed' : parsed.filter.status;
    const [filter, counting] = await Promise.all([visitorFilter(k.db, parsed.filter, status), visitorFilter(k.db, parsed.filter, 'any')]);
    const sort = archive ? (parsed.sort === 'recent' ? 'recent' : 'closing_desc') : parsed.sort;
    const [{ rows, total }, counts] = await Promise.all([
      repo.listCalls(k.db, dialect, filter, at, { sort, offset: (parsed.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
      repo.statusCounts(k.db, dialect, counting, at),
    ]);
    return { parsed, rows, total, counts, now, themesOf: await themesOf(k.db, rows.map((r) => r.id)), pageSize: PAGE_SIZE };
  }

  /** The labels of a list page, its country filter narrowed to the countries its calls name. */
  async function listLabels(labels: CallLabels, data: Awaited<ReturnType<typeof listPage>>, archive: boolean): Promise<CallLabels> {
    const countries = await offeredCountries(k.db, labels, archive ? 'closed' : 'current', listClock(data.now), data.parsed.filter.countries);
    return { ...labels, countries };
  }

  app.get<{ Querystring: Query }>('/appels-a-projets', { config: cached }, async (request, reply) => {
    const [data, labels] = await Promise.all([listPage(request.query, false), callLabels(k.db, request.locale)]);
    const beyond = redirectPastLastPage(request, reply, data.parsed.page, data.total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, CallsPage({ ctx, labels: await listLabels(labels, data, false), ...data }));
  });

  app.get<{ Querystring: Query }>('/appels-a-projets/archives', { config: cached }, async (request, reply) => {
    const [data, labels] = await Promise.all([listPage(request.query, true), callLabels(k.db, request.locale)]);
    const beyond = redirectPastLastPage(request, reply, data.parsed.page, data.total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ArchivePage({ ctx, labels: await listLabels(labels, data, true), ...data }));
  });

  app.get<{ Params: { slug: string } }>('/appels-a-projets/:slug', { config: cached }, async (request, reply) => {
    const found = await repo.findCallBySlug(k.db, request.params.slug);
    if (!found || (found.call.status !== 'published' && !isStaff(request.user?.role))) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, callPath(found.redirectTo));
    const [labels, funder, ctx] = await Promise.all([callLabels(k.db, request.locale), funderOrganisation(k.db, found.call.funder_organisation_id), viewContext(request, reply)]);
    return sendPage(reply, CallPage({ ctx, call: found.call, labels, funder, now: k.clock.now() }));
  });

  app.get<{ Params: { id: string } }>('/appels-a-projets/documents/:id', { config: { access: 'public' } }, async (request, reply) => {
    const { id } = request.params;
    const doc = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findDocument(k.db, id) : undefined;
    if (!doc || (doc.call_status !== 'published' && !isStaff(request.user?.role))) throw new AppError('not_found');
    // Always a download, under its stored (sanitised) name, with the type sniffed at upload.
    return sendAttachment(reply, k.config.dataDir, doc, doc.original_name, { cacheControl: doc.call_status === 'published' ? 'public, max-age=3600' : 'private, no-store' });
  });
};
