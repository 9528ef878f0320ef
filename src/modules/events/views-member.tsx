import { formatDateTime } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { type MemberProposalItem, MemberProposalsTable } from '../moderation/index.js';
import { EventFormFields, type EventFormLabels } from './form.js';
import { type EventRow, PUBLIC_EVENT_STATUSES } from './types.js';
import { eventWhen } from './when.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export function MyEventsPage(p: { ctx: ViewContext; proposals: MemberProposalItem[]; events: EventRow[]; hasOrganisations: boolean }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('events.member.title')} area="member">
      <Breadcrumb href="/mon-espace" label={t('events.member.home')} />
      <h1 safe>{t('events.member.title')}</h1>
      <p class="lead" safe>
        {t('events.member.lead')}
      </p>
      <p>
        <a class="button button-primary" href="/mon-espace/evenements/nouveau" safe>
          {t('events.member.propose')}
        </a>
      </p>
      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title" safe>
          {t('events.member.proposals')}
        </h2>
        {p.proposals.length === 0 ? (
          <p safe>{t('events.member.noProposals')}</p>
        ) : (
          <MemberProposalsTable
            ctx={ctx}
            proposals={p.proposals}
            labels={{ caption: t('events.member.proposalsCaption'), title: t('events.member.col.title'), date: t('events.member.col.date'), status: t('events.member.col.status'), message: t('events.member.col.message') }}
          />
        )}
      </section>
      <section aria-labelledby="org-events-title">
        <h2 id="org-events-title" safe>
          {t('events.member.organisationEvents')}
        </h2>
        {!p.hasOrganisations ? (
          <p safe>{t('events.member.noOrganisation')}</p>
        ) : p.events.length === 0 ? (
          <p safe>{t('events.member.noEvents')}</p>
        ) : (
          <DataTable
            caption={t('events.member.organisationEventsCaption')}
            columns={[t('events.admin.col.event'), t('events.admin.col.when'), t('events.admin.col.status'), { label: t('events.member.edit'), hidden: true }]}
            class="table-stack"
          >
            {p.events.map((e) => (
              <tr>
                <td>
                  {PUBLIC_EVENT_STATUSES.includes(e.status) ? (
                    <a href={`/agenda/${e.slug}`} safe>
                      {e.title}
                    </a>
                  ) : (
                    <span safe>{e.title}</span>
                  )}
                </td>
                <td data-label={t('events.admin.col.when')} safe>
                  {eventWhen(e, ctx.locale)}
                </td>
                <td data-label={t('events.admin.col.status')} safe>
                  {t(`events.status.${e.status}`)}
                </td>
                <td>
                  <a href={`/mon-espace/evenements/${e.id}/modifier`} aria-label={t('label.value', { label: t('events.member.edit'), value: e.title })} safe>
                    {t('events.member.edit')}
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

export function ProposeEventPage(p: {
  ctx: ViewContext;
  action: string;
  title: string;
  intro: string;
  submit: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  labels: EventFormLabels;
  pendingSince?: string | null;
  /** Offer the repetition (a new event): the back office's fields and limits. */
  repetition?: boolean;
  /** The event edited is one date of a series. */
  inSeries?: boolean;
}) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={p.title} area="member">
      {CSS}
      <Breadcrumb href="/mon-espace/evenements" label={t('events.member.title')} />
      <h1 safe>{p.title}</h1>
      <p class="lead" safe>
        {p.intro}
      </p>
      {p.pendingSince ? (
        <p class="flash flash-info" safe>
          {t('events.member.pending', { date: formatDateTime(p.pendingSince, ctx.locale) })}
        </p>
      ) : (
        ''
      )}
      {p.inSeries ? (
        <p class="flash flash-info" safe>
          {t('events.member.seriesNote')}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action={p.action} class="stack-form mod-form" multipart>
        <EventFormFields ctx={ctx} values={p.values} errors={p.errors} labels={p.labels} repetition={p.repetition} />
        <SubmitButton label={p.submit} />
      </Form>
    </Layout>
  );
}
