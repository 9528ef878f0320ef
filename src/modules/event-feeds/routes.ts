import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { findOrganisationById, findOrganisationBySlug, organisationsOfUser } from '../organisations/index.js';
import { feedDeps } from './deps.js';
import { addFeed, removeFeed } from './feeds.js';
import * as repo from './repo.js';
import { AdminFeedForm, MemberFeedForm } from './schemas.js';
import { syncFeed } from './sync.js';
import { AdminFeedsPage, MemberFeedsPage } from './views.js';

const MEMBER_BASE = '/mon-espace/evenements/flux';
const ADMIN_BASE = '/admin/agenda/flux';

function actorOf(request: FastifyRequest) {
  const user = signedInUser(request);
  return { id: user.id, email: user.email, ip: request.ip };
}

export const feedRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const member = { config: { access: 'member' as const } };
  const staff = { config: { access: 'staff' as const } };
  const deps = feedDeps(k);

  // ---------- Members: the feeds of their own organisations ----------

  async function memberPage(request: FastifyRequest, values: Record<string, string>, errors: Record<string, string>) {
    const user = signedInUser(request);
    const organisations = await organisationsOfUser(k.db, user.id);
    const feeds = await repo.listFeeds(k.db, organisations.map((o) => o.id));
    return { organisations: organisations.map((o) => ({ id: o.id, name: o.name })), feeds, values, errors };
  }

  app.get(MEMBER_BASE, member, async (request, reply) => {
    const page = await memberPage(request, {}, {});
    return sendPage(reply, MemberFeedsPage({ ctx: await viewContext(request, reply), ...page }));
  });

  app.post(MEMBER_BASE, member, async (request, reply) => {
    const user = signedInUser(request);
    const form = parseForm(MemberFeedForm, request.body);
    const rerender = async (values: Record<string, string>, errors: Record<string, string>) =>
      sendPage(reply, MemberFeedsPage({ ctx: await viewContext(request, reply), ...(await memberPage(request, values, errors)) }), 400);
    if (!form.ok) return rerender(form.values, translateErrors(form.errors, request.t));
    const organisation = (await organisationsOfUser(k.db, user.id)).find((o) => o.id === form.value.organisation);
    if (!organisation) return rerender(form.value, { organisation: request.t('eventFeeds.error.organisation') });
    const result = await addFeed(deps, actorOf(request), { organisationId: organisation.id, organisationName: organisation.name, url: form.value.url });
    if (!result.ok) return rerender(form.value, { url: request.t(result.key, result.params) });
    flash(request, 'success', request.t('eventFeeds.flash.added', { count: result.count, proposed: result.proposed }));
    return reply.redirect(MEMBER_BASE, 303);
  });

  app.post(`${MEMBER_BASE}/:id/supprimer`, member, async (request, reply) => {
    const user = signedInUser(request);
    const feed = await repo.findFeed(k.db, (request.params as { id: string }).id);
    // Only a feed of one of the account's organisations; any other id is refused alike.
    const mine = feed && (await organisationsOfUser(k.db, user.id)).some((o) => o.id === feed.organisation_id);
    if (!feed || !mine) throw new AppError('forbidden');
    await removeFeed(deps, actorOf(request), feed);
    flash(request, 'success', request.t('eventFeeds.flash.removed'));
    return reply.redirect(MEMBER_BASE, 303);
  });

  // ---------- Staff: every feed, its health, read now ----------

  app.get(ADMIN_BASE, staff, async (request, reply) => {
    const feeds = await repo.listFeeds(k.db, null);
    return sendPage(reply, AdminFeedsPage({ ctx: await viewContext(request, reply), feeds, values: {}, errors: {} }));
  });

  app.post(ADMIN_BASE, staff, async (request, reply) => {
    const form = parseForm(AdminFeedForm, request.body);
    const rerender = async (values: Record<string, string>, errors: Record<string, string>) =>
      sendPage(reply, AdminFeedsPage({ ctx: await viewContext(request, reply), feeds: await repo.listFeeds(k.db, null), values, errors }), 400);
    if (!form.ok) return rerender(form.values, translateErrors(form.errors, request.t));
    const found = await resolveOrganisation(form.value.structure);
    if ('error' in found) return rerender(form.value, { structure: request.t(found.error) });
    const result = await addFeed(deps, actorOf(request), { organisationId: found.id, organisationName: found.name, url: form.value.url });
    if (!result.ok) return rerender(form.value, { url: request.t(result.key, result.params) });
    flash(request, 'success', request.t('eventFeeds.flash.added', { count: result.count, proposed: result.proposed }));
    return reply.redirect(ADMIN_BASE, 303);
  });

  app.post(`${ADMIN_BASE}/:id/actualiser`, staff, async (request, reply) => {
    const outcome = await syncFeed(deps, (request.params as { id: string }).id);
    if (!outcome) throw new AppError('not_found');
    if (!outcome.ok) flash(request, 'error', request.t('eventFeeds.flash.failed', { error: request.t(outcome.refusal.messageKey, outcome.refusal.params) }));
    else if (outcome.notModified) flash(request, 'info', request.t('eventFeeds.flash.notModified'));
    else flash(request, 'success', request.t('eventFeeds.flash.refreshed', { count: outcome.count, proposed: outcome.proposed }));
    return reply.redirect(ADMIN_BASE, 303);
  });

  app.post(`${ADMIN_BASE}/:id/supprimer`, staff, async (request, reply) => {
    const feed = await repo.findFeed(k.db, (request.params as { id: string }).id);
    if (!feed) throw new AppError('not_found');
    await removeFeed(deps, actorOf(request), feed);
    flash(request, 'success', request.t('eventFeeds.flash.removed'));
    return reply.redirect(ADMIN_BASE, 303);
  });

  /** An organisation named by its page address (/acteurs/slug), its slug, its id or its exact name. */
  async function resolveOrganisation(raw: string): Promise<{ id: string; name: string } | { error: MessageKey }> {
    const slug = /\/acteurs\/([^/?#\s]+)/.exec(raw)?.[1] ?? raw.trim();
    const bySlug = (await findOrganisationBySlug(k.db, slug))?.organisation ?? (await findOrganisationById(k.db, slug));
    if (bySlug) return { id: bySlug.id, name: bySlug.name };
    const named = await repo.organisationsNamed(k.db, raw.trim());
    if (named.length === 1 && named[0]) return named[0];
    return { error: named.length > 1 ? 'eventFeeds.error.structureAmbiguous' : 'eventFeeds.error.structureUnknown' };
  }
};
