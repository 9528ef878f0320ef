import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { type Locale, translator } from '../../kernel/i18n/index.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { parseBlocks, renderBlocks } from './blocks.js';
import { confirmationState, confirmSubscription } from './confirm.js';
import { newsletterDeps } from './deps.js';
import { subscribeAllowed } from './form-limit.js';
import { interestOptions, knownInterests } from './interests.js';
import { listText } from './lists.js';
import * as mailingRepo from './mailing-repo.js';
import { mailingLocale } from './render-mailing.js';
import { preferencesOf, savePreferences, subscriberLocale, subscriberOfToken, unsubscribeAll, unsubscribeFromLists } from './preferences.js';
import * as repo from './repo.js';
import { asList, type PreferenceValues, preferenceValues, PreferencesForm, SubscribeForm } from './schemas.js';
import { subscribe } from './subscribe.js';
import { SAMPLE_TOKEN, TOKEN_PATTERN } from './tokens.js';
import { currentValues } from './views-preferences.js';
import { ConfirmPage, PreferencesPage, SampleLinkPage, SubscribePage, type SubscribeValues, ThanksPage, UnsubscribePage, WebVersionPage } from './views-public.js';

const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;

export const newsletterPublicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const open = { config: { access: 'public' as const } };
  const byToken = { config: { access: 'token' as const } };

  /**
   * Pages reached from an email are often opened elsewhere than where the person subscribed (another
   * browser, a phone): they speak the person's language (`own`), unless the visitor chose one with
   * the language switcher, which keeps the switcher working there. Without `own`, the browser's.
   */
  const localeFor = (request: FastifyRequest, own: Locale | null): Locale => (request.localeChosen || !own ? request.locale : own);

  async function contextIn(request: FastifyRequest, reply: FastifyReply, locale: Locale) {
    const ctx = await viewContext(request, reply);
    return locale === ctx.locale ? ctx : { ...ctx, locale, t: translator(locale) };
  }

  async function subscribePage(request: FastifyRequest, reply: FastifyReply, values: SubscribeValues, errors: FieldErrors, status = 200, limited = false, notice?: string) {
    const ctx = await viewContext(request, reply);
    const [lists, archive] = await Promise.all([repo.publicLists(k.db), mailingRepo.archive(k.db)]);
    return sendPage(reply, SubscribePage({ ctx, lists, interests: await interestOptions(k, ctx.locale), values, errors, archive, limited, notice }), status);
  }

  /**
   * `/lettre?liste=<id>` (the calls' « Recevoir les nouveaux appels par email », for one): that public
   * list is the one ticked, instead of the default ones. An unknown or private id changes nothing.
   */
  app.get('/lettre', open, async (request, reply) => {
    const asked = asList((request.query as Record<string, unknown> | undefined)?.['liste']);
    if (asked.length === 0) return subscribePage(request, reply, {}, {});
    const publicIds = new Set((await repo.publicLists(k.db)).map((l) => l.id));
    const lists = asked.filter((id) => publicIds.has(id));
    return subscribePage(request, reply, lists.length ? { lists } : {}, {});
  });

  app.post('/lettre', open, async (request, reply) => {
    const body = formBody(request);
    const raw: SubscribeValues = {
      email: String(body['email'] ?? '').slice(0, 254),
      name: String(body['name'] ?? '').slice(0, 120),
      organisation: String(body['organisation'] ?? '').slice(0, 200),
      lists: asList(body['lists']),
      themes: asList(body['themes']),
      countries: asList(body['countries']),
    };
    if (!(await subscribeAllowed(k.db, k.clock, request.ip))) return subscribePage(request, reply, raw, {}, 429, true);
    const form = parseForm(SubscribeForm, body);
    if (!form.ok) return subscribePage(request, reply, raw, translateErrors(form.errors, request.t), 400);
    // Robots fill the field people never see: they get the same answer, and nothing happens.
    if (form.value.site_web) return sendPage(reply, ThanksPage({ ctx: await viewContext(request, reply) }));
    const publicLists = await repo.publicLists(k.db);
    let listIds = asList(form.value.lists).filter((id) => publicLists.some((l) => l.id === id));
    if (listIds.length === 0 && form.value.from === 'footer') listIds = publicLists.filter((l) => l.is_default === 1).map((l) => l.id);
    // The footer's address, when no letter is ticked by default: the full form, address kept, to choose.
    if (listIds.length === 0 && form.value.from === 'footer' && publicLists.length) return subscribePage(request, reply, raw, {}, 200, false, request.t('newsletter.footer.chooseList'));
    if (listIds.length === 0) {
      const key = publicLists.length ? 'newsletter.error.chooseList' : 'newsletter.public.noList';
      return subscribePage(request, reply, raw, { lists: request.t(key) }, 400);
    }
    const interests = await knownInterests(k, asList(form.value.themes), asList(form.value.countries));
    await subscribe(deps, {
      email: form.value.email,
      name: form.value.name?.trim() || null,
      organisation: form.value.organisation?.trim() || null,
      listIds,
      ...interests,
      ip: request.ip,
      locale: request.locale,
    });
    return sendPage(reply, ThanksPage({ ctx: await viewContext(request, reply) }));
  });

  // ---------- Double opt-in ----------

  /** The page speaks the language the subscription was asked in (see `localeFor`). */
  async function confirmPage(request: FastifyRequest, reply: FastifyReply, confirm: boolean) {
    const token = tokenOf(request);
    if (!TOKEN_PATTERN.test(token)) return sendPage(reply, ConfirmPage({ ctx: await viewContext(request, reply), token, state: 'invalid', lists: [] }), 404);
    const state = confirm ? await confirmSubscription(deps, token, request.ip) : await confirmationState(deps, token);
    if (state.status === 'invalid') return sendPage(reply, ConfirmPage({ ctx: await viewContext(request, reply), token, state: state.status, lists: [] }), 404);
    const locale = localeFor(request, state.locale);
    const ctx = await contextIn(request, reply, locale);
    if (state.status === 'expired') return sendPage(reply, ConfirmPage({ ctx, token, state: state.status, lists: [] }), 410);
    return sendPage(
      reply,
      ConfirmPage({ ctx, token, state: state.status, lists: state.lists.map((l) => listText(l, locale).name), preferencesUrl: `/preferences/${state.subscriber.token}` }),
    );
  }

  app.get('/lettre/confirmer/:token', byToken, (request, reply) => confirmPage(request, reply, false));
  app.post('/lettre/confirmer/:token', byToken, (request, reply) => confirmPage(request, reply, true));

  // ---------- Web version ----------

  app.get('/lettre/:slug', open, async (request, reply) => {
    const mailing = await mailingRepo.findMailingBySlug(k.db, (request.params as { slug: string }).slug);
    if (!mailing) throw new AppError('not_found');
    // Drafts and scheduled mailings have no public web version yet: only staff see it (the preview's
    // and the test email's link lead there), marked as such, never indexed nor cached.
    const published = ['sending', 'paused', 'sent'].includes(mailing.status);
    const staff = request.user?.role === 'staff' || request.user?.role === 'admin';
    if (!published && !staff) throw new AppError('not_found');
    const ctx = await viewContext(request, reply);
    // The mailing's own words (« Lire la suite »…) in the language it is written in, whatever the page's.
    const { rendered } = await renderBlocks(parseBlocks(mailing.blocks), { baseUrl: k.config.baseUrl.replace(/\/+$/, ''), t: translator(mailingLocale(mailing)) });
    const archived = published && (await mailingRepo.isArchived(k.db, mailing.id));
    // A private mailing's page is reachable from its email only (random address), never indexed.
    if (!archived) reply.header('x-robots-tag', 'noindex');
    if (!published) reply.header('cache-control', 'private, no-store');
    const notSent = published ? undefined : ctx.t('newsletter.web.notSent', { status: ctx.t(`newsletter.status.${mailing.status as 'draft'}`) });
    return sendPage(reply, WebVersionPage({ ctx, mailing, safeBody: rendered.map((b) => b.web).join('\n'), archived, notSent }));
  });

  // ---------- Preference centre ----------
  // Its pages and the unsubscribe ones speak the language the person confirmed in (see `localeFor`).

  /**
   * The links of a test email sent to someone who is not a subscriber (and of the preview) carry the
   * sample token: opened, or posted to by a mail provider's one-click unsubscribe, they change nothing
   * and say they came from a test. Returns whether the request was answered so.
   */
  async function sampleLink(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (tokenOf(request) !== SAMPLE_TOKEN) return false;
    reply.header('x-robots-tag', 'noindex');
    reply.header('cache-control', 'no-store');
    await sendPage(reply, SampleLinkPage({ ctx: await viewContext(request, reply) }));
    return true;
  }

  const subscriberOr404 = async (request: FastifyRequest) => {
    const subscriber = await subscriberOfToken(deps, tokenOf(request));
    if (!subscriber) throw new AppError('not_found');
    return subscriber;
  };

  const subscriberContext = (request: FastifyRequest, reply: FastifyReply, subscriber: repo.SubscriberRow) => contextIn(request, reply, localeFor(request, subscriberLocale(subscriber)));

  async function preferencesPage(request: FastifyRequest, reply: FastifyReply, values: PreferenceValues | null, errors: FieldErrors, status = 200) {
    const subscriber = await subscriberOr404(request);
    const view = await preferencesOf(deps, subscriber);
    const ctx = await subscriberContext(request, reply, subscriber);
    reply.header('x-robots-tag', 'noindex');
    const token = tokenOf(request);
    return sendPage(reply, PreferencesPage({ ctx, token, action: `/preferences/${token}`, view, values: values ?? currentValues(view), errors, interests: await interestOptions(k, ctx.locale) }), status);
  }

  app.get('/preferences/:token', byToken, async (request, reply) => ((await sampleLink(request, reply)) ? reply : preferencesPage(request, reply, null, {})));

  app.post('/preferences/:token', byToken, async (request, reply) => {
    if (await sampleLink(request, reply)) return reply;
    const subscriber = await subscriberOr404(request);
    const body = formBody(request);
    const form = parseForm(PreferencesForm, body);
    const raw = preferenceValues(body);
    const t = translator(localeFor(request, subscriberLocale(subscriber)));
    if (!form.ok) return preferencesPage(request, reply, raw, translateErrors(form.errors, t), 400);
    const interests = await knownInterests(k, raw.themes, raw.countries);
    await savePreferences(deps, subscriber, { name: form.value.name?.trim() || null, organisation: form.value.organisation?.trim() || null, listIds: raw.lists, ...interests }, request.ip);
    flash(request, 'success', t('newsletter.preferences.saved'));
    return reply.redirect(`/preferences/${tokenOf(request)}`, 303);
  });

  app.post('/preferences/:token/tout', byToken, async (request, reply) => {
    if (await sampleLink(request, reply)) return reply;
    const subscriber = await subscriberOr404(request);
    await unsubscribeAll(deps, subscriber, 'preference_centre', request.ip);
    return sendPage(reply, UnsubscribePage({ ctx: await subscriberContext(request, reply, subscriber), token: subscriber.token, email: subscriber.email, lists: [], done: true }));
  });

  // ---------- Unsubscribe (link and RFC 8058 one-click) ----------
  // A message sent for some lists links to `/desinscription/<token>?liste=<id>,<id>` (see
  // `unsubscribePath`): its button, and a mail provider's one-click, leave those lists only; the
  // page then offers to leave everything, or to manage one's subscriptions. Without lists (older
  // messages, mailings to directory segments), or with « tout » posted, everything is left and the
  // address suppressed.

  /** The lists named in the link that exist (none: the link leaves everything). */
  const listsOfLink = async (request: FastifyRequest) => {
    const ids = asList((request.query as Record<string, unknown> | undefined)?.['liste']).flatMap((v) => v.split(','));
    return ids.length ? repo.listsByIds(k.db, [...new Set(ids.map((id) => id.trim()).filter(Boolean))].slice(0, 20)) : [];
  };

  app.get('/desinscription/:token', byToken, async (request, reply) => {
    if (await sampleLink(request, reply)) return reply;
    const subscriber = await subscriberOr404(request);
    const ctx = await subscriberContext(request, reply, subscriber);
    const lists = (await listsOfLink(request)).map((l) => ({ id: l.id, name: listText(l, ctx.locale).name }));
    reply.header('x-robots-tag', 'noindex');
    return sendPage(reply, UnsubscribePage({ ctx, token: subscriber.token, email: subscriber.email, lists, done: false }));
  });

  // Mail providers post `List-Unsubscribe=One-Click` here without cookies (RFC 8058): the token in
  // the URL is the authorisation, so this route is exempt from the CSRF token (DESIGN.md §5).
  app.post('/desinscription/:token', { config: { access: 'token', csrfExempt: true } }, async (request, reply) => {
    if (await sampleLink(request, reply)) return reply;
    const subscriber = await subscriberOr404(request);
    const body = formBody(request);
    const oneClick = String(body['List-Unsubscribe'] ?? '') === 'One-Click';
    const source = oneClick ? 'one_click' : 'unsubscribe_page';
    const everything = !oneClick && String(body['tout'] ?? '') === '1';
    const ctx = await subscriberContext(request, reply, subscriber);
    const asked = everything ? [] : await listsOfLink(request);
    if (asked.length) {
      await unsubscribeFromLists(deps, subscriber, asked.map((l) => l.id), source, request.ip);
      const lists = asked.map((l) => ({ id: l.id, name: listText(l, ctx.locale).name }));
      return sendPage(reply, UnsubscribePage({ ctx, token: subscriber.token, email: subscriber.email, lists, done: true }));
    }
    await unsubscribeAll(deps, subscriber, source, request.ip);
    return sendPage(reply, UnsubscribePage({ ctx, token: subscriber.token, email: subscriber.email, lists: [], done: true }));
  });
};
