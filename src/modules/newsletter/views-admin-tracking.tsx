import type { ViewContext } from '../../kernel/ui/context.js';
import { DataTable } from '../../kernel/ui/table.js';
import { rateOf, type TrackingStats } from './tracking-stats.js';

/** The mailing form's tracking choice: unticked by default, with what it records and why it is off. */
export function TrackingCheck({ ctx, checked }: { ctx: ViewContext; checked: boolean }) {
  const { t } = ctx;
  return (
    <div class="field field-check">
      <input type="checkbox" id="f-track" name="track" value="1" checked={checked} aria-describedby="f-track-hint" />
      <label for="f-track" safe>
        {t('newsletter.tracking.label')}
      </label>
      <span class="hint" id="f-track-hint" safe>
        {t('newsletter.tracking.hint')}
      </span>
    </div>
  );
}

function share(ctx: ViewContext, count: number, sent: number): string {
  const rate = rateOf(count, sent);
  return rate === null ? '—' : new Intl.NumberFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
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
        <DataTable caption={t('newsletter.tracking.linksCaption')} columns={[t('newsletter.tracking.link'), t('newsletter.tracking.clicks'), t('newsletter.tracking.people')]}>
          {stats.links.map((l) => (
            <tr data-tracking-link={String(l.position)}>
              <td class="nl-link-url" safe>
                {l.url}
              </td>
              <td safe>{String(l.clicks)}</td>
              <td safe>{String(l.people)}</td>
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
