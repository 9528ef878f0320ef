import type { AuditNameOf, AuditRow } from '../../kernel/audit/index.js';
import { formatDateTime, formatDateTimesApart, type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import { auditActionLabel, auditActorLabel, auditEntityLabel } from '../../kernel/audit/index.js';
import { EntityName, showsType } from '../audit/index.js';
import type { GeocodingBacklog, GeocodingStatus } from '../map/index.js';

export interface DashboardData {
  usersByRole: Record<string, number>;
  invitedCount: number;
  jobsByStatus: Record<string, number>;
  recent: AuditRow[];
  /** The current name and page of each recent entry's record. */
  recentNames: AuditNameOf;
  /** Pending proposals (all types) and account requests, from the moderation module. */
  moderation: { total: number; proposals: Record<string, number>; accountRequests: number };
  /** Candidate duplicate pairs waiting for review, from the merge module. */
  duplicates: number;
  /** Geocoding jobs still to run, or where organisations are placed without a geocoder, from the map module. */
  geocoding: GeocodingStatus;
  /** Events to come whose place is still to be found, from the events module. */
  eventsAwaiting: number;
}

/** When the geocoder last failed and will be tried again, told apart when they fall in the same minute. */
function failureTimes(ctx: ViewContext, g: GeocodingBacklog): { at: string; next: string } {
  const times = formatDateTimesApart([g.lastFailureAt, g.nextTryAt].filter((v): v is string => v !== null), ctx.locale);
  const take = (value: string | null, otherwise: string) => (value ? times.shift()! : otherwise);
  return { at: take(g.lastFailureAt, '—'), next: take(g.nextTryAt, ctx.t('map.dashboard.nextTryNow')) };
}

export function DashboardPage({ ctx, data }: { ctx: ViewContext; data: DashboardData }) {
  const { t } = ctx;
  /** A count over its words, which agree with it (« 1 proposition à modérer », « 0 demande de compte », « 2 tâches en échec »). */
  const stat = (key: MessageKey, value: number, href?: string) => {
    const label = t(key, { count: value });
    return (
      <li class="stat">
        <span class="stat-value" safe>
          {numberFormat(ctx.locale).format(value)}
        </span>
        {href ? (
          <a class="stat-label" href={href} safe>
            {label}
          </a>
        ) : (
          <span class="stat-label" safe>
            {label}
          </span>
        )}
      </li>
    );
  };
  const { geocoding } = data;

  return (
    <Layout ctx={ctx} title={t('dashboard.title')} area="admin">
      <h1 safe>{t('dashboard.title')}</h1>
      {geocoding.failing > 0 ? (
        <p class="flash flash-error" role="note" safe>
          {t('map.dashboard.failing', {
            count: numberFormat(ctx.locale).format(geocoding.waiting),
            ...failureTimes(ctx, geocoding),
          })}
        </p>
      ) : (
        ''
      )}
      <section aria-labelledby="stats-title">
        <h2 id="stats-title" class="visually-hidden" safe>
          {t('dashboard.figures')}
        </h2>
        <ul class="stats">
          {stat('moderation.dashboard.pending', data.moderation.total - data.moderation.accountRequests, '/admin/moderation')}
          {stat('moderation.dashboard.accountRequests', data.moderation.accountRequests, '/admin/demandes-de-compte')}
          {stat('merge.dashboard.pending', data.duplicates, '/admin/doublons')}
          {stat('dashboard.members', data.usersByRole['member'] ?? 0, '/admin/comptes?role=member')}
          {stat('dashboard.staff', (data.usersByRole['staff'] ?? 0) + (data.usersByRole['admin'] ?? 0), '/admin/comptes?role=staff')}
          {stat('dashboard.invited', data.invitedCount, '/admin/comptes?status=invited')}
          {stat('dashboard.failedJobs', data.jobsByStatus['failed'] ?? 0)}
          {/* Without a geocoder nothing waits for one: each organisation is placed at its département's chef-lieu. */}
          {geocoding.geocoderEnabled
            ? geocoding.waiting > 0
              ? stat('map.dashboard.waiting', geocoding.waiting)
              : ''
            : geocoding.atDepartmentCentre > 0
              ? stat('map.dashboard.disabled', geocoding.atDepartmentCentre)
              : ''}
          {data.eventsAwaiting > 0 ? stat('events.dashboard.awaitingPlace', data.eventsAwaiting) : ''}
        </ul>
      </section>
      <section aria-labelledby="recent-title" class="section recent-changes">
        <h2 id="recent-title" safe>
          {t('dashboard.recent')}
        </h2>
        {data.recent.length === 0 ? (
          <p safe>{t('audit.empty')}</p>
        ) : (
          <ul class="timeline">
            {data.recent.map((row) => {
              const name = data.recentNames(row);
              // The date, what changed, then who changed it on a line of its own: an address never
              // has to share a row with a long title (it was squeezed to a letter a line at 1280 px).
              return (
                <li>
                  <time datetime={row.at} safe>
                    {formatDateTime(row.at, ctx.locale)}
                  </time>
                  <span>
                    <span data-action={row.action} safe>
                      {auditActionLabel(row.action, t)}
                    </span>
                    {' — '}
                    {showsType(name) ? (
                      <span class="muted" data-entity={row.entity_type} safe>
                        {row.entity_id && !name ? `${auditEntityLabel(row.entity_type, t)} ${row.entity_id.slice(-8)}` : auditEntityLabel(row.entity_type, t)}
                      </span>
                    ) : (
                      ''
                    )}
                    <EntityName name={name} />
                  </span>
                  <span class="timeline-who" safe>
                    {auditActorLabel(row, t)}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        <p class="more-link">
          <a href="/admin/journal" safe>
            {t('dashboard.allHistory')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
