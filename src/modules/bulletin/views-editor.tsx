import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { Field, type FieldErrors, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { AdminFrame, Checkboxes } from '../newsletter/index.js';
import { BULLETIN_TYPES, type BulletinBlock, type BulletinItem, TEXT_TYPE, typeLabelKey } from './block-shapes.js';
import type { BlockValues } from './forms.js';
import type { MailingBlocksRow } from './repo.js';
import type { NewsCandidate } from './sources.js';

export const MAILINGS_BASE = '/admin/lettres';

/** One block as the editor shows it. */
export interface EditorBlock {
  key: string;
  type: string;
  /** A bulletin block (null: the newsletter's text block, or an unknown type). */
  block: BulletinBlock | null;
  /** The form's values (those typed, when shown again with errors). */
  values: BlockValues;
  errors: FieldErrors;
  /** Why the block cannot be sent as it is (translated), if so. */
  problem: string | null;
}

export interface EditorPageProps {
  ctx: ViewContext;
  mailing: MailingBlocksRow;
  editable: boolean;
  blocks: EditorBlock[];
  newsCandidates: NewsCandidate[];
  watchCandidates: BulletinItem[];
  resolvedAt: string | null;
  addError?: string;
}

const valueOf = (values: BlockValues, name: string) => {
  const v = values[name];
  return typeof v === 'string' ? v : '';
};
const listOf = (values: BlockValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? v : [];
};

function blockName(ctx: ViewContext, b: EditorBlock): string {
  return b.block?.title || ctx.t(typeLabelKey(b.type));
}

/** A small form with one button (move, remove): works without JavaScript. */
function ActionButton({ ctx, action, label, context, variant }: { ctx: ViewContext; action: string; label: string; context: string; variant?: string }) {
  return (
    <Form ctx={ctx} action={action} class="inline-form">
      <button type="submit" class={`button button-${variant ?? 'secondary'} bl-action`}>
        <span safe>{label}</span>
        <span class="visually-hidden" safe>
          {` ${context}`}
        </span>
      </button>
    </Form>
  );
}

function chosenOptions(ctx: ViewContext, chosen: string[], known: { id: string; title: string; hint?: string }[]) {
  const byId = new Map(known.map((k) => [k.id, k]));
  const missing = chosen.filter((id) => !byId.has(id)).map((id) => ({ value: id, label: ctx.t('bulletin.editor.goneItem') }));
  return [...known.map((k) => ({ value: k.id, label: k.title, hint: k.hint })), ...missing];
}

function newsOptions(ctx: ViewContext, b: EditorBlock, candidates: NewsCandidate[]) {
  const known = candidates.map((c) => ({ id: c.id, title: c.title, hint: [c.organisationName, formatDateTime(c.publishedAt, ctx.locale)].filter(Boolean).join(' · ') }));
  // Chosen articles older than the candidates stay listed (ticked) under the title they were stored with.
  const stored = (b.block?.type === 'news' ? b.block.items : []).filter((i) => !known.some((k) => k.id === i.id)).map((i) => ({ id: i.id, title: i.title, hint: i.meta.join(' · ') }));
  return chosenOptions(ctx, listOf(b.values, 'ids'), [...stored, ...known]);
}

function watchOptions(ctx: ViewContext, b: EditorBlock, candidates: BulletinItem[]) {
  const stored = b.block?.type === 'watch' && b.block.mode === 'selected' ? b.block.items : [];
  const all = [...stored, ...candidates.filter((c) => !stored.some((s) => s.id === c.id))];
  return chosenOptions(ctx, listOf(b.values, 'ids'), all.map((i) => ({ id: i.id, title: i.title, hint: i.meta.join(' · ') })));
}

function BlockFields({ ctx, b, props }: { ctx: ViewContext; b: EditorBlock; props: EditorPageProps }) {
  const { t } = ctx;
  const p = b.key;
  const v = b.values;
  const e = b.errors;
  const number = (name: 'limit' | 'weeks' | 'days', label: string, hint?: string) => <Field name={name} prefix={p} type="number" label={label} value={valueOf(v, name)} error={e[name]} hint={hint} required />;
  const since = (label: string) => <Field name="since" prefix={p} type="date" label={label} value={valueOf(v, 'since')} error={e['since']} hint={t('bulletin.field.sinceHint')} />;
  const title = b.type === TEXT_TYPE ? '' : <Field name="title" prefix={p} label={t('bulletin.field.title')} value={valueOf(v, 'title')} error={e['title']} hint={b.type === 'editorial' ? t('bulletin.field.titleOptional') : undefined} required={b.type !== 'editorial'} />;
  switch (b.type) {
    case TEXT_TYPE:
    case 'editorial':
      return (
        <>
          {title}
          <TextArea name="html" prefix={p} label={t('bulletin.field.html')} value={valueOf(v, 'html')} error={e['html']} hint={t('bulletin.field.htmlHint')} rows={10} class="nl-body" />
        </>
      );
    case 'news':
      return (
        <>
          {title}
          <Checkboxes name="ids" prefix={p} legend={t('bulletin.field.news')} hint={t('bulletin.field.newsHint')} options={newsOptions(ctx, b, props.newsCandidates)} checked={listOf(v, 'ids')} error={e['ids']} />
        </>
      );
    case 'member_news':
    case 'resources':
      return (
        <>
          {title}
          {since(t('bulletin.field.since'))}
          {number('limit', t('bulletin.field.limit'))}
        </>
      );
    case 'events':
      return (
        <>
          {title}
          {number('weeks', t('bulletin.field.weeks'), t('bulletin.field.weeksHint'))}
          {number('limit', t('bulletin.field.limit'))}
        </>
      );
    case 'calls':
      return (
        <>
          {title}
          <Select name="mode" prefix={p} label={t('bulletin.field.callsMode')} value={valueOf(v, 'mode')} error={e['mode']} options={(['both', 'closing', 'new'] as const).map((m) => ({ value: m, label: t(`bulletin.callsMode.${m}`) }))} />
          {number('days', t('bulletin.field.days'))}
          {since(t('bulletin.field.callsSince'))}
          {number('limit', t('bulletin.field.limit'))}
        </>
      );
    case 'watch':
      return (
        <>
          {title}
          <Select name="mode" prefix={p} label={t('bulletin.field.watchMode')} value={valueOf(v, 'mode')} error={e['mode']} options={(['latest', 'selected'] as const).map((m) => ({ value: m, label: t(`bulletin.watchMode.${m}`) }))} />
          {number('limit', t('bulletin.field.limit'), t('bulletin.field.limitLatest'))}
          <Checkboxes name="ids" prefix={p} legend={t('bulletin.field.watch')} hint={t('bulletin.field.watchHint')} options={watchOptions(ctx, b, props.watchCandidates)} checked={listOf(v, 'ids')} error={e['ids']} />
        </>
      );
    default:
      return '';
  }
}

function ItemsShown({ ctx, block }: { ctx: ViewContext; block: BulletinBlock | null }) {
  if (!block || block.type === 'editorial') return '';
  if (block.items.length === 0) return <p class="hint" safe>{ctx.t('bulletin.editor.noItem')}</p>;
  return (
    <>
      <p safe>{ctx.t('bulletin.editor.items', { count: block.items.length })}</p>
      <ul class="bl-items">
        {block.items.map((item) => (
          <li>
            {item.tag ? <strong safe>{`${item.tag} · `}</strong> : ''}
            <span safe>{item.title}</span>
            {item.meta.length ? <span class="hint" safe>{` — ${item.meta.join(' · ')}`}</span> : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

function BlockCard({ ctx, b, index, count, props }: { ctx: ViewContext; b: EditorBlock; index: number; count: number; props: EditorPageProps }) {
  const { t } = ctx;
  const base = `${MAILINGS_BASE}/${props.mailing.id}/blocs/${b.key}`;
  const name = blockName(ctx, b);
  const context = t('bulletin.editor.blockContext', { position: index + 1, name });
  const known = b.type === TEXT_TYPE || b.block !== null;
  return (
    <li id={`bloc-${b.key}`} class="bl-block">
      <h3 id={`bloc-${b.key}-title`}>
        <span safe>{t('bulletin.editor.blockHeading', { position: index + 1, count, name })}</span>{' '}
        <span class="bl-type" safe>
          {`(${t(typeLabelKey(b.type))})`}
        </span>
      </h3>
      {b.problem ? (
        <p class="field-error" safe>
          {b.problem}
        </p>
      ) : (
        ''
      )}
      <ItemsShown ctx={ctx} block={b.block} />
      {props.editable ? (
        <>
          <div class="inline-actions bl-actions">
            {index > 0 ? <ActionButton ctx={ctx} action={`${base}/monter`} label={t('bulletin.editor.up')} context={context} /> : ''}
            {index < count - 1 ? <ActionButton ctx={ctx} action={`${base}/descendre`} label={t('bulletin.editor.down')} context={context} /> : ''}
            <ActionButton ctx={ctx} action={`${base}/supprimer`} label={t('bulletin.editor.remove')} context={context} variant="danger" />
          </div>
          {known ? (
            <details class="bl-edit" open={Object.keys(b.errors).length > 0 || (b.type === 'editorial' && b.problem !== null)}>
              <summary>
                <span safe>{t('bulletin.editor.edit')}</span>
                <span class="visually-hidden" safe>
                  {` ${context}`}
                </span>
              </summary>
              <Form ctx={ctx} action={base}>
                <BlockFields ctx={ctx} b={b} props={props} />
                <button type="submit" class="button button-primary">
                  <span safe>{t('bulletin.editor.save')}</span>
                  <span class="visually-hidden" safe>
                    {` ${context}`}
                  </span>
                </button>
              </Form>
            </details>
          ) : (
            ''
          )}
        </>
      ) : (
        ''
      )}
    </li>
  );
}

function Problems({ ctx, blocks }: { ctx: ViewContext; blocks: EditorBlock[] }) {
  const failing = blocks.filter((b) => b.problem);
  if (!failing.length) return '';
  return (
    <div class="error-summary" role="alert">
      <h2 safe>{ctx.t('bulletin.editor.problems', { count: failing.length })}</h2>
      <ul>
        {failing.map((b) => (
          <li>
            <a href={`#bloc-${b.key}`} safe>
              {b.problem ?? ''}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Preview({ ctx, mailingId }: { ctx: ViewContext; mailingId: string }) {
  const { t } = ctx;
  const src = `${MAILINGS_BASE}/${mailingId}/apercu`;
  const email = `${src}?format=courriel`;
  return (
    <section aria-labelledby="bl-preview-title" class="bl-preview">
      <h2 id="bl-preview-title" safe>
        {t('bulletin.preview.title')}
      </h2>
      <p>
        <a href={src} safe>
          {t('bulletin.preview.open')}
        </a>
        {' · '}
        <a href={`${src}?format=texte`} safe>
          {t('bulletin.preview.text')}
        </a>
      </p>
      <div class="nl-previews">
        <figure class="nl-preview bl-preview-desktop">
          <iframe src={email} title={t('bulletin.preview.desktop')} loading="lazy"></iframe>
          <figcaption safe>{t('bulletin.preview.desktop')}</figcaption>
        </figure>
        <figure class="nl-preview bl-preview-mobile">
          <iframe src={email} title={t('bulletin.preview.mobile')} loading="lazy"></iframe>
          <figcaption safe>{t('bulletin.preview.mobile')}</figcaption>
        </figure>
      </div>
    </section>
  );
}

/** The block editor of a mailing: its blocks in order (edit, move, remove), a block to add, the preview. */
export function EditorPage(props: EditorPageProps) {
  const { ctx, mailing, blocks } = props;
  const { t } = ctx;
  const base = `${MAILINGS_BASE}/${mailing.id}`;
  return (
    <AdminFrame ctx={ctx} title={t('bulletin.editor.title', { subject: mailing.subject })} tab="mailings">
      <link rel="stylesheet" href="/assets/bulletin.css" />
      <Breadcrumb href={base} label={mailing.subject} />
      <p>
        <a href={base} safe>
          {t('bulletin.editor.back')}
        </a>
      </p>
      {props.editable ? (
        ''
      ) : (
        <p class="flash flash-info" safe>
          {t('bulletin.editor.readOnly')}
        </p>
      )}
      <Problems ctx={ctx} blocks={blocks} />
      <section aria-labelledby="bl-blocks-title">
        <h2 id="bl-blocks-title" safe>
          {t('bulletin.editor.blocks', { count: blocks.length })}
        </h2>
        {props.editable ? (
          <div class="bl-refresh">
            <p class="hint" safe>
              {props.resolvedAt ? t('bulletin.editor.resolvedAt', { date: formatDateTime(props.resolvedAt, ctx.locale) }) : t('bulletin.editor.neverResolved')}
            </p>
            <Form ctx={ctx} action={`${base}/blocs/actualiser`} class="inline-form">
              <SubmitButton label={t('bulletin.editor.refresh')} variant="secondary" />
            </Form>
          </div>
        ) : (
          ''
        )}
        {blocks.length === 0 ? <p safe>{t('bulletin.editor.empty')}</p> : ''}
        <ol class="bl-blocks">
          {blocks.map((b, index) => (
            <BlockCard ctx={ctx} b={b} index={index} count={blocks.length} props={props} />
          ))}
        </ol>
      </section>
      {props.editable ? (
        <section aria-labelledby="bl-add-title">
          <h2 id="bl-add-title" safe>
            {t('bulletin.editor.addTitle')}
          </h2>
          <Form ctx={ctx} action={`${base}/blocs/ajouter`} class="stack-form bl-add">
            <Select name="type" prefix="add" label={t('bulletin.editor.addType')} error={props.addError} options={BULLETIN_TYPES.map((type) => ({ value: type, label: t(typeLabelKey(type)) }))} />
            <SubmitButton label={t('bulletin.editor.add')} />
          </Form>
        </section>
      ) : (
        ''
      )}
      <Preview ctx={ctx} mailingId={mailing.id} />
    </AdminFrame>
  );
}
