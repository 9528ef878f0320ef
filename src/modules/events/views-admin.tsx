import { type Locale, localLabel, numberFormat } from '../../kernel/i18n/index.js';
import { formatCoordinate } from '../map/index.js';
import { inPerson, positionTypedByPerson } from './place.js';
import type { AuditRow } from '../../kernel/audit/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Field, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { EventFormFields, type EventFormLabels } from './form.js';
import type { StatusAction } from './service.js';
import { EVENT_STATUSES, type AgendaEvent, type EventRow, PUBLIC_EVENT_STATUSES } from './types.js';
import { eventPlace, eventWhen } from './when.js';
import { CANCELLATION_MESSAGE_MAX } from './cancellation.js';
import { HistorySection } from '../../kernel/ui/history.js';
import { seriesCancelHref } from './views-series-cancel.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export const ADMIN_PAGE_SIZE = 50;

export interface AdminListQuery {
  q: string;
  status: string;
  type: string;
  period: 'upcoming' | 'past' | 'all';
  page: number;
}

function typeLabel(types: EventFormLabels['types'], code: string, locale: Locale): string {
  const type = types.find((x) => x.code === code);
  return type ? localLabel(type, locale) : code;
}

export function EventListPage(p: { ctx: ViewContext; rows: EventRow[]; total: number; query: AdminListQuery; types: EventFormLabels['types']; pendingProposals: number }) {
  const { ctx, query } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('events.admin.title')} area="admin">
      <h1 safe>{t('events.admin.title')}</h1>
      <p class="lead" safe>
        {t('events.admin.lead')}
      </p>
      <p class="inline-actions">
        <a class="button button-primary" href="/admin/agenda/nouveau" safe>
          {t('events.admin.create')}
        </a>
        {p.pendingProposals ? (
          <a href="/admin/moderation?type=event" safe>
            {t('events.admin.moderation', { count: p.pendingProposals })}
          </a>
        ) : (
          ''
        )}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([query.q, query.status, query.type, query.period !== 'upcoming'])}>
        <form method="get" action="/admin/agenda" class="inline-actions" role="search" aria-label={t('events.admin.filters')}>
          <Field name="q" label={t('events.admin.q')} value={query.q} />
          <Select
            name="statut"
            label={t('events.admin.status')}
            value={query.status}
            options={[{ value: '', label: t('events.admin.allStatuses') }, ...EVENT_STATUSES.map((s) => ({ value: s, label: t(`events.status.${s}`) }))]}
          />
          <Select name="type" label={t('events.admin.type')} value={query.type} options={[{ value: '', label: t('events.admin.allTypes') }, ...p.types.map((x) => ({ value: x.code, label: localLabel(x, ctx.locale) }))]} />
          <Select
            name="periode"
            label={t('events.admin.period')}
            value={query.period}
            options={(['upcoming', 'past', 'all'] as const).map((x) => ({ value: x, label: t(`events.admin.period.${x}`) }))}
          />
          <SubmitButton label={t('events.admin.filter')} variant="secondary" />
        </form>
      </FilterDisclosure>
      <ResultCount text={t('events.admin.count', { count: numberFormat(ctx.locale).format(p.total) })} />
      {p.rows.length === 0 ? (
        <p safe>{t('events.admin.empty')}</p>
      ) : (
        <DataTable
          caption={t('events.admin.caption')}
          columns={[t('events.admin.col.event'), t('events.admin.col.when'), t('events.admin.col.type'), t('events.admin.col.status'), t('events.admin.col.source')]}
          class="table-stack"
        >
          {p.rows.map((e) => (
            <tr>
              <td>
                <a href={`/admin/agenda/${e.id}`} safe>
                  {e.title}
                </a>
                {e.series_id ? (
                  <span class="muted" safe>
                    {` (${t('events.admin.series')})`}
                  </span>
                ) : (
                  ''
                )}
              </td>
              <td data-label={t('events.admin.col.when')} safe>
                {eventWhen(e, ctx.locale)}
              </td>
              <td data-label={t('events.admin.col.type')} safe>
                {typeLabel(p.types, e.type_code, ctx.locale)}
              </td>
              <td data-label={t('events.admin.col.status')} safe>
                {t(`events.status.${e.status}`)}
              </td>
              <td data-label={t('events.admin.col.source')} safe>{t(`events.source.${(['staff', 'member', 'feed', 'demo'].includes(e.source) ? e.source : 'staff') as 'staff'}`)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager ctx={ctx} page={query.page} total={p.total} pageSize={ADMIN_PAGE_SIZE} query={{ q: query.q, statut: query.status, type: query.type, periode: query.period }} />
    </Layout>
  );
}

export function EventCreatePage(p: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: EventFormLabels }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('events.admin.createTitle')} area="admin">
      {CSS}
      <Breadcrumb href="/admin/agenda" label={t('events.admin.back')} />
      <h1 safe>{t('events.admin.createTitle')}</h1>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action="/admin/agenda/nouveau" class="stack-form mod-form" multipart>
        <EventFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} repetition />
        <p class="inline-actions">
          <button type="submit" name="intent" value="draft" class="button button-secondary" safe>
            {t('events.admin.saveDraft')}
          </button>
          <button type="submit" name="intent" value="publish" class="button button-primary" safe>
            {t('events.admin.savePublish')}
          </button>
        </p>
      </Form>
    </Layout>
  );
}

export interface SeriesView {
  rule: string;
  occurrences: { id: string; title: string; status: EventRow['status']; starts_at: string; ends_at: string; all_day: number }[];
}

const ACTIONS: Record<EventRow['status'], StatusAction[]> = {
  draft: ['publish'],
  proposed: ['publish'],
  published: ['cancel', 'postpone', 'unpublish'],
  cancelled: ['publish', 'unpublish'],
  postponed: ['publish', 'cancel', 'unpublish'],
};

/** What staff read of the event's position: found, approximate, typed by hand, looked up, not found. */
function positionStatus(ctx: ViewContext, e: AgendaEvent, geocoding: boolean): { text: string; inPerson: boolean } {
  const { t } = ctx;
  const coordinate = (value: number | string) => formatCoordinate(Number(value), ctx.locale);
  const position = e.latitude !== null && e.longitude !== null ? `${coordinate(e.latitude)}, ${coordinate(e.longitude)}` : '';
  const held = inPerson(e);
  if (!held && !position) return { text: t(e.online_url ? 'events.position.online' : 'events.position.noPlace'), inPerson: held };
  if (e.geo_precision === 'manual' || positionTypedByPerson(e)) return { text: t('events.position.manual', { position }), inPerson: held };
  if (geocoding) return { text: t('events.position.pending'), inPerson: held };
  switch (e.geo_precision) {
    case 'address':
      return { text: t('events.position.found', { position }), inPerson: held };
    case 'commune':
      return { text: t(e.address ? 'events.position.communeOnly' : 'events.position.commune', { position }), inPerson: held };
    case 'department':
      return { text: t('events.position.department', { position }), inPerson: held };
    case 'not_found':
      return { text: t('events.position.notFound'), inPerson: held };
    default:
      return { text: t('events.position.notYet'), inPerson: held };
  }
}

function PositionSection({ ctx, event, geocoding }: { ctx: ViewContext; event: AgendaEvent; geocoding: boolean }) {
  const { t } = ctx;
  const status = positionStatus(ctx, event, geocoding);
  return (
    <section aria-labelledby="position-title" class="panel">
      <h2 id="position-title" safe>
        {t('events.position.title')}
      </h2>
      <p data-position-status safe>
        {status.text}
      </p>
      {status.inPerson ? (
        <p class="hint" safe>
          {t('events.position.fixHint')}
        </p>
      ) : (
        ''
      )}
    </section>
  );
}

export function EventEditPage(p: {
  ctx: ViewContext;
  event: AgendaEvent;
  /** A geocoding of the event's place waits or runs. */
  geocoding: boolean;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  labels: EventFormLabels;
  series: SeriesView | null;
  history: AuditRow[];
  /** The clock's time: a public event over before it is in the agenda's archives (linked). */
  now?: Date;
}) {
  const { ctx, event } = p;
  const { t } = ctx;
  const isPublic = PUBLIC_EVENT_STATUSES.includes(event.status);
  const archived = isPublic && p.now !== undefined && Date.parse(event.ends_at) <= p.now.getTime();
  return (
    <Layout ctx={ctx} title={t('events.admin.editTitle', { title: event.title })} area="admin">
      {CSS}
      <Breadcrumb href="/admin/agenda" label={t('events.admin.back')} />
      <h1 safe>{t('events.admin.editTitle', { title: event.title })}</h1>
      <p>
        <strong safe>{t('events.admin.currentStatus', { status: t(`events.status.${event.status}`) })}</strong>
        {' · '}
        <span safe>{eventWhen(event, ctx.locale)}</span>
        {isPublic ? (
          <>
            {' · '}
            <a href={`/agenda/${event.slug}`} safe>
              {t('events.admin.publicLink')}
            </a>
          </>
        ) : (
          ''
        )}
        {archived ? (
          <>
            {' · '}
            <a href="/agenda/archives" safe>
              {t('events.admin.archivesLink')}
            </a>
          </>
        ) : (
          ''
        )}
        {' · '}
        <a href={`/admin/agenda/${event.id}/inscriptions`} safe>
          {t('events.admin.registrations')}
        </a>
      </p>
      <section aria-labelledby="status-title" class="panel">
        <h2 id="status-title" safe>
          {t('events.admin.statusTitle')}
        </h2>
        <div class="inline-actions">
          {ACTIONS[event.status].map((action) =>
            // Cancelling takes two steps: the page only links to a confirmation, where staff may write to the people registered.
            action === 'cancel' ? (
              <a class="button button-danger" href={cancelHref(event.id)} safe>
                {t('events.admin.action.cancelAsk')}
              </a>
            ) : (
              <Form ctx={ctx} action={`/admin/agenda/${event.id}/statut`} class="inline-form">
                <button type="submit" name="action" value={action} class={`button ${action === 'publish' ? 'button-primary' : 'button-secondary'}`} safe>
                  {t(`events.admin.action.${action}`)}
                </button>
              </Form>
            ),
          )}
        </div>
      </section>
      <PositionSection ctx={ctx} event={event} geocoding={p.geocoding} />
      {p.series ? <SeriesSection ctx={ctx} event={event} series={p.series} /> : ''}
      <section aria-labelledby="form-title">
        <h2 id="form-title" safe>
          {t('events.admin.save')}
        </h2>
        <p class="hint" safe>
          {t('events.admin.slugHint', { slug: event.slug })}
        </p>
        <ErrorSummary ctx={ctx} errors={p.errors} />
        <Form ctx={ctx} action={`/admin/agenda/${event.id}`} class="stack-form mod-form" multipart>
          <EventFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} />
          <SubmitButton label={t('events.admin.save')} />
        </Form>
      </section>
      <HistorySection
        ctx={ctx}
        entries={p.history}
        labels={{ title: t('events.admin.history'), empty: t('events.admin.historyEmpty'), caption: t('events.admin.historyCaption'), at: t('events.admin.col.at'), who: t('events.admin.col.who'), action: t('events.admin.col.action') }}
      />
    </Layout>
  );
}

/** The confirmation step of an event's cancellation (the edit page's address, `?annuler=1`). */
export function cancelHref(id: string): string {
  return `/admin/agenda/${id}?annuler=1`;
}

/**
 * Confirms an event's cancellation: who will be told by email, and the message staff may write
 * them. The form posts the status change with `confirmer=1`; the event's page is the way back.
 */
export function EventCancelPage(p: { ctx: ViewContext; event: AgendaEvent; recipients: number; message: string; error?: string }) {
  const { ctx, event } = p;
  const { t } = ctx;
  const title = t('events.cancel.title', { title: event.title });
  const place = eventPlace(event);
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <Breadcrumb href={`/admin/agenda/${event.id}`} label={t('events.cancel.back')} />
      <h1 safe>{title}</h1>
      <p safe>{place ? `${eventWhen(event, ctx.locale)} · ${place}` : eventWhen(event, ctx.locale)}</p>
      <p class="lead" safe>
        {p.recipients ? t('events.cancel.recipients', { count: p.recipients }) : t('events.cancel.noRecipients')}
      </p>
      <p safe>{t('events.cancel.stays')}</p>
      <ErrorSummary ctx={ctx} errors={p.error ? { message: p.error } : {}} />
      <Form ctx={ctx} action={`/admin/agenda/${event.id}/statut`} class="stack-form">
        <input type="hidden" name="action" value="cancel" />
        <input type="hidden" name="confirmer" value="1" />
        {p.recipients ? (
          <TextArea name="message" label={t('events.cancel.message')} hint={t('events.cancel.messageHint', { max: numberFormat(ctx.locale).format(CANCELLATION_MESSAGE_MAX) })} value={p.message} error={p.error} rows={5} />
        ) : (
          ''
        )}
        <p class="inline-actions">
          <SubmitButton label={t('events.cancel.submit')} variant="danger" />
          <a class="button button-secondary" href={`/admin/agenda/${event.id}`} safe>
            {t('events.cancel.keep')}
          </a>
        </p>
      </Form>
    </Layout>
  );
}

function SeriesSection({ ctx, event, series }: { ctx: ViewContext; event: AgendaEvent; series: SeriesView }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="series-title" class="panel">
      <h2 id="series-title" safe>
        {t('events.series.title')}
      </h2>
      <p safe>{t('events.series.rule', { rule: series.rule })}</p>
      <DataTable caption={t('events.series.caption')} columns={[t('events.admin.col.when'), t('events.admin.col.status')]}>
        {series.occurrences.map((o) => (
          <tr>
            <td>
              {o.id === event.id ? (
                <strong safe>{`${eventWhen({ ...o, time_zone: event.time_zone }, ctx.locale)} ${t('events.series.this')}`}</strong>
              ) : (
                <a href={`/admin/agenda/${o.id}`} safe>
                  {eventWhen({ ...o, time_zone: event.time_zone }, ctx.locale)}
                </a>
              )}
            </td>
            <td safe>{t(`events.status.${o.status}`)}</td>
          </tr>
        ))}
      </DataTable>
      {event.status !== 'cancelled' ? (
        // Two steps, as for one event: the page only links to a confirmation that lists the dates and who will be told.
        <p class="inline-actions">
          <a class="button button-danger" href={seriesCancelHref(event.id)} safe>
            {t('events.series.cancelFollowingAsk')}
          </a>
        </p>
      ) : (
        ''
      )}
    </section>
  );
}
