import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, Select, SubmitButton, fieldId } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import type { ProposalStatus } from '../../db/schema.js';
import type { AccountRequestRow } from './repo.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export interface QueueItem {
  id: string;
  typeLabel: string;
  title: string;
  isNew: boolean;
  proposer: string;
  createdAt: string;
  status: ProposalStatus;
}

export function Message({ name, prefix, label, value, error, required }: { ctx: ViewContext; name: string; prefix?: string; label: string; value?: string; error?: string; required?: boolean }) {
  const id = fieldId(name, prefix);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        <span safe>{label}</span>
        {required ? (
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        ) : (
          ''
        )}
      </label>
      {error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <textarea
        id={id}
        name={name}
        rows="4"
        class="org-textarea"
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        safe
      >
        {value ?? ''}
      </textarea>
    </div>
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
      <form method="get" action="/admin/moderation" class="filter-bar">
        <Select
          name="type"
          label={t('moderation.filter.type')}
          value={props.type}
          options={[{ value: '', label: t('moderation.filter.allTypes') }, ...props.types.map((ty) => ({ value: ty.value, label: ty.label }))]}
        />
        <Select
          name="status"
          label={t('moderation.filter.status')}
          value={props.status}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`moderation.status.${s}`) }))}
        />
        <SubmitButton label={t('moderation.filter.submit')} variant="secondary" />
      </form>
      <p class="result-count" role="status" safe>
        {t('moderation.queue.count', { count: props.total })}
      </p>
      {props.items.length === 0 ? (
        <p safe>{t('moderation.queue.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden" safe>
              {t('moderation.queue.caption')}
            </caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('moderation.col.proposal')}</th>
                <th scope="col" safe>{t('moderation.col.type')}</th>
                <th scope="col" safe>{t('moderation.col.proposer')}</th>
                <th scope="col" safe>{t('moderation.col.date')}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <tr>
                  <td>
                    <a href={`/admin/moderation/${item.id}`} safe>
                      {item.title || t('moderation.untitled')}
                    </a>
                    <br />
                    <span class="badge" safe>
                      {item.isNew ? t('moderation.kind.new') : t('moderation.kind.change')}
                    </span>
                  </td>
                  <td safe>{item.typeLabel}</td>
                  <td safe>{item.proposer}</td>
                  <td class="nowrap">
                    <time datetime={item.createdAt} safe>
                      {formatDateTime(item.createdAt, ctx.locale)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
  changedSince: boolean;
}

export function ProposalPage(props: {
  ctx: ViewContext;
  id: string;
  typeLabel: string;
  title: string;
  isNew: boolean;
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
}) {
  const { ctx } = props;
  const { t } = ctx;
  const conflicts = props.rows.filter((r) => r.changedSince).length;
  const dash = t('moderation.diff.empty');
  return (
    <Layout ctx={ctx} title={t('moderation.detail.title', { title: props.title })} area="admin">
      {CSS}
      <p class="breadcrumb">
        <a href="/admin/moderation" safe>
          {t('moderation.queue.title')}
        </a>
      </p>
      <h1 safe>{t('moderation.detail.title', { title: props.title })}</h1>
      <dl class="facts">
        <dt safe>{t('moderation.col.type')}</dt>
        <dd safe>{`${props.typeLabel} · ${props.isNew ? t('moderation.kind.new') : t('moderation.kind.change')}`}</dd>
        <dt safe>{t('moderation.col.proposer')}</dt>
        <dd safe>{`${props.proposer.name} <${props.proposer.email}>`}</dd>
        <dt safe>{t('moderation.col.date')}</dt>
        <dd>
          <time datetime={props.createdAt} safe>
            {formatDateTime(props.createdAt, ctx.locale)}
          </time>
        </dd>
        <dt safe>{t('moderation.filter.status')}</dt>
        <dd>
          <span class={`badge mod-status-${props.status}`} safe>
            {t(`moderation.status.${props.status}`)}
          </span>
          {props.decidedAt ? (
            <span safe>{` ${formatDateTime(props.decidedAt, ctx.locale)}`}</span>
          ) : (
            ''
          )}
        </dd>
        {props.message ? (
          <>
            <dt safe>{t('moderation.detail.message')}</dt>
            <dd class="mod-message" safe>
              {props.message}
            </dd>
          </>
        ) : (
          ''
        )}
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
        {props.rows.length === 0 ? (
          <p safe>{t('moderation.diff.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="mod-diff">
              <caption class="visually-hidden" safe>
                {t('moderation.diff.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col" safe>{t('moderation.diff.field')}</th>
                  <th scope="col" safe>{t('moderation.diff.before')}</th>
                  <th scope="col" safe>{t('moderation.diff.after')}</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((r) => (
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
                    <td class="mod-before">
                      <del class="mod-value" safe>
                        {r.before || dash}
                      </del>
                      {r.changedSince ? (
                        <p class="mod-current">
                          <span safe>{t('moderation.diff.current')}</span> <strong safe>{r.current || dash}</strong>
                        </p>
                      ) : (
                        ''
                      )}
                    </td>
                    <td class="mod-after">
                      <ins class="mod-value" safe>
                        {r.after || dash}
                      </ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {props.status === 'pending' ? (
        <section aria-labelledby="decide-title" class="section">
          <h2 id="decide-title" safe>
            {t('moderation.decide.title')}
          </h2>
          <div class="two-columns">
            <div class="panel">
              <h3 safe>{t('moderation.approve.title')}</h3>
              <Form ctx={ctx} action={`/admin/moderation/${props.id}/approuver`}>
                <SubmitButton label={t('moderation.approve.submit')} />
              </Form>
              {props.canEdit ? (
                <p>
                  <a href={`/admin/moderation/${props.id}/modifier`} safe>
                    {t('moderation.edit.link')}
                  </a>
                </p>
              ) : (
                ''
              )}
            </div>
            <div class="panel">
              <h3 safe>{t('moderation.reject.title')}</h3>
              <ErrorSummary ctx={ctx} errors={props.rejectErrors ?? {}} prefix="rej" />
              <Form ctx={ctx} action={`/admin/moderation/${props.id}/rejeter`}>
                <Message ctx={ctx} prefix="rej" name="message" label={t('moderation.reject.message')} value={props.rejectMessage} error={props.rejectErrors?.['message']} required />
                <SubmitButton label={t('moderation.reject.submit')} variant="danger" />
              </Form>
            </div>
          </div>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function EditApprovePage(props: { ctx: ViewContext; id: string; title: string; fields: JSX.Element; errors: FieldErrors; message?: string }) {
  const { ctx, fields } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.edit.title', { title: props.title })} area="admin">
      {CSS}
      <p class="breadcrumb">
        <a href={`/admin/moderation/${props.id}`} safe>
          {t('moderation.edit.back')}
        </a>
      </p>
      <h1 safe>{t('moderation.edit.title', { title: props.title })}</h1>
      <p safe>{t('moderation.edit.intro')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`/admin/moderation/${props.id}/modifier`} class="stack-form mod-form">
        {fields}
        <Message ctx={ctx} name="decision_message" label={t('moderation.edit.message')} value={props.message} />
        <SubmitButton label={t('moderation.edit.submit')} />
      </Form>
    </Layout>
  );
}

export interface AccountRequestItem {
  row: AccountRequestRow;
  organisation: { name: string; href: string } | null;
  proposal: { title: string; href: string; status: ProposalStatus } | null;
}

export function AccountRequestsPage(props: {
  ctx: ViewContext;
  items: AccountRequestItem[];
  total: number;
  page: number;
  status: ProposalStatus;
  errors?: { id: string; errors: FieldErrors; message?: string };
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.accounts.title')} area="admin">
      {CSS}
      <p class="breadcrumb">
        <a href="/admin/moderation" safe>
          {t('moderation.queue.title')}
        </a>
      </p>
      <h1 safe>{t('moderation.accounts.title')}</h1>
      <form method="get" action="/admin/demandes-de-compte" class="filter-bar">
        <Select
          name="status"
          label={t('moderation.filter.status')}
          value={props.status}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`moderation.status.${s}`) }))}
        />
        <SubmitButton label={t('moderation.filter.submit')} variant="secondary" />
      </form>
      <p class="result-count" role="status" safe>
        {t('moderation.accounts.count', { count: props.total })}
      </p>
      {props.items.length === 0 ? (
        <p safe>{t('moderation.accounts.empty')}</p>
      ) : (
        <ul class="mod-requests">
          {props.items.map(({ row, organisation, proposal }) => {
            const errors = props.errors?.id === row.id ? props.errors.errors : {};
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
                    <time datetime={row.created_at} safe>
                      {formatDateTime(row.created_at, ctx.locale)}
                    </time>
                  </dd>
                  {row.message ? (
                    <>
                      <dt safe>{t('moderation.detail.message')}</dt>
                      <dd class="mod-message" safe>
                        {row.message}
                      </dd>
                    </>
                  ) : (
                    ''
                  )}
                </dl>
                {row.status === 'pending' ? (
                  <div class="two-columns mod-request-actions">
                    <Form ctx={ctx} action={`/admin/demandes-de-compte/${row.id}/approuver`}>
                      <SubmitButton label={t('moderation.accounts.approve')} />
                    </Form>
                    <Form ctx={ctx} action={`/admin/demandes-de-compte/${row.id}/rejeter`}>
                      <Message
                        ctx={ctx}
                        prefix={`rej-${row.id}`}
                        name="message"
                        label={t('moderation.reject.message')}
                        value={props.errors?.id === row.id ? props.errors.message : undefined}
                        error={errors['message']}
                        required
                      />
                      <SubmitButton label={t('moderation.accounts.reject')} variant="danger" />
                    </Form>
                  </div>
                ) : (
                  <p>
                    <span class={`badge mod-status-${row.status}`} safe>
                      {t(`moderation.status.${row.status}`)}
                    </span>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} query={{ status: props.status === 'pending' ? undefined : props.status }} />
    </Layout>
  );
}
