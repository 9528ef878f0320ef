import type { AuditRow } from '../../kernel/audit/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable } from '../../kernel/ui/table.js';
import { CallFormFields } from './form.js';
import type { CallLabels } from './labels.js';
import type { ListedCall } from './repo.js';
import { callStatus } from './status.js';
import { type Call, callPath, documentPath } from './types.js';
import { documentMeta } from './views-call.js';
import { deadlineText, remainingText, StatusBadge } from './views-parts.js';
import { CSS } from './views-public.js';
import { HistorySection } from '../../kernel/ui/history.js';

export const ADMIN_BASE = '/admin/appels-a-projets';
export const ADMIN_PAGE_SIZE = 30;

export interface AdminListQuery {
  q: string;
  publication: '' | 'draft' | 'published';
  period: 'current' | 'closed' | 'all';
  page: number;
}

function adminQueryString(q: AdminListQuery): string {
  const params = new URLSearchParams();
  if (q.q) params.set('q', q.q);
  if (q.publication) params.set('publication', q.publication);
  if (q.period !== 'current') params.set('periode', q.period);
  return params.toString();
}

export function CallListPage({ ctx, rows, total, query, now }: { ctx: ViewContext; rows: ListedCall[]; total: number; query: AdminListQuery; now: Date }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('calls.admin.title')} area="admin">
      {CSS}
      <h1 safe>{t('calls.admin.title')}</h1>
      <p>
        <a class="button button-primary" href={`${ADMIN_BASE}/nouveau`} safe>
          {t('calls.admin.new')}
        </a>{' '}
        <a href="/appels-a-projets" safe>
          {t('calls.admin.publicList')}
        </a>
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([query.q, query.publication, query.period !== 'current'])}>
        <form method="get" action={ADMIN_BASE} class="filter-form call-filters" role="search" aria-label={t('calls.filter.label')}>
          <div class="field">
            <label for="f-q" safe>
              {t('calls.filter.q')}
            </label>
            <input id="f-q" type="search" name="q" value={query.q} />
          </div>
          <div class="field">
            <label for="f-publication" safe>
              {t('calls.admin.publication')}
            </label>
            <select id="f-publication" name="publication">
              {(['', 'draft', 'published'] as const).map((p) => (
                <option value={p} selected={query.publication === p} safe>
                  {p ? t(`calls.publication.${p}`) : t('calls.filter.allPublications')}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-periode" safe>
              {t('calls.admin.period')}
            </label>
            <select id="f-periode" name="periode">
              {(['current', 'closed', 'all'] as const).map((p) => (
                <option value={p === 'current' ? '' : p} selected={query.period === p} safe>
                  {t(`calls.admin.period.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-primary" safe>
            {t('calls.filter.apply')}
          </button>
        </form>
      </FilterDisclosure>
      <p class="result-count" role="status" safe>
        {t('calls.admin.count', { count: numberFormat(ctx.locale).format(total) })}
      </p>
      {rows.length === 0 ? (
        <p safe>{t('calls.admin.empty')}</p>
      ) : (
        <DataTable caption={t('calls.admin.caption')} columns={[t('calls.field.title'), t('calls.field.funder'), t('calls.field.closesOn'), t('calls.admin.col.status'), t('calls.admin.publication')]} class="table-stack">
          {rows.map((c) => {
            const computed = callStatus(c, now);
            return (
              <tr>
                <td>
                  <a href={`${ADMIN_BASE}/${c.id}`} safe>
                    {c.title}
                  </a>
                </td>
                <td data-label={t('calls.field.funder')} safe>{c.funder}</td>
                <td data-label={t('calls.field.closesOn')}>
                  <span safe>{deadlineText(ctx, c)}</span>
                  <br />
                  <span class="hint" safe>
                    {remainingText(ctx, c, computed)}
                  </span>
                </td>
                <td data-label={t('calls.admin.col.status')}>
                  <StatusBadge ctx={ctx} status={computed.status} />
                </td>
                <td data-label={t('calls.admin.publication')} safe>{t(`calls.publication.${c.status === 'published' ? 'published' : 'draft'}`)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <Pager ctx={ctx} page={query.page} total={total} query={adminQueryString(query)} pageSize={ADMIN_PAGE_SIZE} />
    </Layout>
  );
}

export interface WatchOrigin {
  id: string;
  title: string;
  source: string;
}

export function CallCreatePage(p: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: CallLabels; origin: WatchOrigin | null }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('calls.admin.newTitle')} area="admin">
      {CSS}
      <Breadcrumb href={ADMIN_BASE} label={t('calls.admin.back')} />
      <h1 safe>{t('calls.admin.newTitle')}</h1>
      {p.origin ? <Origin ctx={ctx} origin={p.origin} prefilled /> : ''}
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/nouveau`} multipart class="stack-form call-form">
        <CallFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} />
        <div class="inline-actions">
          <button type="submit" name="intent" value="draft" class="button button-secondary" safe>
            {t('calls.admin.saveDraft')}
          </button>
          <button type="submit" name="intent" value="publish" class="button button-primary" safe>
            {t('calls.admin.savePublish')}
          </button>
        </div>
      </Form>
    </Layout>
  );
}

function Origin({ ctx, origin, prefilled }: { ctx: ViewContext; origin: WatchOrigin; prefilled?: boolean }) {
  return (
    <p class="notice">
      <span safe>{ctx.t(prefilled ? 'calls.admin.prefilledFrom' : 'calls.admin.origin', { source: origin.source })}</span>{' '}
      <a href={`/admin/veille/elements/${origin.id}`} safe>
        {origin.title}
      </a>
    </p>
  );
}

export function CallEditPage(p: {
  ctx: ViewContext;
  call: Call;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  labels: CallLabels;
  history: AuditRow[];
  origin: WatchOrigin | null;
  now: Date;
}) {
  const { ctx, call } = p;
  const { t } = ctx;
  const computed = callStatus(call, p.now);
  const published = call.status === 'published';
  return (
    <Layout ctx={ctx} title={t('calls.admin.editTitle', { title: call.title })} area="admin">
      {CSS}
      <Breadcrumb href={ADMIN_BASE} label={t('calls.admin.back')} />
      <h1 safe>{t('calls.admin.editTitle', { title: call.title })}</h1>
      <p>
        <StatusBadge ctx={ctx} status={computed.status} /> <strong safe>{t(`calls.publication.${published ? 'published' : 'draft'}`)}</strong>
        {' · '}
        <a href={callPath(call.slug)} safe>
          {t(published ? 'calls.admin.publicLink' : 'calls.admin.previewLink')}
        </a>
        {published && computed.status === 'closed' ? (
          <>
            {' · '}
            <a href="/appels-a-projets/archives" safe>
              {t('calls.admin.archivesLink')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      {p.origin ? <Origin ctx={ctx} origin={p.origin} /> : ''}
      <section aria-labelledby="publication-title" class="panel">
        <h2 id="publication-title" safe>
          {t('calls.admin.publication')}
        </h2>
        <div class="inline-actions">
          <Form ctx={ctx} action={`${ADMIN_BASE}/${call.id}/statut`} class="inline-form">
            <button type="submit" name="action" value={published ? 'unpublish' : 'publish'} class={`button ${published ? 'button-secondary' : 'button-primary'}`} safe>
              {t(published ? 'calls.admin.unpublish' : 'calls.admin.publish')}
            </button>
          </Form>
          <Form ctx={ctx} action={`${ADMIN_BASE}/${call.id}/supprimer`} class="inline-form">
            <button type="submit" class="button button-danger" safe>
              {t('calls.admin.delete')}
            </button>
          </Form>
        </div>
      </section>
      {call.documents.length ? (
        <section aria-labelledby="documents-title" class="panel">
          <h2 id="documents-title" safe>
            {t('calls.page.documents')}
          </h2>
          <ul class="call-documents">
            {call.documents.map((d) => (
              <li>
                <a href={documentPath(d.id)} safe>
                  {d.title}
                </a>{' '}
                <span class="hint" safe>{`(${documentMeta(ctx, d)})`}</span>{' '}
                <Form ctx={ctx} action={`${ADMIN_BASE}/${call.id}/documents/${d.id}/supprimer`} class="inline-form">
                  <button type="submit" class="button button-secondary" aria-label={t('calls.admin.removeDocumentLabel', { title: d.title })} safe>
                    {t('calls.admin.removeDocument')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="form-title">
        <h2 id="form-title" safe>
          {t('calls.admin.formTitle')}
        </h2>
        <p class="hint" safe>
          {t('calls.admin.slugHint', { slug: call.slug })}
        </p>
        <ErrorSummary ctx={ctx} errors={p.errors} />
        <Form ctx={ctx} action={`${ADMIN_BASE}/${call.id}`} multipart class="stack-form call-form">
          <CallFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} />
          <SubmitButton label={t('calls.admin.save')} />
        </Form>
      </section>
      <HistorySection
        ctx={ctx}
        entries={p.history}
        labels={{ title: t('calls.admin.history'), empty: t('calls.admin.historyEmpty'), caption: t('calls.admin.history'), at: t('calls.admin.col.at'), who: t('calls.admin.col.who'), action: t('calls.admin.col.action') }}
      />
    </Layout>
  );
}
