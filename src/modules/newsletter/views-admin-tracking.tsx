import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField } from '../../kernel/ui/form.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import { DataTable } from '../../kernel/ui/table.js';
import { rateOf, type TrackingStats } from './tracking-stats.js';

/** The mailing form's tracking choice: unticked by default, with what it records and why it is off. */
export function TrackingCheck({ ctx, checked }: { ctx: ViewContext; checked: boolean }) {
  return <CheckboxField name="track" label={ctx.t('newsletter.tracking.label')} hint={ctx.t('newsletter.tracking.hint')} checked={checked} />;
}

function share(ctx: ViewContext, count: number, sent: number): string {
  const rate = rateOf(count, sent);
  return rate === null ? '—' : numberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** Opens and clicks of a sent mailing; dashes when it was sent without tracking. */
export function TrackingSection({ ctx, stats }: { ctx: ViewContext; stats: TrackingStats | null }) {
  const { t } = ctx;
  const figure = (value: (s: TrackingStats) => string) => (stats ? value(stats) : '—');
  return (
    <section aria-labelledby="nl-tracking-title">
      <h2 id="nl-tracking-title" safe>
        {t('newsletter.tracking.title')}
      </h2>
      <p safe>{t(stats ? 'newsletter.tracking.on' : 'newsletter.tracking.off')}</p>
      <dl class="facts">
        <dt safe>{t('newsletter.tracking.uniqueOpens')}</dt>
        <dd data-tracking="unique-opens" safe>
          {figure((s) => String(s.uniqueOpens))}
        </dd>
        <dt safe>{t('newsletter.tracking.openRate')}</dt>
        <dd data-tracking="open-rate" safe>
          {figure((s) => share(ctx, s.uniqueOpens, s.sent))}
        </dd>
        <dt safe>{t('newsletter.tracking.opens')}</dt>
        <dd data-tracking="opens" safe>
          {figure((s) => String(s.opens))}
        </dd>
        <dt safe>{t('newsletter.tracking.uniqueClicks')}</dt>
        <dd data-tracking="unique-clicks" safe>
          {figure((s) => String(s.uniqueClicks))}
        </dd>
        <dt safe>{t('newsletter.tracking.clickRate')}</dt>
        <dd data-tracking="click-rate" safe>
          {figure((s) => share(ctx, s.uniqueClicks, s.sent))}
        </dd>
      </dl>
      {stats && stats.links.length ? (
        <DataTable class="table-stack" caption={t('newsletter.tracking.linksCaption')} columns={[t('newsletter.tracking.link'), t('newsletter.tracking.clicks'), t('newsletter.tracking.people')]}>
          {stats.links.map((l) => (
            <tr data-tracking-link={String(l.position)}>
              <td class="nl-link-url" safe>
                {l.url}
              </td>
              <td data-label={t('newsletter.tracking.clicks')} safe>{String(l.clicks)}</td>
              <td data-label={t('newsletter.tracking.people')} safe>{String(l.people)}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        ''
      )}
      {stats ? (
        <p class="hint" safe>
          {t('newsletter.tracking.caveat')}
        </p>
      ) : (
        ''
      )}
    </section>
  );
}
