import type { NewsStatus } from '../../db/schema.js';
import { formatDateTime } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { type MemberProposalItem, MemberProposalsTable } from '../moderation/index.js';
import { NewsFormFields, type NewsFormProps } from './form.js';
import { articleHref, isReadable } from './types.js';

export const MEMBER_NEWS = '/mon-espace/actualites';

export interface MemberArticleItem {
  id: string;
  slug: string;
  title: string;
  status: NewsStatus;
  published_at: string | null;
}

export function MyNewsPage(p: { ctx: ViewContext; proposals: MemberProposalItem[]; articles: MemberArticleItem[]; hasOrganisations: boolean; now: Date }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('news.member.title')} area="member">
      <Breadcrumb href="/mon-espace" label={t('news.member.home')} />
      <h1 safe>{t('news.member.title')}</h1>
      <p class="lead" safe>
        {t('news.member.lead')}
      </p>
      {p.hasOrganisations ? (
        <p>
          <a class="button button-primary" href={`${MEMBER_NEWS}/nouveau`} safe>
            {t('news.member.propose')}
          </a>
        </p>
      ) : (
        <p safe>{t('news.member.noOrganisation')}</p>
      )}
      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title" safe>
          {t('news.member.proposals')}
        </h2>
        {p.proposals.length === 0 ? (
          <p safe>{t('news.member.noProposals')}</p>
        ) : (
          <MemberProposalsTable
            ctx={ctx}
            proposals={p.proposals}
            labels={{ caption: t('news.member.proposals'), title: t('news.member.col.title'), date: t('news.member.col.date'), status: t('news.member.col.status'), message: t('news.member.col.message') }}
          />
        )}
      </section>
      <section aria-labelledby="articles-title">
        <h2 id="articles-title" safe>
          {t('news.member.published')}
        </h2>
        {p.articles.length === 0 ? (
          <p safe>{t('news.member.noArticles')}</p>
        ) : (
          <DataTable caption={t('news.member.published')} columns={[t('news.member.col.title'), t('news.member.col.date'), { label: t('news.member.edit'), hidden: true }]} class="table-stack">
            {p.articles.map((a) => (
              <tr>
                <td>
                  {isReadable(a, p.now) ? (
                    <a href={articleHref(a.slug)} safe>
                      {a.title}
                    </a>
                  ) : (
                    <span safe>{a.title}</span>
                  )}
                </td>
                {a.published_at ? (
                  <td data-label={t('news.member.col.date')} safe>
                    {formatDateTime(a.published_at, ctx.locale)}
                  </td>
                ) : (
                  <td></td>
                )}
                <td>
                  <a href={`${MEMBER_NEWS}/${a.id}/modifier`} aria-label={t('news.member.editLabel', { title: a.title })} safe>
                    {t('news.member.edit')}
                  </a>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </Layout>
  );
}

export function ProposeNewsPage(p: Omit<NewsFormProps, 'ctx' | 'author' | 'publication'> & { ctx: ViewContext; action: string; title: string; submit: string; organisations: { id: string; name: string }[]; pendingSince: string | null }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={p.title} area="member">
      <link rel="stylesheet" href="/assets/news.css" />
      <Breadcrumb href={MEMBER_NEWS} label={t('news.member.title')} />
      <h1 safe>{p.title}</h1>
      <p class="lead" safe>
        {t('news.member.proposeIntro')}
      </p>
      {p.pendingSince ? (
        <p class="flash flash-info" safe>
          {t('news.member.pending', { date: formatDateTime(p.pendingSince, ctx.locale) })}
        </p>
      ) : (
        ''
      )}
      {p.organisations.length === 0 ? (
        <p class="flash flash-info" safe>
          {t('news.member.noOrganisation')}
        </p>
      ) : (
        <>
          <ErrorSummary ctx={ctx} errors={p.errors} />
          <Form ctx={ctx} action={p.action} class="stack-form mod-form" multipart>
            <NewsFormFields {...p} author={{ kind: 'member', organisations: p.organisations }} />
            <SubmitButton label={p.submit} />
          </Form>
        </>
      )}
    </Layout>
  );
}
