import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ICS_CONTENT_TYPE, icsCalendar } from '../../kernel/calendar/ics.js';
import { AppError } from '../../kernel/errors.js';
import { sendPage } from '../../kernel/http/view-context.js';
import { clientBundle } from '../../kernel/http/client-bundle.js';
import { agendaPageCache, FeedCache } from './cache.js';
import { eventUid, eventUrl, toIcsEvent } from './ics-export.js';
import { agendaLabels } from './labels.js';
import { type ListedEvent, publicEvent, upcomingEvents } from './listing.js';
import { eventPlace, isOnline, publicOnlineUrl } from './present.js';
import { agendaHref, parseAgendaQuery } from './query.js';
import { WidgetPage } from './views-widget.js';
import { redirectMoved } from '../../kernel/http/moved.js';

type Query = Record<string, string | string[] | undefined>;

/** Events in a subscribed feed: what is coming and what ended in the last 90 days, at most this many. */
export const FEED_LIMIT = 1000;
const FEED_PAST_DAYS = 90;
const WIDGET_DEFAULT = 5;
const WIDGET_MAX = 20;

/**
 * The widget alone may be framed by any site: the CSP's frame-ancestors becomes `*` and helmet's
 * X-Frame-Options goes (runs after helmet's own onRequest hook; the page cache keeps these headers).
 */
async function allowFraming(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string') reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  reply.raw.removeHeader('x-frame-options');
  reply.removeHeader('x-frame-options');
}

function widgetSize(query: Query): number {
  const raw = Number.parseInt(String(Array.isArray(query.nombre) ? query.nombre[0] : (query.nombre ?? '')), 10);
  return Number.isFinite(raw) ? Math.min(WIDGET_MAX, Math.max(1, raw)) : WIDGET_DEFAULT;
}

/** Sends a text body with a strong ETag; a matching If-None-Match gets 304. */
function sendTagged(request: FastifyRequest, reply: FastifyReply, body: string, type: string): FastifyReply {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag).header('cache-control', 'public, max-age=300');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(type).send(body);
}

/** iCalendar feeds, the embeddable widget and its JSON, and the agenda map's script. */
export const agendaFeedRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const deps = { db: kernel.db };
  const baseUrl = kernel.config.baseUrl;
  const feeds = new FeedCache();
  const feedKey = (request: FastifyRequest) => `${request.locale} ${request.url}`;

  const icsOf = (request: FastifyRequest, name: string, rows: ListedEvent[]) =>
    icsCalendar({
      name,
      now: kernel.clock.now(),
      events: rows.map((e) => toIcsEvent(e, baseUrl, request.t, { organisers: e.organiserRefs.map((o) => o.name) })),
    });

  app.get<{ Querystring: Query }>('/agenda.ics', { config: { access: 'public' } }, async (request, reply) => {
    const body = await feeds.get(kernel, feedKey(request), async () => {
      const parsed = { ...parseAgendaQuery(request.query), page: 1 };
      const since = new Date(kernel.clock.now().getTime() - FEED_PAST_DAYS * 86_400_000);
      const [{ rows }, settings] = await Promise.all([upcomingEvents(deps, parsed, since, FEED_LIMIT), kernel.settings.get()]);
      return icsOf(request, request.t('agenda.feeds.calendarName', { network: settings.networkName }), rows);
    });
    reply.header('content-disposition', 'inline; filename="agenda.ics"');
    return sendTagged(request, reply, body, ICS_CONTENT_TYPE);
  });

  app.get<{ Params: { slug: string } }>('/agenda/:slug.ics', { config: { access: 'public' } }, async (request, reply) => {
    const found = await publicEvent(deps, request.params.slug);
    if (!found) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, `/agenda/${encodeURIComponent(found.redirectTo)}.ics`);
    const e: ListedEvent = { ...found.event, organiserRefs: found.organisers };
    const body = icsOf(request, e.title, [e]);
    reply.header('content-disposition', `attachment; filename="${found.event.slug}.ics"`);
    return sendTagged(request, reply, body, ICS_CONTENT_TYPE);
  });

  app.get<{ Querystring: Query }>(
    '/agenda/widget',
    { config: { access: 'public', pageCache: agendaPageCache }, onRequest: allowFraming },
    async (request, reply) => {
      const parsed = { ...parseAgendaQuery(request.query), page: 1 };
      const [{ rows }, labels, settings] = await Promise.all([
        upcomingEvents(deps, parsed, kernel.clock.now(), widgetSize(request.query)),
        agendaLabels(kernel.db, request.locale),
        kernel.settings.get(),
      ]);
      return sendPage(
        reply,
        WidgetPage({ t: request.t, locale: request.locale, networkName: settings.networkName, rows, labels, moreHref: agendaHref('/agenda', parsed.canonical) }),
      );
    },
  );

  app.get<{ Querystring: Query }>('/agenda/widget.json', { config: { access: 'public' } }, async (request, reply) => {
    const body = await feeds.get(kernel, feedKey(request), async () => {
      const parsed = { ...parseAgendaQuery(request.query), page: 1 };
      const [{ rows, total }, labels] = await Promise.all([
        upcomingEvents(deps, parsed, kernel.clock.now(), widgetSize(request.query)),
        agendaLabels(kernel.db, request.locale),
      ]);
      return JSON.stringify({
        url: `${baseUrl}${agendaHref('/agenda', parsed.canonical)}`,
        ics: `${baseUrl}${agendaHref('/agenda.ics', parsed.canonical)}`,
        total,
        events: rows.map((e) => ({
          id: e.id,
          uid: eventUid(e.id, baseUrl),
          title: e.title,
          summary: e.summary,
          url: eventUrl(e.slug, baseUrl),
          start: e.starts_at,
          end: e.ends_at,
          allDay: Number(e.all_day) === 1,
          status: e.status,
          type: { code: e.type_code, label: labels.type(e.type_code) },
          place: eventPlace(e),
          departement: e.department_code,
          online: isOnline(e),
          onlineUrl: publicOnlineUrl(e),
          latitude: e.latitude === null ? null : Number(e.latitude),
          longitude: e.longitude === null ? null : Number(e.longitude),
          approximate: e.geo_precision === 'department',
          organisers: e.organiserRefs.map((o) => ({
            name: o.name,
            url: o.visibility === 'public' ? `${baseUrl}/acteurs/${encodeURIComponent(o.slug)}` : null,
          })),
        })),
      });
    });
    reply.header('access-control-allow-origin', '*');
    return sendTagged(request, reply, body, 'application/json; charset=utf-8');
  });

  app.get('/assets/js/agenda-map.js', { config: { access: 'public' } }, async (request, reply) => {
    const bundle = await clientBundle('agenda-map', kernel.config.nodeEnv !== 'development');
    reply.header('etag', bundle.etag).header('cache-control', 'public, max-age=3600');
    if (request.headers['if-none-match'] === bundle.etag) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(bundle.code);
  });
};
