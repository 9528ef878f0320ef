import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { lastErrorText } from './feeds.js';
import type { FeedWithOrganisation } from './repo.js';

export interface FeedFormValues {
  organisation?: string;
  structure?: string;
  url?: string;
}

/** The feeds with their health; `base` is where the actions post (`/mon-espace/evenements/flux` or `/admin/agenda/flux`). */
function FeedTable({ ctx, feeds, base, refresh }: { ctx: ViewContext; feeds: FeedWithOrganisation[]; base: string; refresh: boolean }) {
  const { t, locale } = ctx;
  return (
    <DataTable
      caption={t('eventFeeds.list.caption')}
      columns={[t('eventFeeds.col.organisation'), t('eventFeeds.col.url'), t('eventFeeds.col.lastSuccess'), t('eventFeeds.col.lastError'), t('eventFeeds.col.items'), t('eventFeeds.col.actions')]}
    >
      {feeds.map((feed) => {
        const error = lastErrorText(feed.last_error, t);
        return (
          <tr>
            <td safe>{feed.organisation_name}</td>
            <td class="break-all" safe>
              {feed.url}
            </td>
            <td safe>{feed.last_success_at ? formatDateTime(feed.last_success_at, locale) : t('eventFeeds.never')}</td>
            <td>
              {error ? (
                <span class="feed-error">
                  <span safe>{error}</span>
                  {feed.last_fetched_at ? <span safe>{` (${formatDateTime(feed.last_fetched_at, locale)})`}</span> : ''}
                </span>
              ) : (
                <span safe>{t('eventFeeds.noError')}</span>
              )}
            </td>
            <td safe>{String(feed.item_count)}</td>
            <td>
              {refresh ? (
                <Form ctx={ctx} action={`${base}/${feed.id}/actualiser`} class="inline-form">
                  <button type="submit" class="button button-secondary" aria-label={t('eventFeeds.refreshLabel', { url: feed.url })} safe>
                    {t('eventFeeds.refresh')}
                  </button>
                </Form>
              ) : (
                ''
              )}
              <Form ctx={ctx} action={`${base}/${feed.id}/supprimer`} class="inline-form">
                <button type="submit" class="button button-danger" aria-label={t('eventFeeds.removeLabel', { url: feed.url })} safe>
                  {t('eventFeeds.remove')}
                </button>
              </Form>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

export function MemberFeedsPage(props: {
  ctx: ViewContext;
  feeds: FeedWithOrganisation[];
  organisations: Array<{ id: string; name: string }>;
  values: FeedFormValues;
  errors: FieldErrors;
}) {
  const { ctx, feeds, organisations, values, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('eventFeeds.member.title')} area="member">
      <p class="breadcrumb">
        <a href="/mon-espace" safe>
          {t('member.title')}
        </a>
      </p>
      <h1 safe>{t('eventFeeds.member.title')}</h1>
      <p safe>{t('eventFeeds.member.intro')}</p>
      {feeds.length === 0 ? <p safe>{t('eventFeeds.member.none')}</p> : <FeedTable ctx={ctx} feeds={feeds} base="/mon-espace/evenements/flux" refresh={false} />}
      {organisations.length === 0 ? (
        <p safe>{t('eventFeeds.member.noOrganisation')}</p>
      ) : (
        <section aria-labelledby="feed-form-title">
          <h2 id="feed-form-title" safe>
            {t('eventFeeds.form.legend')}
          </h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <Form ctx={ctx} action="/mon-espace/evenements/flux">
            <Select
              name="organisation"
              label={t('eventFeeds.field.organisation')}
              options={organisations.map((o) => ({ value: o.id, label: o.name }))}
              value={values.organisation}
              error={errors['organisation']}
              required
            />
            <Field name="url" type="url" label={t('eventFeeds.field.url')} hint={t('eventFeeds.field.urlHint')} value={values.url} error={errors['url']} required />
            <SubmitButton label={t('eventFeeds.submit')} />
          </Form>
        </section>
      )}
    </Layout>
  );
}

export function AdminFeedsPage(props: { ctx: ViewContext; feeds: FeedWithOrganisation[]; values: FeedFormValues; errors: FieldErrors }) {
  const { ctx, feeds, values, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('eventFeeds.admin.title')} area="admin">
      <h1 safe>{t('eventFeeds.admin.title')}</h1>
      <p safe>{t('eventFeeds.admin.intro')}</p>
      {feeds.length === 0 ? <p safe>{t('eventFeeds.admin.none')}</p> : <FeedTable ctx={ctx} feeds={feeds} base="/admin/agenda/flux" refresh={true} />}
      <section aria-labelledby="feed-form-title">
        <h2 id="feed-form-title" safe>
          {t('eventFeeds.form.legend')}
        </h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action="/admin/agenda/flux">
          <Field name="structure" label={t('eventFeeds.field.structure')} value={values.structure} error={errors['structure']} required />
          <Field name="url" type="url" label={t('eventFeeds.field.url')} hint={t('eventFeeds.field.urlHint')} value={values.url} error={errors['url']} required />
          <SubmitButton label={t('eventFeeds.submit')} />
        </Form>
      </section>
    </Layout>
  );
}
