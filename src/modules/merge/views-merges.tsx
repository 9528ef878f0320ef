import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Pager } from '../../kernel/ui/pager.js';
import { ResultCount } from '../../kernel/ui/table.js';
import type { NamedMerge } from './merge-names.js';
import { ActionForm, MergePage, Reasons } from './views-common.js';
import { MergesTable } from './views-queue.js';

export const HISTORY_PAGE_SIZE = 50;

/** /admin/fusions: every merge, latest first, each with its page (and undo). */
export function HistoryPage({ ctx, merges, total, page }: { ctx: ViewContext; merges: NamedMerge[]; total: number; page: number }) {
  const { t } = ctx;
  return (
    <MergePage ctx={ctx} title={t('merge.history.title')} back={{ href: '/admin/doublons', label: t('merge.pair.back') }}>
      <ResultCount text={t('merge.history.count', { count: numberFormat(ctx.locale).format(total) })} />
      {merges.length === 0 ? <p safe>{t('merge.history.empty')}</p> : <MergesTable ctx={ctx} merges={merges} caption={t('merge.history.caption')} />}
      <Pager ctx={ctx} page={page} total={total} query={{}} pageSize={HISTORY_PAGE_SIZE} />
    </MergePage>
  );
}

/** Why an undo is refused, in words, and where to act first (a later merge), if anywhere. */
export interface UndoRefusal {
  error: string;
  errorLink?: { href: string; label: string };
}

/** « Annulation impossible » and why, with the link to act first (instead of the undo button); an alert when it answers the button. */
function UndoBlocked({ ctx, refusal }: { ctx: ViewContext; refusal: UndoRefusal & { asked: boolean } }) {
  return (
    <section class="flash flash-info merge-undo-blocked" id="merge-undo" aria-labelledby="merge-undo-title">
      <h2 id="merge-undo-title" safe>
        {ctx.t('merge.done.undoBlocked')}
      </h2>
      <p role={refusal.asked ? 'alert' : undefined}>
        <span safe>{refusal.error}</span>
        {refusal.errorLink ? (
          <>
            {' '}
            <a href={refusal.errorLink.href} safe>
              {refusal.errorLink.label}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
    </section>
  );
}

export interface MergeDetailProps {
  ctx: ViewContext;
  merge: NamedMerge;
  /** Display names of the people who merged and undid. */
  names: Map<string, string>;
  /** The survivor as it is now (absent if deleted since). */
  survivor: { id: string; slug: string; name: string } | undefined;
  /** The former addresses the merge left (the absorbed record's, the kept one's if it moved), each with where it leads now (left out if nowhere). */
  redirects: { slug: string; id: string; name: string }[];
  /**
   * Why the merge cannot be undone (in words, with the merge to undo first if that is why): said
   * instead of the undo button; `asked` when it answers an undo just refused.
   */
  refusal?: UndoRefusal & { asked: boolean };
  /** The queue page the merge was made or opened from. */
  returnTo: string;
}

/** /admin/fusions/:id: what was merged into what, by whom, and the undo button while it is in force. */
export function MergeDetailPage({ ctx, merge, names, survivor, redirects, refusal, returnTo }: MergeDetailProps) {
  const { t } = ctx;
  const who = (id: string | null) => (id ? (names.get(id) ?? id) : t('merge.done.auto'));
  const named = merge.names;
  const title = named.renamed
    ? t('merge.done.titleRenamed', { absorbed: named.absorbed, before: named.keptBefore, name: named.kept })
    : t('merge.done.title', { absorbed: named.absorbed, survivor: named.kept });
  const summary = named.moved
    ? t('merge.done.summaryMoved', { absorbed: named.absorbed, before: named.keptBefore, name: named.kept, slug: named.moved.to })
    : named.renamed
      ? t('merge.done.summaryRenamed', { absorbed: named.absorbed, before: named.keptBefore, name: named.kept })
      : t('merge.done.summary', { absorbed: named.absorbed, survivor: named.kept });
  // A former address leads to the kept record only while no later merge moved it elsewhere.
  const redirectText = merge.undone_at
    ? ''
    : redirects
        .map((r) => (r.id === merge.survivor_id ? t('merge.done.redirects', { slug: r.slug }) : t('merge.done.redirectsElsewhere', { slug: r.slug, name: r.name })))
        .join(' ');
  return (
    <MergePage ctx={ctx} title={title} back={{ href: '/admin/fusions', label: t('merge.history.title') }}>
      <p class="lead" safe>
        {redirectText ? `${summary} ${redirectText}` : summary}
      </p>
      {survivor && !merge.undone_at && survivor.name !== named.kept ? <p safe>{t('merge.done.renamed', { name: survivor.name })}</p> : ''}
      {merge.contacts_merged > 0 ? <p safe>{t('merge.done.contacts', { count: merge.contacts_merged })}</p> : ''}
      <p class="muted" safe>
        {t('merge.done.by', { date: formatDateTime(merge.merged_at, ctx.locale), who: who(merge.merged_by) })}
      </p>
      {merge.reasons ? (
        <>
          <h2 safe>{t('merge.done.reasons')}</h2>
          <Reasons ctx={ctx} json={merge.reasons} />
        </>
      ) : (
        ''
      )}
      {survivor && !merge.undone_at ? (
        <p class="actions">
          <a class="button button-secondary" href={`/acteurs/${encodeURIComponent(survivor.slug)}`} safe>
            {t('merge.done.viewPublic')}
          </a>
          <a href={`/admin/organisations/${survivor.id}`} safe>
            {t('merge.done.viewAdmin')}
          </a>
        </p>
      ) : (
        ''
      )}
      {merge.undone_at ? (
        <p class="flash flash-info" safe>
          {t('merge.done.undone', { date: formatDateTime(merge.undone_at, ctx.locale), who: who(merge.undone_by) })}
        </p>
      ) : refusal ? (
        <UndoBlocked ctx={ctx} refusal={refusal} />
      ) : (
        <ActionForm
          ctx={ctx}
          action={`/admin/fusions/${merge.id}/annuler`}
          id="merge-undo"
          class="merge-undo"
          hint={t('merge.done.undoHint')}
          label={t('merge.done.undo')}
          variant="danger"
          returnTo={returnTo}
        />
      )}
      <p class="more-link">
        <a href={returnTo} safe>
          {t('merge.done.backToQueue')}
        </a>
      </p>
    </MergePage>
  );
}
