import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import type { Kernel } from '../../kernel/http/types.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { writeRefused } from '../../kernel/http/write-refused.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { CANCELLATION_MESSAGE_MAX, cancellationReach } from './cancellation.js';
import { type IdParams } from './http.js';
import { type CancelFollowingResult, cancelFollowing, followingDates, type SeriesDate } from './series-service.js';
import type { AgendaEvent } from './types.js';
import { list, text } from './validate.js';
import { SeriesCancelPage, seriesCancelHref } from './views-series-cancel.js';

/**
 * The confirmation step of « cette date et les suivantes » (GET `/admin/agenda/:id?annuler=suivantes`,
 * routes-admin.ts): the dates it cancels with the people registered and waiting on each, the
 * message as typed and its error when it was refused.
 */
export async function seriesCancelPage(
  k: Pick<Kernel, 'db'>,
  request: FastifyRequest,
  reply: FastifyReply,
  found: { event: AgendaEvent; dates: SeriesDate[] },
  options: { message?: string; error?: string; status?: number } = {},
) {
  const reach = await cancellationReach(
    k.db,
    found.dates.map((d) => d.id),
  );
  const dates = found.dates.map((d) => ({ ...d, ...(reach.byEvent.get(d.id) ?? { registered: 0, waitlisted: 0 }) }));
  const page = SeriesCancelPage({ ctx: await viewContext(request, reply), event: found.event, dates, people: reach.people, message: options.message ?? '', ...(options.error ? { error: options.error } : {}) });
  return sendPage(reply, page, options.status ?? (options.error ? 400 : 200));
}

/** Cancelling a date of a series and every later one, confirmed on its own page. */
export const seriesRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  /**
   * Confirmed only (`confirmer=1`, and `dates`: those the confirmation page listed). A form from
   * before the confirmation step, or a bare POST, changes nothing: it leads to the confirmation
   * page, which says so.
   */
  app.post<IdParams>('/admin/agenda/:id/serie/annuler', staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id)) throw new AppError('not_found');
    const found = await followingDates(k.db, id);
    if (!found) throw new AppError('not_found');
    if (!found.dates.length) {
      // Cancelled already (a second tab, a double click): nothing left to do.
      flash(request, 'info', request.t('events.seriesCancel.nothingLeft'));
      return reply.redirect(`/admin/agenda/${id}`, 303);
    }
    const b = formBody(request);
    if (text(b, 'confirmer') !== '1') {
      flash(request, 'error', request.t('events.seriesCancel.unconfirmed'));
      return reply.redirect(seriesCancelHref(id), 303);
    }
    const typed = typeof b['message'] === 'string' ? b['message'].replace(/\r\n?/g, '\n').trim() : '';
    if (typed.length > CANCELLATION_MESSAGE_MAX) {
      return seriesCancelPage(k, request, reply, found, { message: typed, error: request.t('events.cancel.messageTooLong', { max: numberFormat(request.locale).format(CANCELLATION_MESSAGE_MAX) }) });
    }
    let done: CancelFollowingResult | undefined;
    try {
      // Every date, its log line and the emails to the people registered: one transaction.
      done = await cancelFollowing(k, actorOf(request), id, { confirmed: list(b, 'dates'), message: typed || null });
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSaved');
      return seriesCancelPage(k, request, reply, found, { message: typed, status: 503 });
    }
    if (!done) throw new AppError('not_found');
    if (done.kind === 'changed') {
      // Not the dates staff saw: they see the dates as they are now, their message kept, and confirm again.
      if (!done.dates.length) {
        flash(request, 'info', request.t('events.seriesCancel.nothingLeft'));
        return reply.redirect(`/admin/agenda/${id}`, 303);
      }
      flash(request, 'error', request.t('events.seriesCancel.changed'));
      return seriesCancelPage(k, request, reply, { event: found.event, dates: done.dates }, { message: typed, status: 409 });
    }
    flash(request, 'success', request.t('events.series.cancelledFollowing', { count: done.cancelled }));
    if (done.notified) flash(request, 'info', request.t('events.cancel.notified', { count: done.notified }));
    return reply.redirect(`/admin/agenda/${id}`, 303);
  });
};
