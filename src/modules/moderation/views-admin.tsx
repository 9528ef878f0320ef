import { escapeHtml, type PropsWithChildren } from '@kitajs/html';
import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, ErrorSummary, type FieldErrors, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import type { ProposalStatus } from '../../db/schema.js';
import { DUPLICATE_FIELDS, DuplicateMatchLines, DuplicateWarning } from '../organisations/index.js';
import type { StaffMatch } from './duplicate-check.js';
import type { AccountRequestRow } from './repo.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;
const STATUSES = ['pending', 'approved', 'rejected'] as const;

export interface QueueItem {
  id: string;
  typeLabel: string;
  title: string;
  /** What staff should see before opening the proposal (an event's repetition); '' for nothing. */
  summary: string;
  /** What it proposes, in the words of its kind (« Nouvel événement », « Modification »). */
  kindLabel: string;
  proposer: string;
  createdAt: string;
  status: ProposalStatus;
}

/** The free-text message of a request or of a decision. */
export function Message({ name, prefix, label, value, error, required, hint }: { ctx: ViewContext; name: string; prefix?: string; label: string; value?: string; error?: string; required?: boolean; hint?: string }) {
  return <TextArea name={name} prefix={prefix} label={label} value={value} error={error} required={required} hint={hint} class="org-textarea" />;
}

/** A page of the moderation area under a link back up. */
function ModerationPage({ ctx, title, back, children }: PropsWithChildren<{ ctx: ViewContext; title: string; back: { href: string; label: string } }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <Breadcrumb href={back.href} label={back.label} />
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}

/** The filter of a moderation list by status; other fields, given as children, come first. */
function StatusFilter({ ctx, action, status, children }: PropsWithChildren<{ ctx: ViewContext; action: string; status: ProposalStatus }>) {
  const { t } = ctx;
  return (
    <form method="get" action={action} class="filter-bar">
      {children}
      <Select name="status" label={t('moderation.filter.status')} value={status} options={STATUSES.map((s) => ({ value: s, label: t(`moderation.status.${s}`) }))} />
      <SubmitButton label={t('moderation.filter.submit')} variant="secondary" />
    </form>
  );
}

function StatusBadge({ ctx, status }: { ctx: ViewContext; status: ProposalStatus }) {
  return (
    <span class={`badge mod-status-${status}`} safe>
      {ctx.t(`moderation.status.${status}`)}
    </span>
  );
}

function Timestamp({ ctx, iso }: { ctx: ViewContext; iso: string }) {
  return (
    <time datetime={iso} safe>
      {formatDateTime(iso, ctx.locale)}
    </time>
  );
}

/** The message left with a proposal or a request, as a term of a facts list, when there is one. */
function MessageFact({ ctx, message }: { ctx: ViewContext; message: string | null }) {
  if (!message) return '';
  return (
    <>
      <dt safe>{ctx.t('moderation.detail.message')}</dt>
      <dd class="mod-message" safe>
        {message}
      </dd>
    </>
  );
}

export function QueuePage(props: {
  ctx: ViewContext;
  items: QueueItem[];
  total: number;
  page: number;
  status: ProposalStatus;
  type: string;
  types: { value: string; label: string; count: number }[];
  pendingAccountRequests: number;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const pendingTotal = props.types.reduce((a, b) => a + b.count, 0);
  return (
    <Layout ctx={ctx} title={t('moderation.queue.title')} area="admin">
      {CSS}
      <div class="page-head">
        <h1 safe>{t('moderation.queue.title')}</h1>
        <a href="/admin/demandes-de-compte" safe>
          {t('moderation.queue.accountRequests', { count: props.pendingAccountRequests })}
        </a>
      </div>
      <ul class="stats" aria-label={t('moderation.queue.counts')}>
        <li class="stat">
          <span class="stat-value" safe>
            {String(pendingTotal)}
          </span>
          <a class="stat-label" href="/admin/moderation" safe>
            {t('moderation.queue.allPending')}
          </a>
        </li>
        {props.types.map((ty) => (
          <li class="stat">
            <span class="stat-value" safe>
              {String(ty.count)}
            </span>
            <a class="stat-label" href={`/admin/moderation?type=${encodeURIComponent(ty.value)}`} safe>
              {ty.label}
            </a>
          </li>
        ))}
      </ul>
      <StatusFilter ctx={ctx} action="/admin/moderation" status={props.status}>
        <Select
          name="type"
          label={t('moderation.filter.type')}
          value={props.type}
          options={[{ value: '', label: t('moderation.filter.allTypes') }, ...props.types.map((ty) => ({ value: ty.value, label: ty.label }))]}
        />
      </StatusFilter>
      <ResultCount text={t('moderation.queue.count', { count: numberFormat(ctx.locale).format(props.total) })} />
      {props.items.length === 0 ? (
        <p safe>{t('moderation.queue.empty')}</p>
      ) : (
        <DataTable caption={t('moderation.queue.caption')} columns={[t('moderation.col.proposal'), t('moderation.col.type'), t('moderation.col.proposer'), t('moderation.col.date')]}>
          {props.items.map((item) => (
            <tr>
              <td>
                <a href={`/admin/moderation/${item.id}`} safe>
                  {item.title || t('moderation.untitled')}
                </a>
                <br />
                <span class="badge" safe>
                  {item.kindLabel}
                </span>
                {item.summary ? (
                  <>
                    <br />
                    <small safe>{item.summary}</small>
                  </>
                ) : (
                  ''
                )}
              </td>
              <td safe>{item.typeLabel}</td>
              <td safe>{item.proposer}</td>
              <td class="nowrap">
                <Timestamp ctx={ctx} iso={item.createdAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} query={{ type: props.type || undefined, status: props.status === 'pending' ? undefined : props.status }} />
    </Layout>
  );
}

export interface DiffView {
  field: string;
  label: string;
  before: string;
  after: string;
  current: string;
  /** Where staff open each value (a proposed file, not public yet); null for none. */
  hrefs?: { before: string | null; after: string | null; current: string | null };
  changedSince: boolean;
}

export function ProposalPage(props: {
  ctx: ViewContext;
  id: string;
  typeLabel: string;
  title: string;
  /** What it proposes, in the words of its kind (« Nouvelle actualité », « Modification »). */
  kindLabel: string;
  status: ProposalStatus;
  proposer: { name: string; email: string };
  createdAt: string;
  decidedAt: string | null;
  message: string | null;
  recordHref: string | null;
  rows: DiffView[];
  canEdit: boolean;
  rejectErrors?: FieldErrors;
  rejectMessage?: string;
  /** Existing organisations a proposed new one may duplicate. */
  matches?: StaffMatch[];
  approveErrors?: FieldErrors;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const conflicts = props.rows.filter((r) => r.changedSince).length;
  const matches = props.status === 'pending' ? (props.matches ?? []) : [];
  return (
    <ModerationPage ctx={ctx} title={t('moderation.detail.title', { title: props.title })} back={{ href: '/admin/moderation', label: t('moderation.queue.title') }}>
      <dl class="facts">
        <dt safe>{t('moderation.col.type')}</dt>
        <dd safe>{`${props.typeLabel} · ${props.kindLabel}`}</dd>
        <dt safe>{t('moderation.col.proposer')}</dt>
        <dd safe>{`${props.proposer.name} <${props.proposer.email}>`}</dd>
        <dt safe>{t('moderation.col.date')}</dt>
        <dd>
          <Timestamp ctx={ctx} iso={props.createdAt} />
        </dd>
        <dt safe>{t('moderation.filter.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={props.status} />
          {props.decidedAt ? <span safe>{` ${formatDateTime(props.decidedAt, ctx.locale)}`}</span> : ''}
        </dd>
        <MessageFact ctx={ctx} message={props.message} />
        {props.recordHref ? (
          <>
            <dt safe>{t('moderation.detail.record')}</dt>
            <dd>
              <a href={props.recordHref} safe>
                {t('moderation.detail.recordLink')}
              </a>
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <section aria-labelledby="diff-title" class="section">
        <h2 id="diff-title" safe>
          {t('moderation.diff.title')}
        </h2>
        {conflicts ? (
          <div class="flash flash-error" role="note">
            <p safe>{t('moderation.diff.conflicts', { count: conflicts })}</p>
          </div>
        ) : (
          ''
        )}
        {props.rows.length === 0 ? <p safe>{t('moderation.diff.none')}</p> : <DiffTable ctx={ctx} rows={props.rows} />}
      </section>
      {matches.length ? <PossibleMatches ctx={ctx} matches={matches} /> : ''}
      {props.status === 'pending' ? (
        <DecisionForms
          ctx={ctx}
          id={props.id}
          canEdit={props.canEdit}
          rejectErrors={props.rejectErrors}
          rejectMessage={props.rejectMessage}
          matches={matches}
          approveErrors={props.approveErrors}
        />
      ) : (
        ''
      )}
    </ModerationPage>
  );
}

/** Each changed field: the value before (and the current one, when it changed since), the value proposed. */
function DiffTable({ ctx, rows }: { ctx: ViewContext; rows: DiffView[] }) {
  const { t } = ctx;
  const dash = t('moderation.diff.empty');
  return (
    // On a phone each field is a card: its name, then « Avant » and « Proposé » one under the other.
    <DataTable caption={t('moderation.diff.caption')} columns={[t('moderation.diff.field'), t('moderation.diff.before'), t('moderation.diff.after')]} class="mod-diff table-stack">
      {rows.map((r) => (
        <tr class={r.changedSince ? 'mod-conflict' : undefined}>
          <th scope="row">
            <span safe>{r.label}</span>
            {r.changedSince ? (
              <span class="mod-flag" safe>
                {t('moderation.diff.changedSince')}
              </span>
            ) : (
              ''
            )}
          </th>
          <td class="mod-before" data-label={t('moderation.diff.before')}>
            <del class="mod-value">
              <DiffValue text={r.before} href={r.hrefs?.before} dash={dash} />
            </del>
            {r.changedSince ? (
              <p class="mod-current">
                <span safe>{t('moderation.diff.current')}</span>{' '}
                <strong>
                  <DiffValue text={r.current} href={r.hrefs?.current} dash={dash} />
                </strong>
              </p>
            ) : (
              ''
            )}
          </td>
          <td class="mod-after" data-label={t('moderation.diff.after')}>
            <ins class="mod-value">
              <DiffValue text={r.after} href={r.hrefs?.after} dash={dash} />
            </ins>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A value of the diff as people read it; a link when staff may open it (a proposed file). */
function DiffValue({ text, href, dash }: { text: string; href: string | null | undefined; dash: string }) {
  if (!text) return escapeHtml(dash);
  return href ? (
    <a href={href} safe>
      {text}
    </a>
  ) : (
    escapeHtml(text)
  );
}

/**
 * The existing organisations a proposed new one may duplicate, as the staff organisation form lists
 * them: name (to the back-office record), place, kind, what tells it apart, the resemblances with
 * their probability; namesakes elsewhere say so (« même nom, autre commune : Périgueux »).
 */
function PossibleMatches({ ctx, matches }: { ctx: ViewContext; matches: StaffMatch[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="matches-title" class="section mod-matches">
      <h2 id="matches-title" safe>
        {t('moderation.duplicates.title')}
      </h2>
      <p safe>{t('moderation.duplicates.intro')}</p>
      <ul class="duplicate-list">
        {matches.map((m) => (
          <li>
            <DuplicateMatchLines ctx={ctx} match={m} />
          </li>
        ))}
      </ul>
      <p safe>{t('moderation.duplicates.same')}</p>
    </section>
  );
}

/** The error summary of the acceptance form: the form posts to it, so that a refused acceptance opens there, focused. */
const APPROVE_SUMMARY = 'erreurs-accepter';

/**
 * Accept (as is, or after correcting) or reject with a message to the proposer. A new organisation
 * that may already exist is accepted only with « Ce n'est pas la même structure » ticked, for the
 * matches listed (their ids travel with the form).
 */
function DecisionForms(props: { ctx: ViewContext; id: string; canEdit: boolean; rejectErrors?: FieldErrors; rejectMessage?: string; matches: StaffMatch[]; approveErrors?: FieldErrors }) {
  const { ctx, id, canEdit, rejectErrors, rejectMessage, matches } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="decide-title" class="section">
      <h2 id="decide-title" safe>
        {t('moderation.decide.title')}
      </h2>
      <div class="two-columns">
        <div class="panel">
          <h3 safe>{t('moderation.approve.title')}</h3>
          <ErrorSummary ctx={ctx} errors={props.approveErrors ?? {}} prefix="acc" id={APPROVE_SUMMARY} />
          <Form ctx={ctx} action={matches.length ? `/admin/moderation/${id}/approuver#${APPROVE_SUMMARY}` : `/admin/moderation/${id}/approuver`}>
            {matches.length ? (
              <>
                {matches.map((m) => (
                  <input type="hidden" name={DUPLICATE_FIELDS.shown} value={m.id} />
                ))}
                <CheckboxField
                  prefix="acc"
                  name={DUPLICATE_FIELDS.confirmed}
                  label={t('moderation.duplicates.confirm')}
                  hint={t('moderation.duplicates.confirmHint')}
                  checked={false}
                  error={props.approveErrors?.[DUPLICATE_FIELDS.confirmed]}
                />
              </>
            ) : (
              ''
            )}
            <SubmitButton label={t('moderation.approve.submit')} />
          </Form>
          {canEdit ? (
            <p>
              <a href={`/admin/moderation/${id}/modifier`} safe>
                {t('moderation.edit.link')}
              </a>
            </p>
          ) : (
            ''
          )}
        </div>
        <div class="panel">
          <h3 safe>{t('moderation.reject.title')}</h3>
          <ErrorSummary ctx={ctx} errors={rejectErrors ?? {}} prefix="rej" />
          <Form ctx={ctx} action={`/admin/moderation/${id}/rejeter`}>
            <Message ctx={ctx} prefix="rej" name="message" label={t('moderation.reject.message')} value={rejectMessage} error={rejectErrors?.['message']} required />
            <SubmitButton label={t('moderation.reject.submit')} variant="danger" />
          </Form>
        </div>
      </div>
    </section>
  );
}

export function EditApprovePage(props: {
  ctx: ViewContext;
  id: string;
  title: string;
  fields: JSX.Element;
  errors: FieldErrors;
  message?: string;
  /** Existing organisations the corrected new one may duplicate: the staff organisation form's warning, first in the form. */
  duplicates?: { matches: StaffMatch[]; confirmMissing: boolean };
}) {
  const { ctx, fields } = props;
  const { t } = ctx;
  return (
    <ModerationPage ctx={ctx} title={t('moderation.edit.title', { title: props.title })} back={{ href: `/admin/moderation/${props.id}`, label: t('moderation.edit.back') }}>
      <p safe>{t('moderation.edit.intro')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`/admin/moderation/${props.id}/modifier`} class="stack-form mod-form">
        {props.duplicates ? (
          <DuplicateWarning
            ctx={ctx}
            matches={props.duplicates.matches.map((m) => (m.namesake ? { ...m, reasons: [m.namesake, ...m.reasons] } : m))}
            confirmMissing={props.duplicates.confirmMissing}
            audience="staff"
            submit={t('moderation.edit.submit')}
          />
        ) : (
          ''
        )}
        {fields}
        <Message ctx={ctx} name="decision_message" label={t('moderation.edit.message')} value={props.message} />
        <SubmitButton label={t('moderation.edit.submit')} />
      </Form>
    </ModerationPage>
  );
}

export interface AccountRequestItem {
  row: AccountRequestRow;
  organisation: { name: string; href: string } | null;
  proposal: { title: string; href: string; status: ProposalStatus } | null;
}

type RequestErrors = { id: string; errors: FieldErrors; message?: string };

/** The id of a request's error summary (« erreurs-demande-… »): its refusal form posts to it. */
function requestSummary(id: string): string {
  return `erreurs-demande-${id}`;
}

export function AccountRequestsPage(props: { ctx: ViewContext; items: AccountRequestItem[]; total: number; page: number; status: ProposalStatus; errors?: RequestErrors }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <ModerationPage ctx={ctx} title={t('moderation.accounts.title')} back={{ href: '/admin/moderation', label: t('moderation.queue.title') }}>
      <StatusFilter ctx={ctx} action="/admin/demandes-de-compte" status={props.status} />
      <ResultCount text={t('moderation.accounts.count', { count: numberFormat(ctx.locale).format(props.total) })} />
      {props.items.length === 0 ? (
        <p safe>{t('moderation.accounts.empty')}</p>
      ) : (
        <ul class="mod-requests">
          {props.items.map((item) => (
            <AccountRequest ctx={ctx} item={item} errors={props.errors?.id === item.row.id ? props.errors : undefined} />
          ))}
        </ul>
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} query={{ status: props.status === 'pending' ? undefined : props.status }} />
    </ModerationPage>
  );
}

/** One request: who, for which organisation, when, why; approve or reject while pending. */
function AccountRequest({ ctx, item: { row, organisation, proposal }, errors }: { ctx: ViewContext; item: AccountRequestItem; errors?: RequestErrors }) {
  const { t } = ctx;
  return (
    <li class="panel">
      <h2 safe>{row.name}</h2>
      <dl class="facts">
        <dt safe>{t('moderation.accounts.email')}</dt>
        <dd safe>{row.email}</dd>
        <dt safe>{t('moderation.accounts.organisation')}</dt>
        <dd>
          {organisation ? (
            <a href={organisation.href} safe>
              {organisation.name}
            </a>
          ) : proposal ? (
            <>
              <a href={proposal.href} safe>
                {proposal.title}
              </a>{' '}
              <span class="badge" safe>
                {t('moderation.accounts.proposed', { status: t(`moderation.status.${proposal.status}`) })}
              </span>
            </>
          ) : (
            <span safe>{t('moderation.diff.empty')}</span>
          )}
        </dd>
        <dt safe>{t('moderation.col.date')}</dt>
        <dd>
          <Timestamp ctx={ctx} iso={row.created_at} />
        </dd>
        <MessageFact ctx={ctx} message={row.message} />
      </dl>
      {row.status === 'pending' ? (
        <>
          <ErrorSummary ctx={ctx} errors={errors?.errors ?? {}} prefix={`rej-${row.id}`} id={requestSummary(row.id)} />
          <div class="two-columns mod-request-actions">
            <Form ctx={ctx} action={`/admin/demandes-de-compte/${row.id}/approuver`}>
              <SubmitButton label={t('moderation.accounts.approve')} />
            </Form>
            {/* Refused, the page opens at this request's error summary, which takes the focus. */}
            <Form ctx={ctx} action={`/admin/demandes-de-compte/${row.id}/rejeter#${requestSummary(row.id)}`}>
              <Message
                ctx={ctx}
                prefix={`rej-${row.id}`}
                name="message"
                label={t('moderation.reject.message')}
                value={errors?.message}
                error={errors?.errors['message']}
                hint={proposal?.status === 'pending' ? t('moderation.accounts.rejectsProposal', { name: proposal.title }) : undefined}
                required
              />
              <SubmitButton label={t('moderation.accounts.reject')} variant="danger" />
            </Form>
          </div>
        </>
      ) : (
        <p>
          <StatusBadge ctx={ctx} status={row.status} />
        </p>
      )}
    </li>
  );
}
