import type { Role, UserStatus } from '../../db/schema.js';
import type { UserRow } from '../../kernel/auth/repo.js';
import { formatDateTime, type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Field, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { isErasedAccount } from './erased.js';
import type { InvitationState } from './invitations.js';
import { canChangeRole, canErase, canManage } from './policy.js';
import { SentenceWithLink } from '../../kernel/ui/sentence.js';

const ROLE_LABEL: Record<Role, MessageKey> = { member: 'role.member', staff: 'role.staff', admin: 'role.admin' };
const STATUS_LABEL: Record<UserStatus, MessageKey> = {
  invited: 'status.invited',
  active: 'status.active',
  deactivated: 'status.deactivated',
};

/** An erased account is named and labelled through the catalogue, in the reader's language; its placeholder address is not shown. */
function shown(t: ViewContext['t'], user: UserRow) {
  const erased = isErasedAccount(user);
  return {
    name: erased ? t('users.erasedName') : user.display_name,
    email: erased ? '—' : user.email,
    status: erased ? t('users.status.erased') : t(STATUS_LABEL[user.status]),
  };
}

interface UsersListProps {
  ctx: ViewContext;
  rows: UserRow[];
  total: number;
  page: number;
  filter: { q?: string; role?: string; status?: string };
}

export function UsersListPage({ ctx, rows, total, page, filter }: UsersListProps) {
  const { t } = ctx;
  const roleOptions = [{ value: '', label: t('filter.all') }, ...(['member', 'staff', 'admin'] as const).map((r) => ({ value: r, label: t(ROLE_LABEL[r]) }))];
  const statusOptions = [{ value: '', label: t('filter.all') }, ...(['invited', 'active', 'deactivated'] as const).map((s) => ({ value: s, label: t(STATUS_LABEL[s]) }))];
  return (
    <Layout ctx={ctx} title={t('users.title')} area="admin">
      <div class="page-head">
        <h1 safe>{t('users.title')}</h1>
        <a class="button button-primary" href="/admin/comptes/inviter" safe>
          {t('users.invite')}
        </a>
      </div>
      <form method="get" action="/admin/comptes" class="filter-bar" role="search">
        <Field name="q" type="text" label={t('filter.search')} value={filter.q} />
        <Select name="role" label={t('field.role')} options={roleOptions} value={filter.role ?? ''} />
        <Select name="status" label={t('field.status')} options={statusOptions} value={filter.status ?? ''} />
        <SubmitButton label={t('filter.apply')} variant="secondary" />
      </form>
      <p class="result-count" role="status" safe>
        {t('users.count', { count: numberFormat(ctx.locale).format(total) })}
      </p>
      <div class="table-wrap">
        <table class="table-stack">
          <caption class="visually-hidden" safe>
            {t('users.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('field.displayName')}</th>
              <th scope="col" safe>{t('field.email')}</th>
              <th scope="col" safe>{t('field.role')}</th>
              <th scope="col" safe>{t('field.status')}</th>
              <th scope="col" safe>{t('users.lastLogin')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr>
                <td>
                  <a href={`/admin/comptes/${u.id}`} safe>
                    {shown(t, u).name}
                  </a>
                </td>
                <td data-label={t('field.email')} safe>
                  {shown(t, u).email}
                </td>
                <td data-label={t('field.role')} safe>
                  {t(ROLE_LABEL[u.role])}
                </td>
                <td data-label={t('field.status')}>
                  <span>
                    <span class={`badge badge-${u.status}`} safe>
                      {shown(t, u).status}
                    </span>
                  </span>
                </td>
                <td data-label={t('users.lastLogin')} class="nowrap">
                  {u.last_login_at ? formatDateTime(u.last_login_at, ctx.locale) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager ctx={ctx} page={page} total={total} query={filter} />
    </Layout>
  );
}

export function InvitePage({ ctx, roles, values = {}, errors = {} }: { ctx: ViewContext; roles: Role[]; values?: Record<string, string>; errors?: FieldErrors }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('invite.title')} area="admin">
      <p class="breadcrumb">
        <a href="/admin/comptes" safe>
          {t('users.title')}
        </a>
      </p>
      <h1 safe>{t('invite.title')}</h1>
      <p safe>{t('invite.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action="/admin/comptes/inviter">
        <Field name="display_name" label={t('field.displayName')} value={values['display_name']} error={errors['display_name']} required autocomplete="off" />
        <Field name="email" type="email" label={t('field.email')} value={values['email']} error={errors['email']} required autocomplete="off" />
        <Select name="role" label={t('field.role')} options={roles.map((r) => ({ value: r, label: t(ROLE_LABEL[r]) }))} value={values['role'] ?? 'member'} error={errors['role']} required />
        <SubmitButton label={t('invite.submit')} />
      </Form>
    </Layout>
  );
}

/** An organisation the account speaks for, as its page lists it. */
export interface AccountOrganisation {
  id: string;
  name: string;
}

/** Where the invitation email queued for the account stands, in a sentence. */
function invitationText(t: ViewContext['t'], locale: ViewContext['locale'], state: InvitationState): string {
  if (state.kind === 'queued') return t('accounts.invitation.queued');
  const date = formatDateTime(state.at, locale);
  return t(state.kind === 'retrying' ? 'accounts.invitation.retrying' : state.kind === 'sent' ? 'accounts.invitation.sent' : 'accounts.invitation.failed', { date });
}

export function UserDetailPage({
  ctx,
  user,
  organisations,
  invitation = null,
}: {
  ctx: ViewContext;
  user: UserRow;
  organisations: readonly AccountOrganisation[];
  /** The invitation email queued for an account still invited, when one is known. */
  invitation?: InvitationState | null;
}) {
  const { t } = ctx;
  const actor = ctx.user;
  const erased = isErasedAccount(user);
  const manageable = actor ? canManage(actor, user) : false;
  const roleEditable = actor && !erased ? canChangeRole(actor, user) : false;
  const erasable = actor && !erased ? canErase(actor, user) : false;
  const own = actor?.id === user.id;
  const { name, email, status } = shown(t, user);
  return (
    <Layout ctx={ctx} title={name} area="admin">
      <p class="breadcrumb">
        <a href="/admin/comptes" safe>
          {t('users.title')}
        </a>
      </p>
      <h1 safe>{name}</h1>
      {erased ? <p safe>{t('users.erasedNote')}</p> : ''}
      <dl class="facts">
        <dt safe>{t('field.email')}</dt>
        <dd safe>{email}</dd>
        <dt safe>{t('field.role')}</dt>
        <dd safe>{t(ROLE_LABEL[user.role])}</dd>
        <dt safe>{t('field.status')}</dt>
        <dd>
          <span class={`badge badge-${user.status}`} safe>
            {status}
          </span>
        </dd>
        {invitation ? (
          <>
            <dt safe>{t('accounts.invitation.label')}</dt>
            <dd safe>{invitationText(t, ctx.locale, invitation)}</dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{t('users.createdAt')}</dt>
        <dd safe>{formatDateTime(user.created_at, ctx.locale)}</dd>
        <dt safe>{t('users.lastLogin')}</dt>
        <dd>{user.last_login_at ? formatDateTime(user.last_login_at, ctx.locale) : '—'}</dd>
        <dt safe>{t('users.organisations')}</dt>
        <dd>
          {organisations.length ? (
            <ul>
              {organisations.map((o) => (
                <li>
                  <a href={`/admin/organisations/${o.id}`} safe>
                    {o.name}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <div class="actions">
        {roleEditable ? (
          <Form ctx={ctx} action={`/admin/comptes/${user.id}/role`} class="inline-actions">
            <Select name="role" label={t('field.role')} options={(['member', 'staff', 'admin'] as const).map((r) => ({ value: r, label: t(ROLE_LABEL[r]) }))} value={user.role} />
            <SubmitButton label={t('users.changeRole')} variant="secondary" />
          </Form>
        ) : (
          ''
        )}
        {manageable && user.status === 'invited' ? (
          <Form ctx={ctx} action={`/admin/comptes/${user.id}/renvoyer-invitation`} class="inline-actions">
            <SubmitButton label={t('users.resendInvite')} variant="secondary" />
          </Form>
        ) : (
          ''
        )}
        {manageable && user.status !== 'deactivated' ? (
          <Form ctx={ctx} action={`/admin/comptes/${user.id}/desactiver`} class="inline-actions">
            <SubmitButton label={t('users.deactivate')} variant="danger" />
          </Form>
        ) : (
          ''
        )}
        {manageable && user.status === 'deactivated' && !erased ? (
          <Form ctx={ctx} action={`/admin/comptes/${user.id}/reactiver`} class="inline-actions">
            <SubmitButton label={t('users.reactivate')} variant="secondary" />
          </Form>
        ) : (
          ''
        )}
      </div>
      {actor?.role === 'admin' ? (
        <section aria-labelledby="rgpd-title" class="panel">
          <h2 id="rgpd-title" safe>
            {t('users.rgpd.title')}
          </h2>
          {own ? (
            <p>
              <SentenceWithLink text={(link) => t('users.rgpd.textOwn', { link })} href="/mon-espace/compte/supprimer" label={t('users.rgpd.ownLink')} />
            </p>
          ) : (
            <p safe>{erased ? t('users.rgpd.textErased') : t('users.rgpd.text')}</p>
          )}
          <div class="actions">
            <Form ctx={ctx} action={`/admin/comptes/${user.id}/donnees`} class="inline-actions">
              <SubmitButton label={t('users.exportData')} variant="secondary" />
            </Form>
            {erasable ? (
              <a href={`/admin/comptes/${user.id}/effacer`} safe>
                {t('users.erase')}
              </a>
            ) : (
              ''
            )}
          </div>
        </section>
      ) : (
        ''
      )}
      {actor?.role === 'admin' ? (
        <p>
          <a href={`/admin/journal?entite=user&id=${user.id}`} safe>
            {t('users.history')}
          </a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** What erasing an account does, before an admin confirms it. */
export function EraseAccountPage({ ctx, user, notice }: { ctx: ViewContext; user: UserRow; notice?: string }) {
  const { t } = ctx;
  const title = t('users.eraseTitle', { name: user.display_name });
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <p class="breadcrumb">
        <a href={`/admin/comptes/${user.id}`} safe>
          {user.display_name}
        </a>
      </p>
      <h1 safe>{title}</h1>
      {notice ? (
        <div class="flash flash-error" role="alert" tabindex="-1" safe>
          {notice}
        </div>
      ) : (
        ''
      )}
      <p class="lead" safe>
        {t('users.eraseIntro', { email: user.email })}
      </p>
      <h2 safe>{t('account.erase.erasedTitle')}</h2>
      <ul>
        <li safe>{t('users.eraseWhat.identity')}</li>
        <li safe>{t('users.eraseWhat.access')}</li>
        <li safe>{t('users.eraseWhat.journal')}</li>
        <li safe>{t('users.eraseWhat.elsewhere')}</li>
      </ul>
      <h2 safe>{t('account.erase.keptTitle')}</h2>
      <ul>
        <li safe>{t('users.eraseKept.organisation')}</li>
        <li safe>{t('users.eraseKept.contacts')}</li>
        <li safe>{t('users.eraseKept.journal')}</li>
      </ul>
      <Form ctx={ctx} action={`/admin/comptes/${user.id}/effacer`} class="inline-actions">
        <SubmitButton label={t('users.eraseSubmit')} variant="danger" />
        <a href={`/admin/comptes/${user.id}`} safe>
          {t('account.erase.cancel')}
        </a>
      </Form>
    </Layout>
  );
}
