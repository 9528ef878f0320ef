import { formatDateTime } from '../../kernel/i18n/index.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { DataTable } from '../../kernel/ui/table.js';
import { AdminFrame } from '../newsletter/index.js';
import type { RunSummary } from './repo.js';

export const ALERTS_PATH = '/admin/lettres/alertes';

export interface AlertsPageProps {
  ctx: ViewContext;
  list: { id: string; name: string };
  confirmed: number;
  sendHour: number;
  /** The hour shown in the admin's form (a refused value comes back as typed). */
  hourValue: string;
  errors: FieldErrors;
  runs: RunSummary[];
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function RunRow({ ctx, run }: { ctx: ViewContext; run: RunSummary }) {
  const { t } = ctx;
  const n = (key: keyof RunSummary['counts']) => run.counts[key] ?? 0;
  const handled = Object.values(run.counts).reduce((sum, c) => sum + (c ?? 0), 0);
  return (
    <tr>
      <td>
        <time datetime={run.day} safe>
          {formatDay(run.day, ctx.locale, 'medium')}
        </time>
      </td>
      <td safe>{formatDateTime(run.started_at, ctx.locale)}</td>
      <td safe>{run.finished_at ? formatDateTime(run.finished_at, ctx.locale) : t('callAlerts.admin.unfinished')}</td>
      <td safe>{String(handled)}</td>
      <td safe>{String(n('sent'))}</td>
      <td safe>{String(n('empty'))}</td>
      <td safe>{String(n('failed') + n('retry') + n('sending'))}</td>
    </tr>
  );
}

/** The alerts on calls in the newsletter's back office: the list, the send hour, the last runs. */
export function AlertsPage(props: AlertsPageProps) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('callAlerts.admin.title')} tab="alerts">
      <p safe>{t('callAlerts.admin.intro')}</p>
      <ul>
        <li>
          <span safe>{t('callAlerts.admin.list')}</span>{' '}
          <a href={`/admin/lettres/listes/${encodeURIComponent(props.list.id)}`} safe>
            {props.list.name}
          </a>
        </li>
        <li safe>{t('callAlerts.admin.confirmed', { count: props.confirmed })}</li>
        <li safe>{t('callAlerts.admin.hour', { hour: hourLabel(props.sendHour) })}</li>
      </ul>
      {ctx.user?.role === 'admin' ? (
        <section aria-labelledby="ca-hour-title">
          <h2 id="ca-hour-title" safe>
            {t('callAlerts.admin.hourTitle')}
          </h2>
          <ErrorSummary ctx={ctx} errors={props.errors} />
          <Form ctx={ctx} action={ALERTS_PATH}>
            <Select
              name="sendHour"
              label={t('callAlerts.admin.hourField')}
              options={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hourLabel(h) }))}
              value={props.hourValue}
              error={props.errors['sendHour']}
              required
            />
            <SubmitButton label={t('callAlerts.admin.save')} />
          </Form>
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="ca-runs-title">
        <h2 id="ca-runs-title" safe>
          {t('callAlerts.admin.runsTitle')}
        </h2>
        {props.runs.length === 0 ? (
          <p safe>{t('callAlerts.admin.noRun')}</p>
        ) : (
          <DataTable
            caption={t('callAlerts.admin.runsTitle')}
            columns={[
              t('callAlerts.admin.day'),
              t('callAlerts.admin.started'),
              t('callAlerts.admin.finished'),
              t('callAlerts.admin.subscribers'),
              t('callAlerts.admin.sent'),
              t('callAlerts.admin.empty'),
              t('callAlerts.admin.failed'),
            ]}
          >
            {props.runs.map((run) => (
              <RunRow ctx={ctx} run={run} />
            ))}
          </DataTable>
        )}
      </section>
    </AdminFrame>
  );
}
