import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { type MemberProposalItem, MemberProposalsTable } from '../moderation/index.js';
import { ResourceFormFields, type ResourceFormLabels } from './form.js';
import { kindLabelKey } from './kinds.js';
import type { ResourceRow } from './types.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export function MyResourcesPage(p: { ctx: ViewContext; proposals: MemberProposalItem[]; resources: ResourceRow[]; hasOrganisations: boolean }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.member.title')} area="member">
      <Breadcrumb href="/mon-espace" label={t('resources.member.home')} />
      <h1 safe>{t('resources.member.title')}</h1>
      <p class="lead" safe>
        {t('resources.member.lead')}
      </p>
      {p.hasOrganisations ? (
        <p>
          <a class="button button-primary" href="/mon-espace/ressources/nouvelle" safe>
            {t('resources.member.propose')}
          </a>
        </p>
      ) : (
        <p safe>{t('resources.member.noOrganisation')}</p>
      )}
      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title" safe>
          {t('resources.member.proposals')}
        </h2>
        {p.proposals.length === 0 ? (
          <p safe>{t('resources.member.noProposals')}</p>
        ) : (
          <MemberProposalsTable
            ctx={ctx}
            proposals={p.proposals}
            labels={{ caption: t('resources.member.proposalsCaption'), title: t('resources.admin.col.title'), date: t('resources.member.col.date'), status: t('resources.admin.col.status'), message: t('resources.member.col.message') }}
          />
        )}
      </section>
      {p.hasOrganisations ? (
        <section aria-labelledby="published-title">
          <h2 id="published-title" safe>
            {t('resources.member.published')}
          </h2>
          {p.resources.length === 0 ? (
            <p safe>{t('resources.member.noResources')}</p>
          ) : (
            // On a phone each resource is a card: its title, then its kind and downloads under their labels.
            <DataTable
              caption={t('resources.member.publishedCaption')}
              columns={[t('resources.admin.col.title'), t('resources.field.kind'), t('resources.admin.col.downloads')]}
              class="table-stack"
            >
              {p.resources.map((r) => (
                <tr>
                  <td>
                    <a href={`/ressources/${encodeURIComponent(r.slug)}`} safe>
                      {r.title}
                    </a>
                  </td>
                  <td data-label={t('resources.field.kind')} safe>
                    {t(kindLabelKey(r.kind))}
                  </td>
                  <td data-label={t('resources.admin.col.downloads')} safe>
                    {String(r.download_count)}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function ProposeResourcePage(p: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: ResourceFormLabels }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.member.proposeTitle')} area="member">
      {CSS}
      <Breadcrumb href="/mon-espace/ressources" label={t('resources.member.title')} />
      <h1 safe>{t('resources.member.proposeTitle')}</h1>
      <p class="lead" safe>
        {t('resources.member.proposeIntro')}
      </p>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action="/mon-espace/ressources/nouvelle" class="stack-form mod-form" multipart>
        <ResourceFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} mode="member" />
        <SubmitButton label={t('resources.member.submit')} />
      </Form>
    </Layout>
  );
}
