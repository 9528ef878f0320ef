import { numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Form, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { CANCELLATION_MESSAGE_MAX, type ReachOfEvent } from './cancellation.js';
import type { SeriesDate } from './series-service.js';
import type { AgendaEvent } from './types.js';
import { eventWhen } from './when.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

/** The confirmation step of « cette date et les suivantes » (the event page's address, `?annuler=suivantes`). */
export function seriesCancelHref(id: string): string {
  return `/admin/agenda/${id}?annuler=suivantes`;
}

/**
 * Confirms the cancellation of a date of a series and of every later one, as the single event's
 * confirmation does: the dates it cancels, with the people registered and waiting on each, how many
 * people will be told by email, and the message staff may write them. The form posts the dates it
 * lists (the cancellation is refused when they changed in between) with `confirmer=1`; the event's
 * page is the way back.
 */
export function SeriesCancelPage(p: {
  ctx: ViewContext;
  event: AgendaEvent;
  dates: (SeriesDate & ReachOfEvent)[];
  /** How many people will get an email (one each, whatever their number of dates). */
  people: number;
  message: string;
  error?: string;
}) {
  const { ctx, event, dates } = p;
  const { t } = ctx;
  const n = numberFormat(ctx.locale);
  const title = t('events.seriesCancel.title', { title: event.title });
  const count = dates.length;
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <Breadcrumb href={`/admin/agenda/${event.id}`} label={t('events.cancel.back')} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('events.seriesCancel.dates', { count })}
      </p>
      <DataTable
        caption={t('events.seriesCancel.caption')}
        columns={[t('events.admin.col.when'), t('events.seriesCancel.col.registered'), t('events.seriesCancel.col.waitlisted')]}
        class="table-stack"
      >
        {dates.map((d) => (
          <tr>
            <td>
              {d.id === event.id ? (
                <strong safe>{`${eventWhen({ ...d, time_zone: event.time_zone }, ctx.locale)} ${t('events.series.this')}`}</strong>
              ) : (
                <a href={`/admin/agenda/${d.id}`} safe>
                  {eventWhen({ ...d, time_zone: event.time_zone }, ctx.locale)}
                </a>
              )}
              {d.title !== event.title ? (
                <span class="muted" safe>
                  {` · ${d.title}`}
                </span>
              ) : (
                ''
              )}
            </td>
            <td data-label={t('events.seriesCancel.col.registered')} safe>
              {n.format(d.registered)}
            </td>
            <td data-label={t('events.seriesCancel.col.waitlisted')} safe>
              {n.format(d.waitlisted)}
            </td>
          </tr>
        ))}
      </DataTable>
      <p class="lead" safe>
        {p.people ? t('events.seriesCancel.recipients', { count: p.people }) : t('events.seriesCancel.noRecipients', { count })}
      </p>
      <p safe>{t('events.seriesCancel.stays', { count })}</p>
      <ErrorSummary ctx={ctx} errors={p.error ? { message: p.error } : {}} />
      <Form ctx={ctx} action={`/admin/agenda/${event.id}/serie/annuler`} class="stack-form">
        <input type="hidden" name="confirmer" value="1" />
        {dates.map((d) => (
          <input type="hidden" name="dates" value={d.id} />
        ))}
        {p.people ? (
          <TextArea name="message" label={t('events.cancel.message')} hint={t('events.cancel.messageHint', { max: n.format(CANCELLATION_MESSAGE_MAX) })} value={p.message} error={p.error} rows={5} />
        ) : (
          ''
        )}
        <p class="inline-actions">
          <SubmitButton label={t('events.seriesCancel.submit', { count })} variant="danger" />
          <a class="button button-secondary" href={`/admin/agenda/${event.id}`} safe>
            {t('events.seriesCancel.keep', { count })}
          </a>
        </p>
      </Form>
    </Layout>
  );
}
