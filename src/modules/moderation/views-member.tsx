import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { ProposalStatus } from '../../db/schema.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export interface MyOrganisation {
  id: string;
  name: string;
  publicHref: string | null;
  pendingSince: string | null;
}

export interface MyProposal {
  title: string;
  status: ProposalStatus;
  createdAt: string;
  message: string | null;
}

export function MyOrganisationsPage({ ctx, organisations, proposals }: { ctx: ViewContext; organisations: MyOrganisation[]; proposals: MyProposal[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.mine.title')} area="member">
      {CSS}
      <p class="breadcrumb">
        <a href="/mon-espace" safe>
          {t('member.title')}
        </a>
      </p>
      <h1 safe>{t('moderation.mine.title')}</h1>
      {organisations.length === 0 ? (
        <p safe>{t('moderation.mine.none')}</p>
      ) : (
        <ul class="card-grid">
          {organisations.map((o) => (
            <li class="card">
              <h2 safe>{o.name}</h2>
              {o.pendingSince ? (
                <p>
                  <span class="badge mod-status-pending" safe>
                    {t('moderation.mine.pending', { date: formatDateTime(o.pendingSince, ctx.locale) })}
                  </span>
                </p>
              ) : (
                ''
              )}
              <p>
                <a href={`/mon-espace/structures/${o.id}/modifier`} safe>
                  {o.pendingSince ? t('moderation.mine.editPending', { name: o.name }) : t('moderation.mine.edit', { name: o.name })}
                </a>
              </p>
              {o.publicHref ? (
                <p>
                  <a href={o.publicHref} safe>
                    {t('moderation.mine.view')}
                  </a>
                </p>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/proposer-une-structure" safe>
          {t('moderation.mine.proposeNew')}
        </a>
      </p>
      {proposals.length ? (
        <section aria-labelledby="my-proposals" class="section">
          <h2 id="my-proposals" safe>
            {t('moderation.mine.proposals')}
          </h2>
          <ul class="timeline">
            {proposals.map((p) => (
              <li>
                <time datetime={p.createdAt} safe>
                  {formatDateTime(p.createdAt, ctx.locale)}
                </time>
                <span>
                  <strong safe>{p.title}</strong>{' '}
                  <span class={`badge mod-status-${p.status}`} safe>
                    {t(`moderation.status.${p.status}`)}
                  </span>
                </span>
                {p.message ? (
                  <span class="mod-message" safe>
                    {p.message}
                  </span>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function MemberEditPage(props: { ctx: ViewContext; id: string; name: string; fields: JSX.Element; errors: FieldErrors; pendingSince: string | null }) {
  const { ctx, fields } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.memberEdit.title', { name: props.name })} area="member">
      {CSS}
      <p class="breadcrumb">
        <a href="/mon-espace/structures" safe>
          {t('moderation.mine.title')}
        </a>
      </p>
      <h1 safe>{t('moderation.memberEdit.title', { name: props.name })}</h1>
      {props.pendingSince ? (
        <div class="flash flash-info" role="note">
          <p safe>{t('moderation.memberEdit.pending', { date: formatDateTime(props.pendingSince, ctx.locale) })}</p>
        </div>
      ) : (
        ''
      )}
      <p safe>{t('moderation.memberEdit.intro')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`/mon-espace/structures/${props.id}/modifier`} class="stack-form mod-form">
        {fields}
        <SubmitButton label={t('moderation.memberEdit.submit')} />
      </Form>
    </Layout>
  );
}
