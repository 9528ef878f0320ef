import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { newsletterDeps } from './deps.js';
import { interestOptions, knownInterests } from './interests.js';
import { memberLetters, saveMemberLetters, unsubscribeMemberFromAll } from './member-letters.js';
import { type PreferenceValues, preferenceValues, PreferencesForm } from './schemas.js';
import { currentValues, MemberLettersPage } from './views-preferences.js';

const PAGE = '/mon-espace/lettres';

/** « Mon espace » › Mes lettres d'information: the signed-in person's own subscriptions, at their account's address. */
export const newsletterMemberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const member = { config: { access: 'member' as const } };

  async function page(request: FastifyRequest, reply: FastifyReply, values: PreferenceValues | null, errors: FieldErrors, status = 200) {
    const account = signedInUser(request);
    const ctx = await viewContext(request, reply);
    const { view, proven } = await memberLetters(deps, account);
    const interests = await interestOptions(deps, ctx.locale);
    reply.header('cache-control', 'private, no-store');
    return sendPage(reply, MemberLettersPage({ ctx, view, proven, values: values ?? currentValues(view, account.displayName), errors, interests }), status);
  }

  app.get(PAGE, member, (request, reply) => page(request, reply, null, {}));

  app.post(PAGE, member, async (request, reply) => {
    const account = signedInUser(request);
    const body = formBody(request);
    const form = parseForm(PreferencesForm, body);
    const raw = preferenceValues(body);
    if (!form.ok) return page(request, reply, raw, translateErrors(form.errors, request.t), 400);
    const interests = await knownInterests(deps, raw.themes, raw.countries);
    const input = { name: form.value.name?.trim() || null, organisation: form.value.organisation?.trim() || null, listIds: raw.lists, ...interests };
    const result = await saveMemberLetters(deps, account, input, request.ip, request.locale);
    flash(request, 'success', result.confirmationSent ? request.t('newsletter.member.savedConfirm', { email: account.email }) : request.t('newsletter.preferences.saved'));
    return reply.redirect(PAGE, 303);
  });

  app.post(`${PAGE}/tout`, member, async (request, reply) => {
    await unsubscribeMemberFromAll(deps, signedInUser(request), request.ip);
    flash(request, 'success', request.t('newsletter.member.allDone'));
    return reply.redirect(PAGE, 303);
  });
};
