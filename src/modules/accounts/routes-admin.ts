import type { FastifyPluginAsync } from 'fastify';
import { findUserById, listUsers } from '../../kernel/auth/repo.js';
import { AppError } from '../../kernel/errors.js';
import { sendJsonDownload } from '../../kernel/http/json-download.js';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { committed } from '../../kernel/http/write-refused.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { organisationsOfUser } from '../organisations/index.js';
import { isErasedAccount } from './erased.js';
import { invitationState, inviteUser, resendInvitation } from './invitations.js';
import { canErase, invitableRoles } from './policy.js';
import { eraseAccountAsAdmin, exportAccount } from './rgpd.js';
import { InviteForm, RoleForm, UserListQuery } from './schemas.js';
import { changeRole, setAccountActive } from './user-admin.js';
import { EraseAccountPage, InvitePage, UserDetailPage, UsersListPage } from './views-admin.js';

type IdParams = { Params: { id: string } };

export const adminAccountRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  app.get('/admin/comptes', staff, async (request, reply) => {
    const query = parseForm(UserListQuery, request.query);
    const filter = query.ok ? query.value : {};
    const page = pageNumber(filter.page);
    const { rows, total } = await listUsers(k.db, {
      q: filter.q,
      role: filter.role,
      status: filter.status,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const beyond = redirectPastLastPage(request, reply, page, total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, UsersListPage({ ctx, rows, total, page, filter: { q: filter.q, role: filter.role, status: filter.status } }));
  });

  app.get('/admin/comptes/inviter', staff, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, InvitePage({ ctx, roles: invitableRoles(actorOf(request)) }));
  });

  app.post('/admin/comptes/inviter', staff, async (request, reply) => {
    const actor = actorOf(request);
    const form = parseForm(InviteForm, request.body);
    const page = async (values: Record<string, string>, errors: Record<string, string>) =>
      sendPage(reply, InvitePage({ ctx: await viewContext(request, reply), roles: invitableRoles(actor), values, errors }), 400);
    if (!form.ok) return page(form.values, translateErrors(form.errors, request.t));
    // The account stands even when its email could not go: `committed` flashes the warning below.
    const result = await committed(
      request,
      inviteUser(k, actor, {
        email: form.value.email,
        displayName: form.value.display_name,
        role: form.value.role,
        locale: request.locale,
        byStaff: {},
      }),
    );
    if (!result.ok) return page(form.value, { [result.field]: request.t(result.error) });
    flash(request, 'success', request.t(result.mailed ? 'invite.sent' : 'accounts.invitation.accountCreated', { email: form.value.email }));
    return reply.redirect(`/admin/comptes/${result.userId}`, 303);
  });

  app.get<IdParams>('/admin/comptes/:id', staff, async (request, reply) => {
    const user = await findUserById(k.db, request.params.id);
    if (!user) throw new AppError('not_found');
    const organisations = (await organisationsOfUser(k.db, user.id)).map((o) => ({ id: o.id, name: o.name }));
    const invitation = user.status === 'invited' ? await invitationState(k, user.id) : null;
    return sendPage(reply, UserDetailPage({ ctx: await viewContext(request, reply), user, organisations, invitation }));
  });

  app.post<IdParams>('/admin/comptes/:id/desactiver', staff, async (request, reply) => {
    await setAccountActive(k, actorOf(request), request.params.id, false);
    flash(request, 'success', request.t('users.deactivated'));
    return reply.redirect(`/admin/comptes/${request.params.id}`, 303);
  });

  app.post<IdParams>('/admin/comptes/:id/reactiver', staff, async (request, reply) => {
    await setAccountActive(k, actorOf(request), request.params.id, true);
    flash(request, 'success', request.t('users.reactivated'));
    return reply.redirect(`/admin/comptes/${request.params.id}`, 303);
  });

  app.post<IdParams>('/admin/comptes/:id/renvoyer-invitation', staff, async (request, reply) => {
    await resendInvitation(k, actorOf(request), request.params.id, request.locale);
    flash(request, 'success', request.t('users.inviteResent'));
    return reply.redirect(`/admin/comptes/${request.params.id}`, 303);
  });

  app.post<IdParams>('/admin/comptes/:id/role', { config: { access: 'admin' } }, async (request, reply) => {
    const form = parseForm(RoleForm, request.body);
    if (!form.ok) throw new AppError('bad_request');
    await changeRole(k, actorOf(request), request.params.id, form.value.role);
    flash(request, 'success', request.t('users.roleChanged'));
    return reply.redirect(`/admin/comptes/${request.params.id}`, 303);
  });

  // RGPD access and erasure of an account: admins only, like the journal the document holds and
  // like every change to staff and admin accounts (DESIGN.md §6).
  const admin = { config: { access: 'admin' as const } };

  app.post<IdParams>('/admin/comptes/:id/donnees', admin, async (request, reply) => {
    const document = await exportAccount(k, actorOf(request), request.params.id);
    if (!document) throw new AppError('not_found');
    return sendJsonDownload(reply, `compte-${request.params.id}.json`, document);
  });

  // One's own account is erased from the member space, confirmed by one's password.
  const OWN_ERASURE = '/mon-espace/compte/supprimer';

  app.get<IdParams>('/admin/comptes/:id/effacer', admin, async (request, reply) => {
    if (request.params.id === actorOf(request).id) return reply.redirect(OWN_ERASURE, 303);
    const user = await findUserById(k.db, request.params.id);
    if (!user) throw new AppError('not_found');
    if (!canErase(actorOf(request), user)) throw new AppError('forbidden');
    if (isErasedAccount(user)) return reply.redirect(`/admin/comptes/${user.id}`, 303);
    return sendPage(reply, EraseAccountPage({ ctx: await viewContext(request, reply), user }));
  });

  app.post<IdParams>('/admin/comptes/:id/effacer', admin, async (request, reply) => {
    if (request.params.id === actorOf(request).id) return reply.redirect(OWN_ERASURE, 303);
    const result = await eraseAccountAsAdmin(k, actorOf(request), request.params.id);
    if (!result.ok) {
      const user = await findUserById(k.db, request.params.id);
      if (!user) throw new AppError('not_found');
      return sendPage(reply, EraseAccountPage({ ctx: await viewContext(request, reply), user, notice: request.t(result.error) }), 409);
    }
    flash(request, 'success', request.t('users.erased'));
    return reply.redirect('/admin/comptes', 303);
  });
};
