import type { AuditRow } from '../../kernel/audit/index.js';
import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Field, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { NewsFormFields, type NewsFormProps } from './form.js';
import type { StatusAction } from './service.js';
import { type Article, articleHref, isReadable } from './types.js';
import { HistorySection } from '../../kernel/ui/history.js';

export const NEWS_ADMIN = '/admin/actualites';
export const ADMIN_PAGE_SIZE = 50;

export interface AdminListQuery {
  q: string;
  status: string;
  page: number;
}

type AdminRow = { id: string; title: string; status: string; published_at: string | null; updated_at: string; source: string; mastodon_status_url: string | null; mastodon_error: string | null; organisation_name: string | null };

/** The state staff read: draft, scheduled (published with a date to come), published or archived. */
export function stateOf(a: { status: string; published_at: string | null }, now: Date): 'draft' | 'scheduled' | 'published' | 'archived' {
  if (a.status === 'published' && a.published_at && new Date(a.published_at).getTime() > now.getTime()) return 'scheduled';
  return a.status as 'draft' | 'published' | 'archived';
}

function StateBadge({ ctx, state }: { ctx: ViewContext; state: ReturnType<typeof stateOf> }) {
  const tone = state === 'published' ? 'badge-active' : state === 'scheduled' ? 'badge-invited' : 'badge-deactivated';
  return (
    <span class={`badge ${tone}`} safe>
      {ctx.t(`news.state.${state}`)}
    </span>
  );
}

export function NewsListAdminPage(p: { ctx: ViewContext; rows: AdminRow[]; total: number; query: AdminListQuery; now: Date; pendingProposals: number }) {
  const { ctx, query } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('news.admin.title')} area="admin">
      <h1 safe>{t('news.admin.title')}</h1>
      <p class="lead" safe>
        {t('news.admin.lead')}
      </p>
      <p class="inline-actions">
        <a class="button button-primary" href={`${NEWS_ADMIN}/nouveau`} safe>
          {t('news.admin.create')}
        </a>
        {p.pendingProposals ? (
          <a href="/admin/moderation?type=news" safe>
            {t('news.admin.moderation', { count: p.pendingProposals })}
          </a>
        ) : (
          ''
        )}
        {ctx.user?.role === 'admin' ? (
          <a href={`${NEWS_ADMIN}/mastodon`} safe>
            {t('news.mastodon.title')}
          </a>
        ) : (
          ''
        )}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([query.q, query.status])}>
        <form method="get" action={NEWS_ADMIN} class="inline-actions" role="search" aria-label={t('news.admin.filters')}>
          <Field name="q" label={t('news.admin.q')} value={query.q} />
          <Select
            name="statut"
            label={t('news.admin.status')}
            value={query.status}
            options={[{ value: '', label: t('news.admin.allStatuses') }, ...(['draft', 'scheduled', 'published', 'archived'] as const).map((s) => ({ value: s, label: t(`news.state.${s}`) }))]}
          />
          <SubmitButton label={t('news.admin.filter')} variant="secondary" />
        </form>
      </FilterDisclosure>
      <ResultCount text={t('news.admin.count', { count: numberFormat(ctx.locale).format(p.total) })} />
      {p.rows.length === 0 ? (
        <p safe>{t('news.admin.empty')}</p>
      ) : (
        <DataTable caption={t('news.admin.caption')} columns={[t('news.admin.col.title'), t('news.admin.col.state'), t('news.admin.col.date'), t('news.admin.col.author'), t('news.admin.col.mastodon')]} class="table-stack">
          {p.rows.map((a) => (
            <tr>
              <td>
                <a href={`${NEWS_ADMIN}/${a.id}`} safe>
                  {a.title}
                </a>
              </td>
              <td data-label={t('news.admin.col.state')}>
                <StateBadge ctx={ctx} state={stateOf(a, p.now)} />
              </td>
              <td data-label={t('news.admin.col.date')}>{a.published_at ? formatDateTime(a.published_at, ctx.locale) : '—'}</td>
              <td data-label={t('news.admin.col.author')} safe>{a.organisation_name ? t('news.admin.memberAuthor', { name: a.organisation_name }) : t('news.admin.networkAuthor')}</td>
              <td data-label={t('news.admin.col.mastodon')} safe>{a.mastodon_status_url ? t('news.mastodon.state.posted') : a.mastodon_error ? t('news.mastodon.state.error') : ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager ctx={ctx} page={query.page} total={p.total} pageSize={ADMIN_PAGE_SIZE} query={{ q: query.q, statut: query.status }} />
    </Layout>
  );
}

type FormPart = Omit<NewsFormProps, 'ctx' | 'author' | 'publication'> & { mastodonConfigured: boolean };

export function NewsCreatePage(p: FormPart & { ctx: ViewContext; watchSource: { title: string; link: string | null; source: string } | null }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('news.admin.createTitle')} area="admin">
      <link rel="stylesheet" href="/assets/news.css" />
      <Breadcrumb href={NEWS_ADMIN} label={t('news.admin.back')} />
      <h1 safe>{t('news.admin.createTitle')}</h1>
      {p.watchSource ? (
        <p class="panel">
          <span safe>{t('news.admin.fromWatch', { source: p.watchSource.source })}</span>{' '}
          {p.watchSource.link ? (
            <a href={p.watchSource.link} rel="noopener noreferrer" safe>
              {p.watchSource.title}
            </a>
          ) : (
            <span safe>{p.watchSource.title}</span>
          )}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action={`${NEWS_ADMIN}/nouveau`} class="stack-form mod-form" multipart>
        <NewsFormFields {...p} author={{ kind: 'staff' }} publication={{ mastodonConfigured: p.mastodonConfigured }} />
        {/* The draft first: Enter in a field submits the form with its first button, and must not publish. */}
        <div class="inline-actions">
          <button type="submit" name="intent" value="draft" class="button button-secondary" safe>
            {t('news.admin.saveDraft')}
          </button>
          <button type="submit" name="intent" value="publish" class="button button-primary" safe>
            {t('news.admin.publish')}
          </button>
        </div>
      </Form>
    </Layout>
  );
}

const ACTIONS: Record<string, StatusAction[]> = { draft: ['publish', 'archive'], published: ['unpublish', 'archive'], archived: ['publish', 'unpublish'] };

function MastodonSection({ ctx, article: a, now, configured }: { ctx: ViewContext; article: Article; now: Date; configured: boolean }) {
  const { t } = ctx;
  if (a.mastodon_post !== 1 && !a.mastodon_status_url) return '';
  const waiting = !a.mastodon_status_url && !a.mastodon_error;
  return (
    <section aria-labelledby="mastodon-title" class="panel">
      <h2 id="mastodon-title" safe>
        {t('news.mastodon.sectionTitle')}
      </h2>
      {a.mastodon_status_url ? (
        <p>
          <span safe>{t('news.mastodon.postedOn', { date: formatDateTime(a.mastodon_posted_at ?? a.updated_at, ctx.locale) })}</span>{' '}
          <a href={a.mastodon_status_url} rel="noopener noreferrer" safe>
            {a.mastodon_status_url}
          </a>
        </p>
      ) : a.mastodon_error ? (
        <p class="flash flash-error" role="alert" safe>
          {t('news.mastodon.failed', { error: a.mastodon_error })}
        </p>
      ) : (
        ''
      )}
      {waiting ? <p safe>{t(a.status === 'published' ? (isReadable(a, now) ? 'news.mastodon.pending' : 'news.mastodon.scheduled') : 'news.mastodon.whenPublished')}</p> : ''}
      {!a.mastodon_status_url && a.mastodon_error && a.status === 'published' && isReadable(a, now) && configured ? (
        <Form ctx={ctx} action={`${NEWS_ADMIN}/${a.id}/mastodon`} class="inline-form">
          <SubmitButton label={t('news.mastodon.retry')} variant="secondary" />
        </Form>
      ) : (
        ''
      )}
    </section>
  );
}

export function NewsEditPage(p: FormPart & { ctx: ViewContext; article: Article; now: Date; history: AuditRow[] }) {
  const { ctx, article: a, now } = p;
  const { t } = ctx;
  const state = stateOf(a, now);
  const title = t('news.admin.editTitle', { title: a.title });
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <link rel="stylesheet" href="/assets/news.css" />
      <Breadcrumb href={NEWS_ADMIN} label={t('news.admin.back')} />
      <h1 safe>{title}</h1>
      <p>
        <StateBadge ctx={ctx} state={state} />
        {a.published_at ? <span safe>{` ${t(state === 'scheduled' ? 'news.admin.scheduledFor' : 'news.admin.dateIs', { date: formatDateTime(a.published_at, ctx.locale) })}`}</span> : ''}
        {isReadable(a, now) ? (
          <>
            {' · '}
            <a href={articleHref(a.slug)} safe>
              {t('news.admin.publicLink')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <section aria-labelledby="status-title" class="panel">
        <h2 id="status-title" safe>
          {t('news.admin.statusTitle')}
        </h2>
        <div class="inline-actions">
          {(ACTIONS[a.status] ?? []).map((action) => (
            <Form ctx={ctx} action={`${NEWS_ADMIN}/${a.id}/statut`} class="inline-form">
              <button type="submit" name="action" value={action} class={`button ${action === 'publish' ? 'button-primary' : 'button-secondary'}`} safe>
                {t(`news.admin.action.${action}`)}
              </button>
            </Form>
          ))}
        </div>
      </section>
      <MastodonSection ctx={ctx} article={a} now={now} configured={p.mastodonConfigured} />
      <section aria-labelledby="form-title">
        <h2 id="form-title" safe>
          {t('news.admin.contentTitle')}
        </h2>
        <ErrorSummary ctx={ctx} errors={p.errors} />
        <Form ctx={ctx} action={`${NEWS_ADMIN}/${a.id}`} class="stack-form mod-form" multipart>
          <NewsFormFields {...p} author={{ kind: 'staff' }} publication={{ mastodonConfigured: p.mastodonConfigured }} />
          <SubmitButton label={t('news.admin.save')} />
        </Form>
      </section>
      <section aria-labelledby="delete-title" class="panel">
        <h2 id="delete-title" safe>
          {t('news.admin.deleteTitle')}
        </h2>
        <p safe>{t('news.admin.deleteText')}</p>
        <Form ctx={ctx} action={`${NEWS_ADMIN}/${a.id}/supprimer`} class="inline-form">
          <SubmitButton label={t('news.admin.delete')} variant="danger" />
        </Form>
      </section>
      <HistorySection
        ctx={ctx}
        entries={p.history}
        labels={{ title: t('news.admin.history'), empty: t('news.admin.historyEmpty'), caption: t('news.admin.history'), at: t('news.admin.col.at'), who: t('news.admin.col.who'), action: t('news.admin.col.action') }}
      />
    </Layout>
  );
}
