import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ICS_CONTENT_TYPE, type IcsEvent, icsCalendar } from '../../kernel/calendar/ics.js';
import { type OutFeed, renderAtom, renderRss, xmlText } from '../../kernel/feeds/write.js';
import { sanitiseRichText } from '../../kernel/html.js';
import type { Translate } from '../../kernel/i18n/index.js';
import { parseLocalDateTime } from '../../kernel/time/zoned.js';
import { callLabels } from './labels.js';
import { listClock, themesOf, visitorFilter } from './listing.js';
import { parseCallQuery } from './query.js';
import * as repo from './repo.js';
import { addDays } from './status.js';
import { callPath } from './types.js';
import { deadlineLine } from './views-parts.js';

type Query = Record<string, string | string[] | undefined>;

/** Calls in one feed or calendar at most. */
const FEED_SIZE = 50;
const CALENDAR_SIZE = 1000;

/** Stable across exports: calendars update the deadline instead of duplicating it. */
export function callUid(id: string, baseUrl: string): string {
  return `call-${id}@${new URL(baseUrl).hostname}`;
}

/** One all-day event on the closing day of a call. */
export function toIcsEvent(call: repo.ListedCall, baseUrl: string, t: Translate, locale: 'fr' | 'en'): IcsEvent {
  const url = `${baseUrl}${callPath(call.slug)}`;
  const start = parseLocalDateTime(call.closes_on, '00:00')!;
  return {
    uid: callUid(call.id, baseUrl),
    start,
    end: parseLocalDateTime(addDays(call.closes_on, 1), '00:00')!,
    allDay: true,
    summary: t('calls.ics.summary', { title: call.title, funder: call.funder }),
    description: [deadlineLine(t, locale, call), call.summary, url].filter(Boolean).join('\n\n'),
    url,
    updated: new Date(call.updated_at),
  };
}

export const callsFeedRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const dialect = k.dbHandle.dialect;
  const open = { config: { access: 'public' as const } };

  app.get<{ Querystring: Query }>('/appels-a-projets.ics', open, async (request, reply) => {
    const parsed = parseCallQuery(request.query);
    const explicitStatus = typeof request.query['statut'] === 'string' && parsed.filter.status !== 'current';
    const filter = await visitorFilter(k.db, parsed.filter, explicitStatus ? parsed.filter.status : 'recent');
    const now = k.clock.now();
    const { rows } = await repo.listCalls(k.db, dialect, filter, listClock(now), { sort: 'closing', offset: 0, limit: CALENDAR_SIZE });
    const base = k.config.baseUrl.replace(/\/+$/, '');
    const body = icsCalendar({
      name: `${request.t('calls.ics.name')} · ${(await k.settings.get()).networkName}`,
      events: rows.map((c) => toIcsEvent(c, base, request.t, request.locale)),
      now,
    });
    return reply.type(ICS_CONTENT_TYPE).header('content-disposition', 'inline; filename="appels-a-projets.ics"').send(body);
  });

  async function outFeed(request: FastifyRequest<{ Querystring: Query }>, kind: 'rss' | 'atom'): Promise<OutFeed> {
    const parsed = parseCallQuery(request.query);
    const filter = await visitorFilter(k.db, parsed.filter, parsed.filter.status);
    const { rows } = await repo.listCalls(k.db, dialect, filter, listClock(k.clock.now()), { sort: 'recent', offset: 0, limit: FEED_SIZE });
    const [labels, themes] = await Promise.all([callLabels(k.db, request.locale), themesOf(k.db, rows.map((r) => r.id))]);
    const base = k.config.baseUrl.replace(/\/+$/, '');
    const suffix = parsed.canonical ? `?${parsed.canonical}` : '';
    const newest = rows.reduce((max, c) => (c.updated_at > max ? c.updated_at : max), rows[0]?.updated_at ?? k.clock.now().toISOString());
    return {
      title: `${request.t('calls.public.title')} · ${(await k.settings.get()).networkName}`,
      description: request.t('calls.public.lead'),
      section: 'appels-a-projets',
      pageUrl: `${base}/appels-a-projets${suffix}`,
      selfUrl: `${base}/appels-a-projets/flux.${kind}${suffix}`,
      itemUrl: (id) => `${base}/appels-a-projets#${id}`,
      updatedAt: newest,
      items: rows.map((c) => ({
        id: c.id,
        title: c.title,
        link: `${base}${callPath(c.slug)}`,
        html: [
          `<p>${xmlText(deadlineLine(request.t, request.locale, c))}</p>`,
          c.summary ? `<p>${xmlText(c.summary)}</p>` : '',
          c.description_html ? sanitiseRichText(c.description_html) : '',
        ].join(''),
        text: c.summary ?? deadlineLine(request.t, request.locale, c),
        publishedAt: c.published_at ?? c.created_at,
        updatedAt: c.updated_at,
        category: (themes.get(c.id) ?? []).map((code) => labels.theme(code))[0] ?? null,
        source: c.funder,
      })),
    };
  }

  app.get<{ Querystring: Query }>('/appels-a-projets/flux.rss', open, async (request, reply) => reply.type('application/rss+xml; charset=utf-8').send(renderRss(await outFeed(request, 'rss'))));
  app.get<{ Querystring: Query }>('/appels-a-projets/flux.atom', open, async (request, reply) => reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await outFeed(request, 'atom'))));
};
