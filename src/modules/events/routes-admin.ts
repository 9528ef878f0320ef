import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { type Locale, numberFormat, type Translate } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pendingModerationCounts } from '../moderation/index.js';
import { type IdParams, translate } from './http.js';
import * as repo from './repo.js';
import { EVENT_GEOCODE_JOB } from './geocode.js';
import { describeRule, parseRule, repeatFormValues } from './series.js';
import { checkEventWithRepetition, createSeries, followingDates } from './series-service.js';
import { seriesCancelPage } from './routes-series.js';
import { cancelEvent, changeEventStatus, checkEvent, createEvent, draftOfEvent, eventFormLabels, eventTypes, isStatusAction, updateEvent } from './service.js';
import { CANCELLATION_MESSAGE_MAX, cancellationRecipients } from './cancellation.js';
import { type AgendaEvent, EVENT_STATUSES, PUBLIC_EVENT_STATUSES } from './types.js';
import { eventWhen } from './when.js';
import { draftFormValues, list, submittedFormValues, text } from './validate.js';
import { ADMIN_PAGE_SIZE, type AdminListQuery, cancelHref, EventCancelPage, EventCreatePage, EventEditPage, EventListPage, type SeriesView } from './views-admin.js';
import { writeRefused } from '../../kernel/http/write-refused.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';

function listQuery(raw: Record<string, unknown>): AdminListQuery {
  const status = text(raw, 'statut');
  const period = text(raw, 'periode');
  return {
    q: text(raw, 'q').slice(0, 200),
    status: (EVENT_STATUSES as readonly string[]).includes(status) ? status : '',
    type: text(raw, 'type').slice(0, 60),
    period: period === 'past' || period === 'all' ? period : 'upcoming',
    page: pageNumber(text(raw, 'page') || undefined),
  };
}

/**
 * A date in the past is allowed (staff record what already took place), but said after the save: a
 * public event over before now is in the agenda's archives, not among what is coming; a draft will
 * go there when published. Null for an event still to come.
 */
export function pastEventNotice(event: Pick<AgendaEvent, 'status' | 'starts_at' | 'ends_at' | 'all_day' | 'time_zone'>, now: Date, t: Translate, locale: Locale): string | null {
  if (Date.parse(event.ends_at) > now.getTime()) return null;
  const when = eventWhen(event, locale);
  return t(PUBLIC_EVENT_STATUSES.includes(event.status) ? 'events.admin.pastPublic' : 'events.admin.pastDraft', { when });
}

/** The staff back office of the agenda: list with filters, creation (one date or a series), the event's page. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  app.get('/admin/agenda', staff, async (request, reply) => {
    const query = listQuery(request.query as Record<string, unknown>);
    const [page, types, pending] = await Promise.all([
      repo.listEvents(k.db, {
        statuses: query.status ? [query.status] : [],
        types: query.type ? [query.type] : [],
        period: query.period,
        tokens: searchTokens(query.q),
        now: k.clock.now().toISOString(),
        limit: ADMIN_PAGE_SIZE,
        offset: (query.page - 1) * ADMIN_PAGE_SIZE,
      }),
      eventTypes(k.db),
      pendingModerationCounts(k.db),
    ]);
    const beyond = redirectPastLastPage(request, reply, query.page, page.total, ADMIN_PAGE_SIZE);
    if (beyond) return beyond;
    return sendPage(reply, EventListPage({ ctx: await viewContext(request, reply), rows: page.rows, total: page.total, query, types, pendingProposals: pending.proposals['event'] ?? 0 }));
  });

  /** After a save: the event (the first date of a series) is over? Staff are told where it shows. */
  async function flashIfPast(request: FastifyRequest, id: string): Promise<void> {
    const event = await repo.findEventById(k.db, id);
    const notice = event ? pastEventNotice(event, k.clock.now(), request.t, request.locale) : null;
    if (notice) flash(request, 'info', notice);
  }

  async function createPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
    const labels = await eventFormLabels(k.db, list(values, 'organisers'));
    return sendPage(reply, EventCreatePage({ ctx: await viewContext(request, reply), values, errors, labels }), status);
  }

  app.get('/admin/agenda/nouveau', staff, async (request, reply) => createPage(request, reply, { type_code: 'network_meeting', repeat_interval: '1' }, {}));

  redirectNewFormAliases(app, '/admin/agenda', 'nouveau', 'staff');

  app.post('/admin/agenda/nouveau', staff, async (request, reply) => {
    const b = formBody(request);
    const checked = await checkEventWithRepetition(k, b, { uploaderId: actorOf(request).id, repetition: true });
    if (!checked.ok) return createPage(request, reply, { ...submittedFormValues(b), ...repeatFormValues(b) }, translate(checked.errors, request.t), 400);
    const status = text(b, 'intent') === 'publish' ? 'published' : 'draft';
    const actor = actorOf(request);
    const rule = checked.rule;
    // The event, or the series with all its dates, is written in one transaction (with its log
    // lines): when the database refuses any of it, nothing stays, and the form comes back as typed.
    let written: { id: string; message: string };
    try {
      if (rule) {
        const series = await createSeries(k, actor, checked.draft, rule, status);
        written = { id: series.eventIds[0]!, message: request.t('events.series.created', { count: series.eventIds.length }) };
      } else {
        const created = await createEvent(k, actor, checked.draft, { status, source: 'staff' });
        written = { id: created.id, message: request.t('events.admin.created', { title: created.title }) };
      }
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSaved');
      return createPage(request, reply, { ...submittedFormValues(b), ...repeatFormValues(b) }, {}, 503);
    }
    flash(request, 'success', written.message);
    await flashIfPast(request, written.id);
    return reply.redirect(`/admin/agenda/${written.id}`, 303);
  });

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, submitted?: { values?: Record<string, unknown>; errors: Record<string, string>; status?: number }) {
    if (!isId(id)) throw new AppError('not_found');
    const event = await repo.findEventById(k.db, id);
    if (!event) throw new AppError('not_found');
    const values = submitted?.values ?? draftFormValues(draftOfEvent(event));
    const [labels, history, series, geocoding] = await Promise.all([
      eventFormLabels(k.db, [...event.organisers, ...list(values, 'organisers')]),
      listAudit(k.db, { entityType: 'event', entityId: id, limit: 50, offset: 0 }),
      seriesView(event.series_id, request.t, request.locale),
      repo.geocodingQueued(k.db, EVENT_GEOCODE_JOB, id),
    ]);
    return sendPage(
      reply,
      EventEditPage({ ctx: await viewContext(request, reply), event, geocoding, values, errors: submitted?.errors ?? {}, labels, series, history: history.rows, now: k.clock.now() }),
      submitted ? (submitted.status ?? 400) : 200,
    );
  }

  async function seriesView(seriesId: string | null, t: Translate, locale: Locale): Promise<SeriesView | null> {
    if (!seriesId) return null;
    const [series, occurrences] = await Promise.all([repo.findSeries(k.db, seriesId), repo.occurrencesOf(k.db, seriesId)]);
    if (!series) return null;
    const rule = parseRule(series.rule);
    return { rule: rule ? describeRule(rule, t, locale) : series.rule, occurrences };
  }

  /** The confirmation step of a cancellation, with the message as typed and its error when it was refused. */
  async function cancelPage(request: FastifyRequest, reply: FastifyReply, event: AgendaEvent, message = '', error?: string, status = error ? 400 : 200) {
    const recipients = await cancellationRecipients(k.db, event.id);
    return sendPage(reply, EventCancelPage({ ctx: await viewContext(request, reply), event, recipients, message, ...(error ? { error } : {}) }), status);
  }

  app.get<IdParams>('/admin/agenda/:id', staff, async (request, reply) => {
    const { id } = request.params;
    const ask = text(request.query as Record<string, unknown>, 'annuler');
    if (ask === '1' && isId(id)) {
      const event = await repo.findEventById(k.db, id);
      // Already cancelled (a second tab, a back button): the event's page says so.
      if (event && event.status !== 'cancelled') return cancelPage(request, reply, event);
    }
    // This date and the following ones of its series (routes-series.ts); none left to cancel: the event's page.
    if (ask === 'suivantes' && isId(id)) {
      const found = await followingDates(k.db, id);
      if (found?.dates.length) return seriesCancelPage(k, request, reply, found);
    }
    return editPage(request, reply, id);
  });

  app.post<IdParams>('/admin/agenda/:id', staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id) || !(await repo.findEventById(k.db, id))) throw new AppError('not_found');
    const b = formBody(request);
    const checked = await checkEvent(k, b, undefined, actorOf(request).id);
    if (!checked.ok) return editPage(request, reply, id, { values: submittedFormValues(b), errors: translate(checked.errors, request.t) });
    try {
      // One transaction (the row, its links, the old slug, the log line): refused, the event stays as it was.
      await updateEvent(k, actorOf(request), id, checked.draft);
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSaved');
      return editPage(request, reply, id, { values: submittedFormValues(b), errors: {}, status: 503 });
    }
    flash(request, 'success', request.t('events.admin.saved'));
    await flashIfPast(request, id);
    return reply.redirect(`/admin/agenda/${id}`, 303);
  });

  app.post<IdParams>('/admin/agenda/:id/statut', staff, async (request, reply) => {
    const { id } = request.params;
    const b = formBody(request);
    const action = text(b, 'action');
    if (!isId(id)) throw new AppError('not_found');
    if (!isStatusAction(action)) throw new AppError('bad_request');
    if (action === 'cancel') return cancel(request, reply, id, b);
    let changed: Awaited<ReturnType<typeof changeEventStatus>>;
    try {
      // The status and its log line are one transaction: refused, the event keeps its status.
      changed = await changeEventStatus(k, actorOf(request), id, action);
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSaved');
      return editPage(request, reply, id, { errors: {}, status: 503 });
    }
    if (!changed) throw new AppError('not_found');
    flash(request, 'success', request.t(`events.admin.done.${action}`));
    if (action === 'publish') await flashIfPast(request, id);
    return reply.redirect(`/admin/agenda/${id}`, 303);
  });

  /**
   * A cancellation, confirmed (`confirmer=1`: a form from before the confirmation step is asked to
   * confirm, and nothing changes), with the message staff wrote to the people registered.
   */
  async function cancel(request: FastifyRequest, reply: FastifyReply, id: string, b: Record<string, unknown>) {
    const event = await repo.findEventById(k.db, id);
    if (!event) throw new AppError('not_found');
    if (text(b, 'confirmer') !== '1') return reply.redirect(cancelHref(id), 303);
    const typed = typeof b['message'] === 'string' ? b['message'].replace(/\r\n?/g, '\n').trim() : '';
    if (typed.length > CANCELLATION_MESSAGE_MAX) return cancelPage(request, reply, event, typed, request.t('events.cancel.messageTooLong', { max: numberFormat(request.locale).format(CANCELLATION_MESSAGE_MAX) }));
    let done: Awaited<ReturnType<typeof cancelEvent>>;
    try {
      // The status, its log line and the emails to the people registered: one transaction.
      done = await cancelEvent(k, actorOf(request), id, typed || null);
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSaved');
      return cancelPage(request, reply, event, typed, undefined, 503);
    }
    if (!done) throw new AppError('not_found');
    flash(request, 'success', request.t('events.admin.done.cancel'));
    if (done.notified) flash(request, 'info', request.t('events.cancel.notified', { count: done.notified }));
    return reply.redirect(`/admin/agenda/${id}`, 303);
  }
};
