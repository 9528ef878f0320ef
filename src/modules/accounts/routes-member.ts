import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { findUserById } from '../../kernel/auth/repo.js';
import { AppError } from '../../kernel/errors.js';
import { sendJsonDownload } from '../../kernel/http/json-download.js';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { changeOwnPassword, pendingEmailChange, requestEmailChange } from './own-account.js';
import { canEraseOwnAccount, eraseOwnAccount, exportAccount } from './rgpd.js';
import { ChangeEmailForm, ChangePasswordForm, EraseOwnAccountForm } from './schemas.js';
import { lastSignIn } from './session.js';
import { AccountPage, EraseOwnAccountPage, MemberHomePage } from './views-member.js';

export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  app.get('/mon-espace', { config: { access: 'member' } }, async (request, reply) => {
    const user = await findUserById(k.db, actorOf(request).id);
    return sendPage(reply, MemberHomePage({ ctx: await viewContext(request, reply), lastSignIn: lastSignIn(request, user?.last_login_at ?? null) }));
  });

  const accountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { passwordErrors?: Record<string, string>; emailErrors?: Record<string, string>; emailValue?: string } = {},
    status = 200,
  ) => {
    const ctx = await viewContext(request, reply);
    const pending = await pendingEmailChange(k, actorOf(request).id);
    return sendPage(reply, AccountPage({ ctx, email: actorOf(request).email, pending, ...extra }), status);
  };

  app.get('/mon-espace/compte', { config: { access: 'member' } }, async (request, reply) => accountPage(request, reply));

  app.post('/mon-espace/compte/mot-de-passe', { config: { access: 'member' } }, async (request, reply) => {
    const form = parseForm(ChangePasswordForm, request.body);
    if (!form.ok) return accountPage(request, reply, { passwordErrors: translateErrors(form.errors, request.t) }, 400);
    const result = await changeOwnPassword(k, actorOf(request), {
      current: form.value.current_password,
      password: form.value.password,
      confirm: form.value.password_confirm,
    });
    if (!result.ok) return accountPage(request, reply, { passwordErrors: { [result.field]: request.t(result.error) } }, 400);
    flash(request, 'success', request.t('account.password.done'));
    return reply.redirect('/mon-espace/compte', 303);
  });

  app.post('/mon-espace/compte/email', { config: { access: 'member' } }, async (request, reply) => {
    const form = parseForm(ChangeEmailForm, request.body);
    if (!form.ok) {
      return accountPage(request, reply, { emailErrors: translateErrors(form.errors, request.t), emailValue: form.values['email'] }, 400);
    }
    const result = await requestEmailChange(k, actorOf(request), {
      current: form.value.current_password,
      email: form.value.email,
      locale: request.locale,
    });
    if (!result.ok) {
      return accountPage(request, reply, { emailErrors: { [result.field]: request.t(result.error) }, emailValue: form.value.email }, 400);
    }
    flash(request, 'info', request.t('account.email.sent', { email: form.value.email }));
    return reply.redirect('/mon-espace/compte', 303);
  });

  // RGPD: the person downloads what the network holds about their account, or erases it.
  app.post('/mon-espace/compte/donnees', { config: { access: 'member' } }, async (request, reply) => {
    const actor = actorOf(request);
    const document = await exportAccount(k, actor, actor.id);
    if (!document) throw new AppError('not_found');
    return sendJsonDownload(reply, `mon-compte-${actor.id}.json`, document);
  });

  const erasePage = async (request: FastifyRequest, reply: FastifyReply, extra: { errors?: Record<string, string>; lastAdmin?: boolean } = {}, status = 200) =>
    sendPage(reply, EraseOwnAccountPage({ ctx: await viewContext(request, reply), ...extra }), status);

  // The last active admin is told up front, without a form to fill in for nothing.
  app.get('/mon-espace/compte/supprimer', { config: { access: 'member' } }, async (request, reply) =>
    erasePage(request, reply, { lastAdmin: !(await canEraseOwnAccount(k, actorOf(request).id)) }),
  );

  app.post('/mon-espace/compte/supprimer', { config: { access: 'member' } }, async (request, reply) => {
    const form = parseForm(EraseOwnAccountForm, request.body);
    if (!form.ok) return erasePage(request, reply, { errors: translateErrors(form.errors, request.t) }, 400);
    const actor = actorOf(request);
    const result = await eraseOwnAccount(k, actor, form.value.current_password);
    if (!result.ok) {
      return result.field
        ? erasePage(request, reply, { errors: { [result.field]: request.t(result.error) } }, 400)
        : erasePage(request, reply, { lastAdmin: true }, 409);
    }
    // Signed out: the session is replaced by an empty one that only carries the message.
    await request.session.regenerate();
    flash(request, 'success', request.t('account.erase.done'));
    return reply.redirect('/', 303);
  });
};
