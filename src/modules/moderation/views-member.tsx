import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { ProposalStatus } from '../../db/schema.js';
import { describePosition, PositionAssets, PositionFields, type PlaceOfOrganisation } from '../map/index.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

export interface MyOrganisation {
  id: string;
  name: string;
  publicHref: string | null;
  pendingSince: string | null;
  /** A move of the marker proposed by this account, waiting since then. */
  moveSince?: string | null;
}

export interface MyProposal {
  title: string;
  /** The kind of proposal ("Structure", "Position sur la carte"…). */
  kind?: string;
  status: ProposalStatus;
  createdAt: string;
  message: string | null;
}

/** A new organisation the account proposed, waiting for staff. */
export interface ProposedOrganisation {
  name: string;
  createdAt: string;
}

export function MyOrganisationsPage({ ctx, organisations, proposed = [], proposals }: { ctx: ViewContext; organisations: MyOrganisation[]; proposed?: ProposedOrganisation[]; proposals: MyProposal[] }) {
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
        // Linked once staff approve the organisation the account proposed: nobody needs to be written to.
        <p safe>{t(proposed.length ? 'moderation.mine.noneYet' : 'moderation.mine.none')}</p>
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
              {o.moveSince ? (
                <p>
                  <span class="badge mod-status-pending" safe>
                    {t('position.member.pendingBadge', { date: formatDateTime(o.moveSince, ctx.locale) })}
                  </span>
                </p>
              ) : (
                ''
              )}
              <p>
                <a href={`/mon-espace/structures/${o.id}/position`} safe>
                  {t('position.member.link', { name: o.name })}
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
      {proposed.length ? (
        <section aria-labelledby="my-proposed" class="section">
          <h2 id="my-proposed" safe>
            {t('moderation.mine.proposedTitle')}
          </h2>
          <ul class="card-grid">
            {proposed.map((p) => (
              <li class="card">
                <h3 safe>{p.name}</h3>
                <p>
                  <span class="badge mod-status-pending" safe>
                    {t('moderation.mine.proposedSince', { date: formatDateTime(p.createdAt, ctx.locale) })}
                  </span>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
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
                  <strong safe>{p.title}</strong>
                  {p.kind ? <span class="muted" safe>{` · ${p.kind}`}</span> : ''}{' '}
                  <span class={`badge mod-status-${p.status}`} safe>
                    {t(`moderation.proposalStatus.${p.status}`)}
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
      <Form ctx={ctx} action={`/mon-espace/structures/${props.id}/modifier`} class="stack-form mod-form" multipart>
        {fields}
        <SubmitButton label={t('moderation.memberEdit.submit')} />
      </Form>
    </Layout>
  );
}

export interface MemberPositionPageProps {
  ctx: ViewContext;
  id: string;
  name: string;
  place: PlaceOfOrganisation;
  values: { latitude: string; longitude: string };
  errors: FieldErrors;
  pendingSince: string | null;
  tileUrl: string;
  /** Where the map opens when no position is known. */
  start: { latitude: number; longitude: number } | null;
}

/** A member proposes where their organisation's marker goes (fields without JS; a draggable, keyboard-movable marker with it). */
export function MemberPositionPage(props: MemberPositionPageProps) {
  const { ctx } = props;
  const { t } = ctx;
  const title = t('position.member.title', { name: props.name });
  return (
    <Layout ctx={ctx} title={title} area="member">
      {CSS}
      <PositionAssets />
      <p class="breadcrumb">
        <a href="/mon-espace/structures" safe>
          {t('moderation.mine.title')}
        </a>
      </p>
      <h1 safe>{title}</h1>
      {props.pendingSince ? (
        <div class="flash flash-info" role="note">
          <p safe>{t('position.member.pending', { date: formatDateTime(props.pendingSince, ctx.locale) })}</p>
        </div>
      ) : (
        ''
      )}
      <p safe>{t('position.member.intro')}</p>
      <p>
        <strong safe>{t('map.position.current')}</strong>
        {' : '}
        <span safe>{describePosition(ctx, props.place)}</span>
      </p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`/mon-espace/structures/${props.id}/position`}>
        <PositionFields ctx={ctx} values={props.values} errors={props.errors} tileUrl={props.tileUrl} start={props.start} />
        <SubmitButton label={t('position.member.submit')} />
      </Form>
    </Layout>
  );
}
