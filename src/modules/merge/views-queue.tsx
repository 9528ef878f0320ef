import type { DuplicateStatus } from '../../db/schema.js';
import type { ScanState } from '../duplicates/index.js';
import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Select, SubmitButton } from '../../kernel/ui/form.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { QUEUE_STATUSES, type QueueStatus, queueUrl, withReturn } from './queue-link.js';
import type { NamedMerge } from './merge-names.js';
import type { QueueRow } from './repo.js';
import { AUTO_MERGE_PATH, autoMergeLabel } from './views-auto-merge.js';
import { ActionForm, MergePage, Reasons, Score, SideSummary, STATUS_LABEL, Timestamp } from './views-common.js';

export const QUEUE_PAGE_SIZE = 25;

export interface QueueProps {
  ctx: ViewContext;
  status: QueueStatus;
  counts: Record<DuplicateStatus, number>;
  page: number;
  total: number;
  /** Pending or dismissed pairs. */
  pairs: QueueRow[];
  /** Merged pairs (merged or auto-merged lists). */
  merges: NamedMerge[];
  /** Whether the full scan can be started from here. */
  canScan: boolean;
  /** Where the full scan stands (waiting, running, its last end). */
  scan?: ScanState;
  /** Pending pairs safe to merge without review (« fusion automatique possible »). */
  safePairs?: number;
  /** Merges made so far by the automatic merge running. */
  autoMerged?: number;
}

/**
 * « Analyse complète en cours depuis … », « Fusion automatique des paires sûres en cours : 12 paires
 * fusionnées jusqu'ici… », « Dernière analyse complète terminée le … : … »; a link to refresh while
 * something runs.
 */
function ScanStatus({ ctx, scan, safePairs, autoMerged, here }: { ctx: ViewContext; scan: ScanState; safePairs: number; autoMerged: number | undefined; here: string }) {
  const { t } = ctx;
  const n = (x: number) => numberFormat(ctx.locale).format(x);
  const lines: string[] = [];
  if (scan.autoMerge) {
    const date = formatDateTime(scan.autoMerge.since, ctx.locale);
    lines.push(
      scan.autoMerge.status === 'running'
        ? t('merge.scanState.autoRunning', { date, merged: autoMerged ?? 0, left: safePairs })
        : t('merge.scanState.autoQueued', { date }),
    );
  } else if (scan.pending) lines.push(t(scan.pending.status === 'running' ? 'merge.scanState.running' : 'merge.scanState.queued', { date: formatDateTime(scan.pending.since, ctx.locale) }));
  if (scan.failedAt) lines.push(t('merge.scanState.failed', { date: formatDateTime(scan.failedAt, ctx.locale) }));
  if (scan.last) {
    const last = scan.last;
    lines.push(
      t('merge.scanState.done', {
        date: formatDateTime(last.finishedAt, ctx.locale),
        records: n(last.records),
        pairs: n(last.pairs),
        inserted: n(last.inserted),
        removed: n(last.removed),
      }),
    );
    if (last.autoMerged > 0) lines.push(t('merge.scanState.autoMerged', { count: n(last.autoMerged) }));
  } else if (!scan.pending) {
    lines.push(t('merge.scanState.never'));
  }
  return (
    <div class="merge-scan-state" id="merge-scan-state">
      {lines.map((line) => (
        <p safe>{line}</p>
      ))}
      {scan.pending || scan.autoMerge ? (
        <p>
          <a href={here} safe>
            {t('merge.scanState.refresh')}
          </a>
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** « Fusionner les 211 paires sûres »: to the confirmation page, while no automatic merge is waiting or running. */
function AutoMergeLink({ ctx, count }: { ctx: ViewContext; count: number }) {
  const { t } = ctx;
  return (
    <div class="stack-form merge-auto-link">
      <p class="hint" id="merge-auto-hint" safe>
        {t('merge.auto.linkHint')}
      </p>
      <a class="button button-primary" href={AUTO_MERGE_PATH} aria-describedby="merge-auto-hint" safe>
        {autoMergeLabel(ctx, count)}
      </a>
    </div>
  );
}

/**
 * The pairs of a list; on a phone each row is a card whose cells name their column. `returnTo`:
 * this page of the queue, where a decision on a pair leads back.
 */
function PairsTable({ ctx, pairs, returnTo }: { ctx: ViewContext; pairs: QueueRow[]; returnTo: string }) {
  const { t } = ctx;
  return (
    <DataTable caption={t('merge.queue.caption')} columns={[t('merge.col.score'), t('merge.col.first'), t('merge.col.second'), t('merge.col.reasons'), t('merge.col.action')]} class="merge-queue table-stack">
      {pairs.map((p) => (
        <tr>
          <td class="nowrap" data-label={t('merge.col.score')}>
            <div>
              <Score ctx={ctx} score={p.score} />
              {p.auto_mergeable ? (
                <span class="merge-line badge merge-auto" safe>
                  {t('merge.autoMergeable')}
                </span>
              ) : (
                ''
              )}
            </div>
          </td>
          <td data-label={t('merge.col.first')}>
            <div>
              <SideSummary ctx={ctx} side={p.a} />
            </div>
          </td>
          <td data-label={t('merge.col.second')}>
            <div>
              <SideSummary ctx={ctx} side={p.b} />
            </div>
          </td>
          <td data-label={t('merge.col.reasons')}>
            <div>
              <Reasons ctx={ctx} json={p.reasons} />
            </div>
          </td>
          <td class="nowrap merge-queue-action">
            <a class="button button-secondary button-compact" href={withReturn(`/admin/doublons/${p.id}`, returnTo)}>
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

/** Merges, each linked to its page; `returnTo`, the queue page listing them, if any. */
export function MergesTable({ ctx, merges, caption, returnTo }: { ctx: ViewContext; merges: NamedMerge[]; caption: string; returnTo?: string }) {
  const { t } = ctx;
  return (
    <DataTable
      caption={caption}
      columns={[t('merge.col.date'), t('merge.col.survivor'), t('merge.col.absorbed'), t('merge.col.kind'), t('merge.col.state'), t('merge.col.action')]}
      class="table-stack"
    >
      {merges.map((m) => {
        const names = m.names;
        return (
        <tr>
          <td class="nowrap" data-label={t('merge.col.date')}>
            <Timestamp ctx={ctx} iso={m.merged_at} />
          </td>
          <td data-label={t('merge.col.survivor')}>
            <div>
              <span safe>{names.kept}</span>
              {names.renamed ? (
                <span class="merge-line muted" safe>
                  {t('merge.history.keptBefore', { name: names.keptBefore })}
                </span>
              ) : (
                ''
              )}
            </div>
          </td>
          <td data-label={t('merge.col.absorbed')} safe>
            {m.absorbed_name}
          </td>
          <td data-label={t('merge.col.kind')} safe>
            {t(m.kind === 'auto' ? 'merge.kind.auto' : 'merge.kind.manual')}
          </td>
          <td data-label={t('merge.col.state')}>
            <span class={`badge ${m.undone_at ? 'merge-undone' : 'merge-active'}`} safe>
              {t(m.undone_at ? 'merge.state.undone' : 'merge.state.active')}
            </span>
          </td>
          <td class="nowrap">
            <a href={returnTo ? withReturn(`/admin/fusions/${m.id}`, returnTo) : `/admin/fusions/${m.id}`}>
              <span safe>{t('merge.history.open')}</span>
              <span class="visually-hidden" safe>
                {t('merge.history.openSuffix', { absorbed: names.absorbed, survivor: names.keptBefore })}
              </span>
            </a>
          </td>
        </tr>
        );
      })}
    </DataTable>
  );
}

/** /admin/doublons: the merge history link under the intro, the review queue by status, the full scan button. */
export function QueuePage(props: QueueProps) {
  const { ctx, status, counts } = props;
  const { t } = ctx;
  const merged = status === 'merged' || status === 'auto_merged';
  const empty = merged ? props.merges.length === 0 : props.pairs.length === 0;
  const here = queueUrl({ status, page: props.page });
  return (
    <MergePage ctx={ctx} title={t('merge.queue.title')}>
      <p class="lead merge-intro" safe>
        {t('merge.queue.intro')}
      </p>
      <p>
        <a href="/admin/fusions" safe>
          {t('merge.queue.history')}
        </a>
      </p>
      <ul class="stats merge-stats" aria-label={t('merge.queue.counts')}>
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
        {props.safePairs && !props.scan?.autoMerge ? <AutoMergeLink ctx={ctx} count={props.safePairs} /> : ''}
      </div>
      {props.scan ? <ScanStatus ctx={ctx} scan={props.scan} safePairs={props.safePairs ?? 0} autoMerged={props.autoMerged} here={here} /> : ''}
      <ResultCount text={t('merge.queue.count', { count: numberFormat(ctx.locale).format(props.total) })} />
      {empty ? (
        <p safe>{t('merge.queue.empty')}</p>
      ) : merged ? (
        <MergesTable ctx={ctx} merges={props.merges} caption={t('merge.queue.mergesCaption')} returnTo={here} />
      ) : (
        <>
          <p class="hint merge-intro" safe>
            {t('merge.queue.scoreHint')}
          </p>
          <PairsTable ctx={ctx} pairs={props.pairs} returnTo={here} />
        </>
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} query={{ statut: status === 'pending' ? undefined : status }} pageSize={QUEUE_PAGE_SIZE} />
    </MergePage>
  );
}
