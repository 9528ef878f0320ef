import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { OrganisationFormFields, organisationsOfUser, taxonomies } from '../organisations/index.js';
import { linkApprovedRequests } from './account-requests.js';
import { currentOrganisationValues, STAFF_ONLY_FIELDS, validateOrganisationValues } from './organisation-entity.js';
import { propose, toRecord } from './proposals.js';
import { moderatedEntity } from './registry.js';
import * as repo from './repo.js';
import { MemberEditPage, MyOrganisationsPage } from './views-member.js';

function signedIn(request: FastifyRequest) {
  if (!request.user) throw new AppError('forbidden');
  return request.user;
}

export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  app.get('/mon-espace/structures', { config: { access: 'member' } }, async (request, reply) => {
    const user = signedIn(request);
    // Safety net for accounts approved before their organisation existed (normally linked on approval).
    await linkApprovedRequests(k, user);
    const organisations = await organisationsOfUser(k.db, user.id);
    const pending = await repo.pendingProposalsForEntities(
      k.db,
      'organisation',
      organisations.map((o) => o.id),
    );
    const mine = await repo.proposalsOfUser(k.db, user.id);
    return sendPage(
      reply,
      MyOrganisationsPage({
        ctx: await viewContext(request, reply),
        organisations: organisations.map((o) => ({
          id: o.id,
          name: o.name,
          publicHref: o.visibility === 'public' ? `/acteurs/${o.slug}` : null,
          pendingSince: pending.find((p) => p.entity_id === o.id)?.created_at ?? null,
        })),
        proposals: mine.map((row) => {
          const p = toRecord(row);
          return { title: moderatedEntity(p.entityType)?.title?.(p.payload) ?? '', status: p.status, createdAt: p.createdAt, message: p.message };
        }),
      }),
    );
  });

  /** Only the organisations linked to the account; any other id is refused (without saying whether it exists). */
  async function ownOrganisation(request: FastifyRequest) {
    const user = signedIn(request);
    const { id } = request.params as { id: string };
    const organisation = (await organisationsOfUser(k.db, user.id)).find((o) => o.id === id);
    if (!organisation) throw new AppError('forbidden');
    return { user, organisation };
  }

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    org: { id: string; name: string },
    values: Record<string, unknown>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const user = signedIn(request);
    const pending = await repo.findPendingProposalOf(k.db, 'organisation', org.id, user.id);
    const ctx = await viewContext(request, reply);
    const fields = OrganisationFormFields({ ctx, values, errors, staff: false, taxonomies: await taxonomies(k.db) }) as string;
    return sendPage(reply, MemberEditPage({ ctx, id: org.id, name: org.name, fields, errors, pendingSince: pending?.created_at ?? null }), status);
  };

  app.get('/mon-espace/structures/:id/modifier', { config: { access: 'member' } }, async (request, reply) => {
    const { user, organisation } = await ownOrganisation(request);
    // A pending proposal of this member is what they see and amend; else the record as it is.
    const pending = await repo.findPendingProposalOf(k.db, 'organisation', organisation.id, user.id);
    const values = pending ? toRecord(pending).payload : await currentOrganisationValues(organisation.id, k);
    return editPage(request, reply, organisation, values ?? {}, {});
  });

  app.post('/mon-espace/structures/:id/modifier', { config: { access: 'member' } }, async (request, reply) => {
    const { user, organisation } = await ownOrganisation(request);
    const raw = { ...((request.body ?? {}) as Record<string, unknown>) };
    const current = await currentOrganisationValues(organisation.id, k);
    if (!current) throw new AppError('not_found');
    // Members do not set the staff-only fields: the record's values stay.
    for (const field of STAFF_ONLY_FIELDS) raw[field] = current[field];
    const result = await validateOrganisationValues(raw, k);
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([f, e]) => [f, request.t(e.key, e.params)]));
      return editPage(request, reply, organisation, raw, errors, 400);
    }
    const proposed = await propose(k, {
      type: 'organisation',
      entityId: organisation.id,
      payload: result.values,
      proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip },
    });
    if (!proposed.ok) {
      flash(request, 'info', request.t('moderation.flash.unchanged'));
      return reply.redirect('/mon-espace/structures', 303);
    }
    flash(request, 'success', request.t(proposed.updated ? 'moderation.flash.proposalUpdated' : 'moderation.flash.proposed'));
    return reply.redirect('/mon-espace/structures', 303);
  });
};
