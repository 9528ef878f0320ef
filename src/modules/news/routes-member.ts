import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { formBody, signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { isId } from '../../kernel/ids.js';
import { findPendingProposalOf, memberProposalItems, propose } from '../moderation/index.js';
import { organisationsOfUser } from '../organisations/index.js';
import { translate } from './http.js';
import { NEWS_ENTITY, proposalValues } from './news-entity.js';
import { organisationNames } from './organisation.js';
import * as repo from './repo.js';
import { checkNews, type NewsProblems } from './service.js';
import { articleValues, draftValues, submittedValues, text } from './validate.js';
import { MEMBER_NEWS, MyNewsPage, ProposeNewsPage } from './views-member.js';

/** Only the fields members write (no address, date, Mastodon or free choice of organisation). */
const MEMBER_FIELDS = ['title', 'summary', 'body', 'image', 'image_file', 'remove_image', 'image_alt', 'themes', 'countries', 'organisation'] as const;

/** Members propose their organisations' news (and changes to them) through moderation. */
export const newsMemberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const member = { config: { access: 'member' as const } };

  app.get(MEMBER_NEWS, member, async (request, reply) => {
    const user = signedInUser(request);
    const organisations = await organisationsOfUser(k.db, user.id);
    const [proposals, articles] = await Promise.all([
      memberProposalItems(k.db, user.id, NEWS_ENTITY),
      repo.articlesOfOrganisations(
        k.db,
        organisations.map((o) => o.id),
      ),
    ]);
    return sendPage(reply, MyNewsPage({ ctx: await viewContext(request, reply), proposals, articles, hasOrganisations: organisations.length > 0, now: k.clock.now() }));
  });

  /** What the member sends, checked, with one of their organisations as the author. */
  async function checkProposal(raw: Record<string, unknown>, ownIds: string[], uploaderId: string): Promise<ReturnType<typeof checkNews>> {
    const own: Record<string, unknown> = {};
    for (const name of MEMBER_FIELDS) if (raw[name] !== undefined) own[name] = raw[name];
    const checked = await checkNews(k, own, uploaderId);
    // `own` now carries a new upload's file id (kept if the form comes back with errors).
    if (typeof own['image'] === 'string') raw['image'] = own['image'];
    delete raw['image_file'];
    const organisation = text(own, 'organisation');
    if (!organisation || !ownIds.includes(organisation)) {
      const errors: NewsProblems = { ...(checked.ok ? {} : checked.errors), organisation: { key: 'news.error.organisationRequired' } };
      return { ok: false, errors };
    }
    return checked;
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, p: { action: string; edit?: { title: string; pendingSince: string | null }; values: Record<string, unknown>; errors: Record<string, string> }, status = 200) {
    const user = signedInUser(request);
    const [own, themes] = await Promise.all([organisationsOfUser(k.db, user.id), repo.themeOptions(k.db)]);
    const t = request.t;
    return sendPage(
      reply,
      ProposeNewsPage({
        ctx: await viewContext(request, reply),
        action: p.action,
        title: p.edit ? t('news.member.editTitle', { title: p.edit.title }) : t('news.member.proposeTitle'),
        submit: t(p.edit ? 'news.member.submitChange' : 'news.member.submit'),
        values: p.values,
        errors: p.errors,
        themes,
        organisationNames: await organisationNames(k.db, own.map((o) => o.id)),
        organisations: own.map((o) => ({ id: o.id, name: o.name })),
        pendingSince: p.edit?.pendingSince ?? null,
      }),
      status,
    );
  }

  app.get(`${MEMBER_NEWS}/nouveau`, member, async (request, reply) => {
    const own = await organisationsOfUser(k.db, signedInUser(request).id);
    return formPage(request, reply, { action: `${MEMBER_NEWS}/nouveau`, values: { organisation: own.length === 1 ? own[0]!.id : '' }, errors: {} });
  });

  redirectNewFormAliases(app, MEMBER_NEWS, 'nouveau', 'member');

  app.post(`${MEMBER_NEWS}/nouveau`, member, async (request, reply) => {
    const user = signedInUser(request);
    const raw = formBody(request);
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const checked = await checkProposal(raw, own, user.id);
    if (!checked.ok) return formPage(request, reply, { action: `${MEMBER_NEWS}/nouveau`, values: submittedValues(raw), errors: translate(checked.errors, request.t) }, 400);
    await propose(k, { type: NEWS_ENTITY, entityId: null, payload: proposalValues(draftValues(checked.draft)), proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    flash(request, 'success', request.t('news.flash.proposed'));
    return reply.redirect(MEMBER_NEWS, 303);
  });

  /** An article of one of the member's organisations; any other id is refused without saying whether it exists. */
  async function ownArticle(request: FastifyRequest) {
    const user = signedInUser(request);
    const { id } = request.params as { id: string };
    if (!isId(id)) throw new AppError('forbidden');
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const article = await repo.findArticle(k.db, id);
    if (!article?.organisation_id || !own.includes(article.organisation_id)) throw new AppError('forbidden');
    return { user, article, own };
  }

  app.get(`${MEMBER_NEWS}/:id/modifier`, member, async (request, reply) => {
    const { user, article } = await ownArticle(request);
    const pending = await findPendingProposalOf(k.db, NEWS_ENTITY, article.id, user.id);
    let values: Record<string, unknown> = proposalValues(articleValues(article));
    if (pending) {
      try {
        values = JSON.parse(pending.payload) as Record<string, unknown>;
      } catch {
        // A payload that cannot be read: the article as it is.
      }
    }
    return formPage(request, reply, { action: `${MEMBER_NEWS}/${article.id}/modifier`, edit: { title: article.title, pendingSince: pending?.created_at ?? null }, values, errors: {} });
  });

  app.post(`${MEMBER_NEWS}/:id/modifier`, member, async (request, reply) => {
    const { user, article, own } = await ownArticle(request);
    const raw = formBody(request);
    const checked = await checkProposal(raw, own, user.id);
    if (!checked.ok) {
      const pending = await findPendingProposalOf(k.db, NEWS_ENTITY, article.id, user.id);
      return formPage(
        request,
        reply,
        { action: `${MEMBER_NEWS}/${article.id}/modifier`, edit: { title: article.title, pendingSince: pending?.created_at ?? null }, values: submittedValues(raw), errors: translate(checked.errors, request.t) },
        400,
      );
    }
    const result = await propose(k, { type: NEWS_ENTITY, entityId: article.id, payload: proposalValues(draftValues(checked.draft)), proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    if (!result.ok) flash(request, 'info', request.t('news.flash.unchanged'));
    else flash(request, 'success', request.t(result.updated ? 'news.flash.proposalUpdated' : 'news.flash.proposed'));
    return reply.redirect(MEMBER_NEWS, 303);
  });
};
