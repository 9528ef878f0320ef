import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { DEFAULT_DEDUPE_OPTIONS, type PendingScan } from '../duplicates/index.js';
import { QUEUE_PATH } from './queue-link.js';
import { ActionForm, MergePage } from './views-common.js';

export const AUTO_MERGE_PATH = '/admin/doublons/fusion-automatique';

/** The rule of the automatic merge, in words: its threshold as the reader writes a percentage. */
export function autoMergeRule(ctx: ViewContext): string {
  const threshold = numberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 1 }).format(DEFAULT_DEDUPE_OPTIONS.highThreshold);
  return ctx.t('merge.auto.rule', { threshold });
}

/** « Fusionner les 211 paires sûres » (the queue's link and the confirmation's button). */
export function autoMergeLabel(ctx: ViewContext, count: number): string {
  return ctx.t('merge.auto.submit', { count });
}

/**
 * /admin/doublons/fusion-automatique: how many pairs the automatic merge would take and by which
 * rule, what it does, and the button; or why there is nothing to do (no safe pair, one running).
 */
export function AutoMergePage({ ctx, count, pending }: { ctx: ViewContext; count: number; pending: PendingScan | undefined }) {
  const { t } = ctx;
  return (
    <MergePage ctx={ctx} title={t('merge.auto.title')} back={{ href: QUEUE_PATH, label: t('merge.pair.back') }}>
      {pending ? (
        <p class="flash flash-info" safe>
          {t(pending.status === 'running' ? 'merge.scanState.autoRunningShort' : 'merge.scanState.autoQueued', { date: formatDateTime(pending.since, ctx.locale) })}
        </p>
      ) : count === 0 ? (
        <p class="lead" safe>
          {t('merge.auto.none')}
        </p>
      ) : (
        <>
          <p class="lead" safe>
            {t('merge.auto.count', { count })}
          </p>
          <h2 safe>{t('merge.auto.ruleTitle')}</h2>
          <p safe>{autoMergeRule(ctx)}</p>
          <ActionForm ctx={ctx} action={AUTO_MERGE_PATH} id="auto-merge" class="merge-auto-form" hint={t('merge.auto.how')} label={autoMergeLabel(ctx, count)} variant="primary" />
        </>
      )}
      <p class="more-link">
        <a href={QUEUE_PATH} safe>
          {t('merge.done.backToQueue')}
        </a>
      </p>
    </MergePage>
  );
}
