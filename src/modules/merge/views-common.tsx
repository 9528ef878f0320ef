import type { PropsWithChildren } from '@kitajs/html';
import { formatDateTime, intlLocale, type MessageKey } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Form } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { describeReason, type Reason } from '../duplicates/index.js';
import { QUEUE_PATH } from './queue-link.js';
import type { QueueSide } from './repo.js';

/** A page of the duplicates area: its stylesheet (a body link: Layout has no head slot), a link back up, the title. */
export function MergePage({ ctx, title, back, children }: PropsWithChildren<{ ctx: ViewContext; title: string; back?: { href: string; label: string } }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <link rel="stylesheet" href="/assets/merge.css" />
      {back ? <Breadcrumb href={back.href} label={back.label} /> : ''}
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}

/** A score in [0, 1] as a whole percentage ("87 %"). */
export function scoreText(ctx: ViewContext, score: number): string {
  return ctx.t('merge.score', { score: Math.round(score * 100) });
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

/** Name, place and source of one record of a pair, in a list cell. */
export function SideSummary({ ctx, side }: { ctx: ViewContext; side: QueueSide }) {
  const place = [side.postcode, side.commune_name].filter(Boolean).join(' ');
  const source = side.source_file ?? (side.source !== 'manual' ? side.source : null);
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
      {source || side.source_ref ? (
        <span class="merge-line muted">
          {source ? <span safe>{ctx.t('merge.source', { source })}</span> : ''}
          {source && side.source_ref ? ' · ' : ''}
          {side.source_ref ? <span safe>{ctx.t('merge.sourceRef', { ref: side.source_ref })}</span> : ''}
        </span>
      ) : (
        ''
      )}
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
  returnTo?: string;
}) {
  const describedBy = props.error ? `${props.id}-hint ${props.id}-error` : `${props.id}-hint`;
  return (
    <Form ctx={props.ctx} action={props.action} class={`stack-form ${props.class}`}>
      {props.returnTo ? <ReturnField returnTo={props.returnTo} /> : ''}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} role="alert" safe>
          {props.error}
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
