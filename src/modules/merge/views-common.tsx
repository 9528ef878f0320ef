import { escapeHtml, type PropsWithChildren } from '@kitajs/html';
import { formatDateTime, intlLocale, type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Form } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Sentence } from '../../kernel/ui/sentence.js';
import { describeReason, evidenceOf, type Reason } from '../duplicates/index.js';
import { QUEUE_PATH } from './queue-link.js';
import type { QueueSide } from './repo.js';

/**
 * A page of the duplicates area: its stylesheet (a body link: Layout has no head slot), a link back up, the title.
 * Every page of it, the merge history (/admin/fusions) too, is under « Doublons » in the menu.
 */
export function MergePage({ ctx, title, back, children }: PropsWithChildren<{ ctx: ViewContext; title: string; back?: { href: string; label: string } }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin" menuPath={QUEUE_PATH}>
      <link rel="stylesheet" href="/assets/merge.css" />
      {back ? <Breadcrumb href={back.href} label={back.label} /> : ''}
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}

/**
 * A score (the posterior probability that both records are one organisation) to a tenth of a
 * percent, in the reader's language: « 87,3 % », "87.3%". The weights are set by judgement, not
 * measured: past 99.9 % the figure only says « > 99,9 % », never « 100 % » — not even for a
 * score of exactly 1, which only means the evidence outgrew a double's precision — nor « 0 % »;
 * the evidence (evidenceText) tells such pairs apart.
 */
export function scoreText(ctx: ViewContext, score: number): string {
  const percent = numberFormat(ctx.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const tenths = Math.round(score * 1000);
  if (tenths >= 1000) return ctx.t('merge.score.above', { score: percent.format(0.999) });
  if (tenths <= 0) return ctx.t('merge.score.below', { score: percent.format(0.001) });
  return percent.format(tenths / 1000);
}

/**
 * The weight of the pair's evidence in bits (the sum of its reasons' weights), to a tenth: what
 * orders the queue, read from the score so that it always agrees with that order. Undefined for a
 * score of 0 or 1, where the score no longer holds it.
 */
export function evidenceText(ctx: ViewContext, score: number): string | undefined {
  if (!(score > 0 && score < 1)) return undefined;
  const bits = numberFormat(ctx.locale, { maximumFractionDigits: 1 }).format(evidenceOf(score));
  return ctx.t('merge.evidence', { bits });
}

/** A pair's score and, under it, its weight of evidence. */
export function Score({ ctx, score }: { ctx: ViewContext; score: number }) {
  const evidence = evidenceText(ctx, score);
  return (
    <>
      <strong class="merge-score" safe>
        {scoreText(ctx, score)}
      </strong>
      {evidence ? (
        <span class="merge-line merge-evidence muted" safe>
          {evidence}
        </span>
      ) : (
        ''
      )}
    </>
  );
}

/**
 * A file name that may wrap after `_`, `-` or `.` (« capcoop_export_ / 2016.csv »), not mid-word;
 * its extension stays with the word before it.
 */
export function FileName({ name }: { name: string }) {
  const parts = name.split(/(?<=[_-])(?=.)|(?<=\.)(?=[^.]*\.)/);
  return (
    <span class="merge-file">
      {parts.map((part, i) => (
        <>
          {i > 0 ? <wbr /> : ''}
          {escapeHtml(part)}
        </>
      ))}
    </span>
  );
}

/** The reasons the detection wrote (JSON), in words; an unknown one is named, not hidden. */
export function reasonTexts(ctx: ViewContext, json: string | null): string[] {
  if (!json) return [];
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const locale = intlLocale(ctx.locale);
  return list
    .filter((r): r is Reason => typeof r === 'object' && r !== null && typeof (r as { code?: unknown }).code === 'string')
    .map((r) => {
      const text = describeReason(r, ctx.t, locale);
      return text === `duplicates.reason.${r.code}` ? ctx.t('merge.unknownReason', { code: r.code }) : text;
    });
}

export function Reasons({ ctx, json }: { ctx: ViewContext; json: string | null }) {
  const texts = reasonTexts(ctx, json);
  if (texts.length === 0) return '';
  return (
    <ul class="merge-reasons">
      {texts.map((text) => (
        <li safe>{text}</li>
      ))}
    </ul>
  );
}

/** « Source : capcoop_export_2016.csv », the file name wrapping at its separators. */
function SourceFile({ ctx, file }: { ctx: ViewContext; file: string }) {
  return (
    <span>
      <Sentence text={(source) => ctx.t('merge.source', { source })}>
        <FileName name={file} />
      </Sentence>
    </span>
  );
}

/**
 * Where a record came from: « Source : capcoop_export_2016.csv · réf. CAP-00331 », and a link to
 * its import when `batchId` is given; nothing for a record typed in by hand.
 */
export function SourceLine({
  ctx,
  record,
  batchId,
}: {
  ctx: ViewContext;
  record: { source: string; source_file?: string | null; source_ref?: string | null };
  batchId?: string | null;
}) {
  const source = record.source_file ?? (record.source !== 'manual' ? record.source : null);
  const parts: JSX.Element[] = [];
  if (source) parts.push(<SourceFile ctx={ctx} file={source} />);
  if (record.source_ref) parts.push(<span safe>{ctx.t('merge.sourceRef', { ref: record.source_ref })}</span>);
  if (batchId) {
    parts.push(
      <a href={`/admin/imports/${encodeURIComponent(batchId)}`} safe>
        {ctx.t('merge.sourceBatch')}
      </a>,
    );
  }
  if (parts.length === 0) return '';
  return <span class="merge-line muted merge-source">{parts.map((part, i) => (i > 0 ? <>{' · '}{part}</> : part))}</span>;
}

/** Name, place and source of one record of a pair, in a list cell. */
export function SideSummary({ ctx, side }: { ctx: ViewContext; side: QueueSide }) {
  const place = [side.postcode, side.commune_name].filter(Boolean).join(' ');
  return (
    <>
      <strong safe>{side.name}</strong>
      {place ? (
        <span class="merge-line" safe>
          {place}
        </span>
      ) : (
        ''
      )}
      <SourceLine ctx={ctx} record={side} />
    </>
  );
}

export function Timestamp({ ctx, iso }: { ctx: ViewContext; iso: string }) {
  return (
    <time datetime={iso} safe>
      {formatDateTime(iso, ctx.locale)}
    </time>
  );
}

export const STATUS_LABEL: Record<'pending' | 'merged' | 'auto_merged' | 'dismissed', MessageKey> = {
  pending: 'merge.status.pending',
  merged: 'merge.status.merged',
  auto_merged: 'merge.status.auto_merged',
  dismissed: 'merge.status.dismissed',
};

/** A titled part of a page with its hint under the title. */
export function HintedSection({ id, title, hint, class: className, children }: PropsWithChildren<{ id: string; title: string; hint: string; class?: string }>) {
  return (
    <section class={className ?? 'section'} aria-labelledby={id}>
      <h2 id={id} safe>
        {title}
      </h2>
      <p class="hint" safe>
        {hint}
      </p>
      {children}
    </section>
  );
}

/** The queue page to go back to after a form (`retour`), when it is not the queue's first page. */
export function ReturnField({ returnTo }: { returnTo: string }) {
  return returnTo === QUEUE_PATH ? '' : <input type="hidden" name="retour" value={returnTo} />;
}

/**
 * A form of one button (an action on the page's record), its consequence said above it; an error,
 * if any, before. `returnTo`: the queue page the action leads back to.
 */
export function ActionForm(props: {
  ctx: ViewContext;
  action: string;
  id: string;
  hint: string;
  label: string;
  variant: 'primary' | 'secondary' | 'danger';
  class: string;
  error?: string;
  /** A link after the error: where to act first. */
  errorLink?: { href: string; label: string };
  returnTo?: string;
}) {
  const describedBy = props.error ? `${props.id}-hint ${props.id}-error` : `${props.id}-hint`;
  return (
    <Form ctx={props.ctx} action={props.action} class={`stack-form ${props.class}`}>
      {props.returnTo ? <ReturnField returnTo={props.returnTo} /> : ''}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          <span safe>{props.error}</span>
          {props.errorLink ? (
            <>
              {' '}
              <a href={props.errorLink.href} safe>
                {props.errorLink.label}
              </a>
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      <p class="hint" id={`${props.id}-hint`} safe>
        {props.hint}
      </p>
      <button type="submit" class={`button button-${props.variant}`} aria-describedby={describedBy} safe>
        {props.label}
      </button>
    </Form>
  );
}
