import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { agendaPageCache, agendaSeatsPageCache } from './cache.js';
import { localDay } from './calendar.js';
import { agendaLabels } from './labels.js';
import { LIST_PAGE_SIZE, mapEvents, monthEvents, pastEvents, publicEvent, upcomingEvents } from './listing.js';
import { monthKey } from './present.js';
import { parseAgendaQuery, type ParsedAgendaQuery } from './query.js';
import { type AgendaContent, AgendaFragment, AgendaPage, ArchivesFragment, ArchivesPage } from './views.js';
import { EventPage } from './views-event.js';
import { redirectMoved } from '../../kernel/http/moved.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';

type Query = Record<string, string | string[] | undefined>;

/** The script asks for the region it swaps with `HX-Request: true`; `?partiel=1` does the same. */
function wantsFragment(request: FastifyRequest<{ Querystring: Query }>): boolean {
  return request.headers['hx-request'] === 'true' || request.query.partiel === '1';
}

/** The public agenda's pages: upcoming events (list, month, map), the archive, one event. */
export const agendaRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const deps = { db: kernel.db };
  const cached = { access: 'public' as const, pageCache: agendaPageCache };
  const withSeats = { access: 'public' as const, pageCache: agendaSeatsPageCache };

  async function content(parsed: ParsedAgendaQuery, now: Date): Promise<AgendaContent> {
    if (parsed.view === 'month') {
      const { grid, total } = await monthEvents(deps, parsed, now);
      return { view: 'month', grid, total, currentMonth: monthKey(now), today: localDay(now) };
    }
    if (parsed.view === 'map') {
      return { view: 'map', ...(await mapEvents(deps, parsed, now)), tileUrl: kernel.config.tileUrl };
    }
    return { view: 'list', ...(await upcomingEvents(deps, parsed, now, LIST_PAGE_SIZE, true)), pageSize: LIST_PAGE_SIZE };
  }

  app.get<{ Querystring: Query }>('/agenda', { config: withSeats }, async (request, reply) => {
    const parsed = parseAgendaQuery(request.query);
    const now = kernel.clock.now();
    const [c, labels] = await Promise.all([content(parsed, now), agendaLabels(kernel.db, request.locale)]);
    // Only the list is paged: the month and the map show every event of their frame.
    const beyond = c.view === 'list' ? redirectPastLastPage(request, reply, parsed.page, c.total, LIST_PAGE_SIZE) : undefined;
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    const props = { ctx, parsed, labels, baseUrl: kernel.config.baseUrl, content: c };
    reply.header('vary', 'HX-Request');
    return sendPage(reply, wantsFragment(request) ? AgendaFragment(props) : AgendaPage(props));
  });

  app.get<{ Querystring: Query }>('/agenda/archives', { config: cached }, async (request, reply) => {
    const parsed = parseAgendaQuery(request.query);
    const [page, labels] = await Promise.all([pastEvents(deps, parsed, kernel.clock.now()), agendaLabels(kernel.db, request.locale)]);
    const beyond = redirectPastLastPage(request, reply, parsed.page, page.total, LIST_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    const props = { ctx, parsed, labels, baseUrl: kernel.config.baseUrl, ...page, pageSize: LIST_PAGE_SIZE };
    reply.header('vary', 'HX-Request');
    return sendPage(reply, wantsFragment(request) ? ArchivesFragment(props) : ArchivesPage(props));
  });

  app.get<{ Params: { slug: string } }>('/agenda/:slug', { config: withSeats }, async (request, reply) => {
    const found = await publicEvent(deps, request.params.slug, true);
    if (!found) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, `/agenda/${encodeURIComponent(found.redirectTo)}`);
    const [labels, ctx] = await Promise.all([agendaLabels(kernel.db, request.locale), viewContext(request, reply)]);
    return sendPage(
      reply,
      EventPage({
        ctx,
        event: found.event,
        organisers: found.organisers,
        seated: found.seated,
        labels,
        baseUrl: kernel.config.baseUrl,
        tileUrl: kernel.config.tileUrl,
        now: kernel.clock.now(),
      }),
    );
  });
};
