import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { type MemberProposalItem, propose, proposalsOfUser } from '../moderation/index.js';
import { organisationsOfUser } from '../organisations/index.js';
import { resourceMultipartOptions } from './file-field.js';
import { body, translate } from './http.js';
import { formLabels } from './labels.js';
import * as repo from './repo.js';
import { checkResource } from './service.js';
import { draftValues, submittedValues } from './validate.js';
import { MyResourcesPage, ProposeResourcePage } from './views-member.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';

function signedIn(request: FastifyRequest) {
  if (!request.user) throw new AppError('forbidden');
  return request.user;
}

function payloadTitle(payload: string): string {
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === 'object' ? String((value as Record<string, unknown>)['title'] ?? '') : '';
  } catch {
    return '';
  }
}

/** Members propose their organisations' documents; staff approve them in the shared moderation queue. */
export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const member = { config: { access: 'member' as const } };
  const memberUpload = { config: { access: 'member' as const, multipartOptions: resourceMultipartOptions } };

  app.get('/mon-espace/ressources', member, async (request, reply) => {
    const user = signedIn(request);
    const organisations = await organisationsOfUser(k.db, user.id);
    const [proposals, resources] = await Promise.all([
      proposalsOfUser(k.db, user.id, 100, 'resource'),
      repo.resourcesOfOrganisations(
        k.db,
        organisations.map((o) => o.id),
      ),
    ]);
    const items: MemberProposalItem[] = proposals.map((p) => ({ title: payloadTitle(p.payload), status: p.status, createdAt: p.created_at, message: p.message }));
    return sendPage(reply, MyResourcesPage({ ctx: await viewContext(request, reply), proposals: items, resources, hasOrganisations: organisations.length > 0 }));
  });

  async function formPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
    const user = signedIn(request);
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const labels = await formLabels(k.db, values, own);
    labels.organisations = labels.organisations.filter((o) => own.includes(o.id));
    return sendPage(reply, ProposeResourcePage({ ctx: await viewContext(request, reply), values, errors, labels }), status);
  }

  redirectNewFormAliases(app, '/mon-espace/ressources', 'nouvelle', 'member');

  app.get('/mon-espace/ressources/nouvelle', member, async (request, reply) => {
    const user = signedIn(request);
    const own = await organisationsOfUser(k.db, user.id);
    if (own.length === 0) {
      flash(request, 'info', request.t('resources.member.noOrganisation'));
      return reply.redirect('/mon-espace/ressources', 303);
    }
    // No kind in advance: the member chooses it (an untouched form is refused, not filed under a guess).
    return formPage(request, reply, { language: 'fr', organisation: own.length === 1 ? own[0]!.id : '' }, {});
  });

  app.post('/mon-espace/ressources/nouvelle', memberUpload, async (request, reply) => {
    const user = signedIn(request);
    const raw = body(request);
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const checked = await checkResource(k, raw, { role: 'member', userId: user.id, organisationIds: own });
    if (!checked.ok) return formPage(request, reply, submittedValues(raw), translate(checked.errors, request.locale), 400);
    await propose(k, { type: 'resource', entityId: null, payload: draftValues(checked.draft), proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    flash(request, 'success', request.t('resources.member.proposed'));
    return reply.redirect('/mon-espace/ressources', 303);
  });
};
