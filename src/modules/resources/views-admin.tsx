import type { AuditRow } from '../../kernel/audit/index.js';
import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Field, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { ResourceFormFields, type ResourceFormLabels } from './form.js';
import { EXTRACTION_STATUSES, kindLabelKey, RESOURCE_KINDS, RESOURCE_STATUSES } from './kinds.js';
import type { Resource } from './types.js';
import { fileText, staffFileHref } from './views-shared.js';
import { HistorySection } from '../../kernel/ui/history.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export const ADMIN_PAGE_SIZE = 50;

export interface AdminListQuery {
  q: string;
  status: string;
  kind: string;
  extraction: string;
  page: number;
}

function statusKey(status: string) {
  return status === 'published' ? ('resources.status.published' as const) : ('resources.status.draft' as const);
}

function extractionKey(status: string) {
  return (EXTRACTION_STATUSES as readonly string[]).includes(status) ? (`resources.extraction.${status as 'none'}` as const) : ('resources.extraction.none' as const);
}

export function ResourceListAdminPage(p: { ctx: ViewContext; rows: Resource[]; total: number; query: AdminListQuery; pendingProposals: number }) {
  const { ctx, query } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.admin.title')} area="admin">
      <h1 safe>{t('resources.admin.title')}</h1>
      <p class="lead" safe>
        {t('resources.admin.lead')}
      </p>
      <p class="inline-actions">
        <a class="button button-primary" href="/admin/ressources/nouvelle" safe>
          {t('resources.admin.create')}
        </a>
        {p.pendingProposals ? (
          <a href="/admin/moderation?type=resource" safe>
            {t('resources.admin.moderation', { count: p.pendingProposals })}
          </a>
        ) : (
          ''
        )}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([query.q, query.status, query.kind, query.extraction])}>
        <form method="get" action="/admin/ressources" class="inline-actions" role="search" aria-label={t('resources.admin.filters')}>
          <Field name="q" label={t('resources.admin.q')} value={query.q} />
          <Select
            name="statut"
            label={t('resources.admin.status')}
            value={query.status}
            options={[{ value: '', label: t('resources.admin.allStatuses') }, ...RESOURCE_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))]}
          />
          <Select name="type" label={t('resources.field.kind')} value={query.kind} options={[{ value: '', label: t('resources.public.allKinds') }, ...RESOURCE_KINDS.map((x) => ({ value: x, label: t(kindLabelKey(x)) }))]} />
          <Select
            name="extraction"
            label={t('resources.admin.extraction')}
            value={query.extraction}
            options={[{ value: '', label: t('resources.admin.allExtractions') }, ...EXTRACTION_STATUSES.map((s) => ({ value: s, label: t(extractionKey(s)) }))]}
          />
          <SubmitButton label={t('resources.admin.filter')} variant="secondary" />
        </form>
      </FilterDisclosure>
      <ResultCount text={t('resources.admin.count', { count: numberFormat(ctx.locale).format(p.total) })} />
      {p.rows.length === 0 ? (
        <p safe>{t('resources.admin.empty')}</p>
      ) : (
        <DataTable
          caption={t('resources.admin.caption')}
          columns={[t('resources.admin.col.title'), t('resources.field.kind'), t('resources.admin.col.status'), t('resources.admin.col.extraction'), t('resources.admin.col.downloads'), t('resources.admin.col.updated')]}
          class="table-stack"
        >
          {p.rows.map((r) => (
            <tr>
              <td>
                <a href={`/admin/ressources/${r.id}`} safe>
                  {r.title}
                </a>
              </td>
              <td data-label={t('resources.field.kind')} safe>{t(kindLabelKey(r.kind))}</td>
              <td data-label={t('resources.admin.col.status')} safe>{t(statusKey(r.status))}</td>
              <td data-label={t('resources.admin.col.extraction')} safe>{t(extractionKey(r.extraction_status))}</td>
              <td data-label={t('resources.admin.col.downloads')} safe>{String(r.download_count)}</td>
              <td data-label={t('resources.admin.col.updated')} safe>{formatDateTime(r.updated_at, ctx.locale)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager ctx={ctx} page={query.page} total={p.total} pageSize={ADMIN_PAGE_SIZE} query={{ q: query.q, statut: query.status, type: query.kind, extraction: query.extraction }} />
    </Layout>
  );
}

export function ResourceCreatePage(p: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: ResourceFormLabels }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.admin.createTitle')} area="admin">
      {CSS}
      <Breadcrumb href="/admin/ressources" label={t('resources.admin.back')} />
      <h1 safe>{t('resources.admin.createTitle')}</h1>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action="/admin/ressources/nouvelle" class="stack-form mod-form" multipart>
        <ResourceFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} mode="staff" />
        <p class="inline-actions">
          <button type="submit" name="intent" value="draft" class="button button-secondary" safe>
            {t('resources.admin.saveDraft')}
          </button>
          <button type="submit" name="intent" value="publish" class="button button-primary" safe>
            {t('resources.admin.savePublish')}
          </button>
        </p>
      </Form>
    </Layout>
  );
}

/** What staff read of the PDF's text extraction. */
function extractionText(ctx: ViewContext, r: Resource): string {
  const { t } = ctx;
  switch (r.extraction_status) {
    case 'done':
      return t(r.extraction_error === 'truncated' ? 'resources.extraction.doneTruncated' : 'resources.extraction.doneDetail', {
        pages: r.extracted_pages ?? 0,
        chars: numberFormat(ctx.locale).format(r.extracted_chars ?? 0),
      });
    case 'failed':
      return t('resources.extraction.failedDetail', { reason: t(`resources.extraction.error.${(['invalid', 'encrypted', 'unreadable', 'timeout', 'memory'].includes(r.extraction_error ?? '') ? r.extraction_error : 'failed') as 'failed'}`) });
    case 'pending':
      return t('resources.extraction.pendingDetail');
    default:
      return t('resources.extraction.noneDetail');
  }
}

export function ResourceEditPage(p: {
  ctx: ViewContext;
  resource: Resource;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  labels: ResourceFormLabels;
  history: AuditRow[];
  file: { id: string; mime: string; size: number } | null;
}) {
  const { ctx, resource: r } = p;
  const { t } = ctx;
  const published = r.status === 'published';
  return (
    <Layout ctx={ctx} title={t('resources.admin.editTitle', { title: r.title })} area="admin">
      {CSS}
      <Breadcrumb href="/admin/ressources" label={t('resources.admin.back')} />
      <h1 safe>{t('resources.admin.editTitle', { title: r.title })}</h1>
      <p>
        <strong safe>{t('resources.admin.currentStatus', { status: t(statusKey(r.status)) })}</strong>
        {' · '}
        <span safe>{t('resources.admin.downloads', { count: r.download_count })}</span>
        {published ? (
          <>
            {' · '}
            <a href={`/ressources/${encodeURIComponent(r.slug)}`} safe>
              {t('resources.admin.publicLink')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <div class="two-columns">
        <section aria-labelledby="status-title" class="panel">
          <h2 id="status-title" safe>
            {t('resources.admin.statusTitle')}
          </h2>
          <Form ctx={ctx} action={`/admin/ressources/${r.id}/statut`} class="inline-form">
            <button type="submit" name="action" value={published ? 'unpublish' : 'publish'} class={`button ${published ? 'button-secondary' : 'button-primary'}`} safe>
              {t(published ? 'resources.admin.unpublish' : 'resources.admin.publish')}
            </button>
          </Form>
        </section>
        <section aria-labelledby="extraction-title" class="panel">
          <h2 id="extraction-title" safe>
            {t('resources.admin.extractionTitle')}
          </h2>
          <p safe>{extractionText(ctx, r)}</p>
          {p.file ? (
            <p>
              <a href={staffFileHref(p.file.id)} safe>
                {t('resources.admin.openFile', { details: fileText(t, ctx.locale, p.file) })}
              </a>
            </p>
          ) : (
            ''
          )}
          {p.file?.mime === 'application/pdf' ? (
            <Form ctx={ctx} action={`/admin/ressources/${r.id}/extraction`} class="inline-form">
              <SubmitButton label={t('resources.admin.extractAgain')} variant="secondary" />
            </Form>
          ) : (
            ''
          )}
        </section>
      </div>
      <section aria-labelledby="form-title">
        <h2 id="form-title" safe>
          {t('resources.admin.formTitle')}
        </h2>
        <p class="hint" safe>
          {t('resources.admin.slugHint', { slug: r.slug })}
        </p>
        <ErrorSummary ctx={ctx} errors={p.errors} />
        <Form ctx={ctx} action={`/admin/ressources/${r.id}`} class="stack-form mod-form" multipart>
          <ResourceFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} mode="staff" />
          <SubmitButton label={t('resources.admin.save')} />
        </Form>
      </section>
      <section aria-labelledby="delete-title" class="panel">
        <h2 id="delete-title" safe>
          {t('resources.admin.deleteTitle')}
        </h2>
        <p safe>{t('resources.admin.deleteHint')}</p>
        <Form ctx={ctx} action={`/admin/ressources/${r.id}/supprimer`} class="inline-form">
          <div class="field field-check">
            <input type="checkbox" id="f-confirm" name="confirm" value="1" required />
            <label for="f-confirm" safe>
              {t('resources.admin.deleteConfirm')}
            </label>
          </div>
          <SubmitButton label={t('resources.admin.delete')} variant="danger" />
        </Form>
      </section>
      <HistorySection
        ctx={ctx}
        entries={p.history}
        labels={{ title: t('resources.admin.history'), empty: t('resources.admin.historyEmpty'), caption: t('resources.admin.historyCaption'), at: t('resources.admin.col.at'), who: t('resources.admin.col.who'), action: t('resources.admin.col.action') }}
      />
    </Layout>
  );
}
