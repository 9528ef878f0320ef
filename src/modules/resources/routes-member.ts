import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { memberProposalItems, propose } from '../moderation/index.js';
import { organisationsOfUser } from '../organisations/index.js';
import { resourceMultipartOptions } from './file-field.js';
import { translate } from './http.js';
import { formLabels } from './labels.js';
import * as repo from './repo.js';
import { checkResource } from './service.js';
import { draftValues, submittedValues } from './validate.js';
import { MyResourcesPage, ProposeResourcePage } from './views-member.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';

/** Members propose their organisations' documents; staff approve them in the shared moderation queue. */
export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const member = { config: { access: 'member' as const } };
  const memberUpload = { config: { access: 'member' as const, multipartOptions: resourceMultipartOptions } };

  app.get('/mon-espace/ressources', member, async (request, reply) => {
    const user = signedInUser(request);
    const organisations = await organisationsOfUser(k.db, user.id);
    const [proposals, resources] = await Promise.all([
      memberProposalItems(k.db, user.id, 'resource'),
      repo.resourcesOfOrganisations(
        k.db,
        organisations.map((o) => o.id),
      ),
    ]);
    return sendPage(reply, MyResourcesPage({ ctx: await viewContext(request, reply), proposals, resources, hasOrganisations: organisations.length > 0 }));
  });

  async function formPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
    const user = signedInUser(request);
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const labels = await formLabels(k.db, values, own);
    labels.organisations = labels.organisations.filter((o) => own.includes(o.id));
    return sendPage(reply, ProposeResourcePage({ ctx: await viewContext(request, reply), values, errors, labels }), status);
  }

  redirectNewFormAliases(app, '/mon-espace/ressources', 'nouvelle', 'member');

  app.get('/mon-espace/ressources/nouvelle', member, async (request, reply) => {
    const user = signedInUser(request);
    const own = await organisationsOfUser(k.db, user.id);
    if (own.length === 0) {
      flash(request, 'info', request.t('resources.member.noOrganisation'));
      return reply.redirect('/mon-espace/ressources', 303);
    }
    // No kind in advance: the member chooses it (an untouched form is refused, not filed under a guess).
    return formPage(request, reply, { language: 'fr', organisation: own.length === 1 ? own[0]!.id : '' }, {});
  });

  app.post('/mon-espace/ressources/nouvelle', memberUpload, async (request, reply) => {
    const user = signedInUser(request);
    const raw = formBody(request);
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const checked = await checkResource(k, raw, { role: 'member', userId: user.id, organisationIds: own });
    if (!checked.ok) return formPage(request, reply, submittedValues(raw), translate(checked.errors, request.locale), 400);
    await propose(k, { type: 'resource', entityId: null, payload: draftValues(checked.draft), proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    flash(request, 'success', request.t('resources.member.proposed'));
    return reply.redirect('/mon-espace/ressources', 303);
  });
};
