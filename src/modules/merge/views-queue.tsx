import type { DuplicateStatus } from '../../db/schema.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Select, SubmitButton } from '../../kernel/ui/form.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import type { MergeRow, QueueRow } from './repo.js';
import { ActionForm, MergePage, Reasons, scoreText, SideSummary, STATUS_LABEL, Timestamp } from './views-common.js';

export const QUEUE_STATUSES = ['pending', 'merged', 'auto_merged', 'dismissed'] as const satisfies readonly DuplicateStatus[];
export const QUEUE_PAGE_SIZE = 25;

export interface QueueProps {
  ctx: ViewContext;
  status: DuplicateStatus;
  counts: Record<DuplicateStatus, number>;
  page: number;
  total: number;
  /** Pending or dismissed pairs. */
  pairs: QueueRow[];
  /** Merged pairs (merged or auto-merged lists). */
  merges: MergeRow[];
  /** Whether the full scan can be started from here. */
  canScan: boolean;
}

function PairsTable({ ctx, pairs }: { ctx: ViewContext; pairs: QueueRow[] }) {
  const { t } = ctx;
  return (
    <DataTable caption={t('merge.queue.caption')} columns={[t('merge.col.score'), t('merge.col.first'), t('merge.col.second'), t('merge.col.reasons'), t('merge.col.action')]} class="merge-queue">
      {pairs.map((p) => (
        <tr>
          <td class="nowrap">
            <strong safe>{scoreText(ctx, p.score)}</strong>
            {p.auto_mergeable ? (
              <span class="merge-line badge merge-auto" safe>
                {t('merge.autoMergeable')}
              </span>
            ) : (
              ''
            )}
          </td>
          <td>
            <SideSummary ctx={ctx} side={p.a} />
          </td>
          <td>
            <SideSummary ctx={ctx} side={p.b} />
          </td>
          <td>
            <Reasons ctx={ctx} json={p.reasons} />
          </td>
          <td class="nowrap">
            <a class="button button-secondary button-compact" href={`/admin/doublons/${p.id}`}>
              <span safe>{t('merge.queue.open')}</span>
              <span class="visually-hidden" safe>
                {t('merge.queue.openSuffix', { a: p.a.name, b: p.b.name })}
              </span>
            </a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function MergesTable({ ctx, merges, caption }: { ctx: ViewContext; merges: MergeRow[]; caption: string }) {
  const { t } = ctx;
  return (
    <DataTable caption={caption} columns={[t('merge.col.date'), t('merge.col.survivor'), t('merge.col.absorbed'), t('merge.col.kind'), t('merge.col.state'), t('merge.col.action')]}>
      {merges.map((m) => (
        <tr>
          <td class="nowrap">
            <Timestamp ctx={ctx} iso={m.merged_at} />
          </td>
          <td safe>{m.survivor_name}</td>
          <td safe>{m.absorbed_name}</td>
          <td safe>{t(m.kind === 'auto' ? 'merge.kind.auto' : 'merge.kind.manual')}</td>
          <td>
            <span class={`badge ${m.undone_at ? 'merge-undone' : 'merge-active'}`} safe>
              {t(m.undone_at ? 'merge.state.undone' : 'merge.state.active')}
            </span>
          </td>
          <td class="nowrap">
            <a href={`/admin/fusions/${m.id}`}>
              <span safe>{t('merge.history.open')}</span>
              <span class="visually-hidden" safe>
                {t('merge.history.openSuffix', { absorbed: m.absorbed_name, survivor: m.survivor_name })}
              </span>
            </a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** /admin/doublons: the review queue by status, the full scan button, the merge history link. */
export function QueuePage(props: QueueProps) {
  const { ctx, status, counts } = props;
  const { t } = ctx;
  const merged = status === 'merged' || status === 'auto_merged';
  const empty = merged ? props.merges.length === 0 : props.pairs.length === 0;
  return (
    <MergePage ctx={ctx} title={t('merge.queue.title')}>
      <p class="lead merge-intro" safe>
        {t('merge.queue.intro')}
      </p>
      <ul class="stats" aria-label={t('merge.queue.counts')}>
        {QUEUE_STATUSES.map((s) => (
          <li class="stat">
            <span class="stat-value" safe>
              {numberFormat(ctx.locale).format(counts[s])}
            </span>
            <a class="stat-label" href={`/admin/doublons?statut=${s}`} aria-current={s === status ? 'page' : undefined} safe>
              {t(STATUS_LABEL[s])}
            </a>
          </li>
        ))}
      </ul>
      <div class="merge-toolbar">
        <form method="get" action="/admin/doublons" class="filter-bar merge-filter">
          <Select name="statut" label={t('merge.queue.status')} value={status} options={QUEUE_STATUSES.map((s) => ({ value: s, label: t(STATUS_LABEL[s]) }))} />
          <SubmitButton label={t('merge.queue.filter')} variant="secondary" />
        </form>
        {props.canScan ? (
          <ActionForm ctx={ctx} action="/admin/doublons/analyse" id="merge-scan" class="merge-scan" hint={t('merge.queue.scanHint')} label={t('merge.queue.scan')} variant="secondary" />
        ) : (
          ''
        )}
      </div>
      <ResultCount text={t('merge.queue.count', { count: numberFormat(ctx.locale).format(props.total) })} />
      {empty ? (
        <p safe>{t('merge.queue.empty')}</p>
      ) : merged ? (
        <MergesTable ctx={ctx} merges={props.merges} caption={t('merge.queue.mergesCaption')} />
      ) : (
        <PairsTable ctx={ctx} pairs={props.pairs} />
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} query={{ statut: status === 'pending' ? undefined : status }} pageSize={QUEUE_PAGE_SIZE} />
      <p class="more-link">
        <a href="/admin/fusions" safe>
          {t('merge.queue.history')}
        </a>
      </p>
    </MergePage>
  );
}
