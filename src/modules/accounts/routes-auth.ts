import type { FastifyPluginAsync } from 'fastify';
import type { Role } from '../../db/schema.js';
import { flash, safeNextPath, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { confirmEmailChange } from './own-account.js';
import { requestPasswordReset, setPasswordWithToken } from './password-reset.js';
import { ForgotForm, NewPasswordForm, SignInForm } from './schemas.js';
import { signIn, signInActivated } from './sign-in.js';
import { openSession, rememberSignInEmail, takeSignInEmail } from './session.js';
import { findToken } from './tokens.js';
import { ConfirmPage, ForgotPage, MessagePage, SetPasswordPage, SignInPage } from './views-auth.js';

type TokenParams = { Params: { token: string } };

/** Where an account lands once signed in: members in their space, staff and admins in the back office. */
function homeOf(role: Role): string {
  return role === 'member' ? '/mon-espace' : '/admin';
}

export const authRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  app.get<{ Querystring: { suite?: string } }>('/connexion', { config: { access: 'public' } }, async (request, reply) => {
    if (request.user) return reply.redirect(safeNextPath(request.query.suite, '/mon-espace'), 303);
    const ctx = await viewContext(request, reply);
    // The address of the account this browser just activated: for this visitor's eyes only.
    const email = takeSignInEmail(request);
    if (email !== undefined) reply.header('cache-control', 'no-store');
    return sendPage(reply, SignInPage({ ctx, values: { ...(email === undefined ? {} : { email }), suite: safeNextPath(request.query.suite, '') } }));
  });

  app.post('/connexion', { config: { access: 'public' } }, async (request, reply) => {
    const form = parseForm(SignInForm, request.body);
    if (!form.ok) {
      const ctx = await viewContext(request, reply);
      return sendPage(reply, SignInPage({ ctx, values: form.values, errors: translateErrors(form.errors, request.t) }), 400);
    }
    const result = await signIn(k, { email: form.value.email, password: form.value.password, ip: request.ip });
    if (result.kind !== 'ok') {
      const ctx = await viewContext(request, reply);
      const notice =
        result.kind === 'locked'
          ? request.t('signIn.locked', { minutes: Math.ceil(result.seconds / 60) })
          : request.t('signIn.invalid');
      const status = result.kind === 'locked' ? 429 : 401;
      return sendPage(reply, SignInPage({ ctx, values: { email: form.value.email, suite: form.value.suite ?? '' }, notice }), status);
    }
    // A new session id at sign-in defeats session fixation.
    await openSession(request, result.user.id, result.at, result.user.last_login_at);
    return reply.redirect(safeNextPath(form.value.suite, homeOf(result.user.role)), 303);
  });

  // Signed out: the session is replaced by an empty one (the old one is deleted from the store) that
  // only carries the message shown on the page landed on.
  app.post('/deconnexion', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.session.userId) {
      await request.session.destroy();
      return reply.redirect('/', 303);
    }
    await request.session.regenerate();
    flash(request, 'success', request.t('accounts.signedOut'));
    return reply.redirect('/', 303);
  });

  app.get('/mot-de-passe-oublie', { config: { access: 'public' } }, async (request, reply) =>
    sendPage(reply, ForgotPage({ ctx: await viewContext(request, reply) })),
  );

  app.post('/mot-de-passe-oublie', { config: { access: 'public' } }, async (request, reply) => {
    const form = parseForm(ForgotForm, request.body);
    const ctx = await viewContext(request, reply);
    if (!form.ok) {
      return sendPage(reply, ForgotPage({ ctx, values: form.values, errors: translateErrors(form.errors, request.t) }), 400);
    }
    await requestPasswordReset(k, form.value.email, request.locale);
    return sendPage(reply, MessagePage({ ctx, title: request.t('forgot.sentTitle'), text: request.t('forgot.sentText') }));
  });

  for (const [prefix, purpose] of [
    ['/reinitialiser', 'reset'],
    ['/invitation', 'invite'],
  ] as const) {
    const titleKey = purpose === 'reset' ? 'reset.title' : 'acceptInvite.title';
    const introKey = purpose === 'reset' ? 'reset.intro' : 'acceptInvite.intro';

    app.get<TokenParams>(`${prefix}/:token`, { config: { access: 'token' } }, async (request, reply) => {
      const ctx = await viewContext(request, reply);
      reply.header('referrer-policy', 'no-referrer');
      if (!(await findToken(k, request.params.token, purpose))) {
        return sendPage(reply, MessagePage({ ctx, title: request.t('token.invalidTitle'), text: request.t('accounts.tokenInvalid'), link: { href: '/mot-de-passe-oublie', label: request.t('token.newLink') } }), 410);
      }
      return sendPage(reply, SetPasswordPage({ ctx, action: `${prefix}/${request.params.token}`, title: request.t(titleKey), intro: request.t(introKey) }));
    });

    app.post<TokenParams>(`${prefix}/:token`, { config: { access: 'token' } }, async (request, reply) => {
      const form = parseForm(NewPasswordForm, request.body);
      const ctx = await viewContext(request, reply);
      const page = (errors: Record<string, string>, status: number) =>
        sendPage(reply, SetPasswordPage({ ctx, action: `${prefix}/${request.params.token}`, title: request.t(titleKey), intro: request.t(introKey), errors }), status);
      if (!form.ok) return page(translateErrors(form.errors, request.t), 400);
      const result = await setPasswordWithToken(k, {
        token: request.params.token,
        purpose,
        password: form.value.password,
        confirm: form.value.password_confirm,
        ip: request.ip,
      });
      if (!result.ok && result.field === 'token') {
        return sendPage(reply, MessagePage({ ctx, title: request.t('token.invalidTitle'), text: request.t(result.error), link: { href: '/mot-de-passe-oublie', label: request.t('token.newLink') } }), 410);
      }
      if (!result.ok) return page({ [result.field]: request.t(result.error) }, 400);
      if (purpose === 'invite') {
        // The password was just chosen through the link: the person is signed in at once, as the
        // sign-in form would (a new session), and lands in their space.
        const activated = await signInActivated(k, result.userId);
        if (activated) {
          await openSession(request, activated.user.id, activated.at, activated.user.last_login_at);
          flash(request, 'success', request.t('accounts.invitation.welcome', { name: activated.user.display_name }));
          return reply.redirect(homeOf(activated.user.role), 303);
        }
      }
      // A reset (or an account no longer active) signs in through the form, the address typed in.
      flash(request, 'success', request.t(purpose === 'reset' ? 'reset.done' : 'acceptInvite.done'));
      rememberSignInEmail(request, result.email);
      return reply.redirect('/connexion', 303);
    });
  }

  // Mail scanners open links: the GET only shows a button, the POST makes the change.
  app.get<TokenParams>('/confirmer-email/:token', { config: { access: 'token' } }, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    reply.header('referrer-policy', 'no-referrer');
    if (!(await findToken(k, request.params.token, 'email_change'))) {
      return sendPage(reply, MessagePage({ ctx, title: request.t('token.invalidTitle'), text: request.t('accounts.tokenInvalid') }), 410);
    }
    return sendPage(reply, ConfirmPage({ ctx, action: `/confirmer-email/${request.params.token}`, title: request.t('emailChange.confirmTitle'), text: request.t('emailChange.confirmText'), submit: request.t('emailChange.confirmSubmit') }));
  });

  app.post<TokenParams>('/confirmer-email/:token', { config: { access: 'token' } }, async (request, reply) => {
    const result = await confirmEmailChange(k, request.params.token, request.ip);
    const ctx = await viewContext(request, reply);
    if (!result.ok) {
      return sendPage(reply, MessagePage({ ctx, title: request.t('token.invalidTitle'), text: request.t(result.error) }), 410);
    }
    return sendPage(reply, MessagePage({ ctx, title: request.t('emailChange.doneTitle'), text: request.t('emailChange.doneText', { email: result.email }), link: { href: '/mon-espace', label: request.t('nav.memberSpace') } }));
  });
};
