import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { formBody, signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { organisationPlace } from '../map/index.js';
import { OrganisationFormFields, organisationsOfUser, taxonomies } from '../organisations/index.js';
import { linkApprovedRequests } from './account-requests.js';
import { currentOrganisationValues, STAFF_ONLY_FIELDS, validateOrganisationValues } from './organisation-entity.js';
import { checkPosition, coordinateText, POSITION_TYPE, positionPayload, startOf } from './position-entity.js';
import { propose, toRecord } from './proposals.js';
import { moderatedEntity } from './registry.js';
import * as repo from './repo.js';
import { MemberEditPage, MemberPositionPage, MyOrganisationsPage } from './views-member.js';

export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  app.get('/mon-espace/structures', { config: { access: 'member' } }, async (request, reply) => {
    const user = signedInUser(request);
    // Safety net for accounts approved before their organisation existed (normally linked on approval).
    await linkApprovedRequests(k, user);
    const organisations = await organisationsOfUser(k.db, user.id);
    const ids = organisations.map((o) => o.id);
    const [pending, pendingMoves] = await Promise.all([
      repo.pendingProposalsForEntities(k.db, 'organisation', ids),
      repo.pendingProposalsForEntities(k.db, POSITION_TYPE, ids),
    ]);
    const [mine, proposed] = await Promise.all([repo.proposalsOfUser(k.db, user.id), repo.pendingNewOrganisationsOf(k.db, user)]);
    return sendPage(
      reply,
      MyOrganisationsPage({
        ctx: await viewContext(request, reply),
        proposed: proposed.map((row) => ({ name: String(toRecord(row).payload['name'] ?? ''), createdAt: row.created_at })),
        organisations: organisations.map((o) => ({
          id: o.id,
          name: o.name,
          publicHref: o.visibility === 'public' ? `/acteurs/${o.slug}` : null,
          pendingSince: pending.find((p) => p.entity_id === o.id)?.created_at ?? null,
          moveSince: pendingMoves.find((p) => p.entity_id === o.id)?.created_at ?? null,
        })),
        proposals: mine.map((row) => {
          const p = toRecord(row);
          const entity = moderatedEntity(p.entityType);
          return { title: entity?.title?.(p.payload) ?? '', kind: entity ? request.t(entity.labelKey) : '', status: p.status, createdAt: p.createdAt, message: p.message };
        }),
      }),
    );
  });

  /** Stores the member's proposal (or amends their pending one), then back to their organisations with a word. */
  async function proposeAndReturn(
    request: FastifyRequest,
    reply: FastifyReply,
    type: string,
    entityId: string,
    payload: Record<string, unknown>,
    messages: Record<'unchanged' | 'updated' | 'created', MessageKey>,
  ) {
    const user = signedInUser(request);
    const proposed = await propose(k, { type, entityId, payload, proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    if (!proposed.ok) flash(request, 'info', request.t(messages.unchanged));
    else flash(request, 'success', request.t(proposed.updated ? messages.updated : messages.created));
    return reply.redirect('/mon-espace/structures', 303);
  }

  /** Only the organisations linked to the account; any other id is refused (without saying whether it exists). */
  async function ownOrganisation(request: FastifyRequest) {
    const user = signedInUser(request);
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
    const user = signedInUser(request);
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
    const { organisation } = await ownOrganisation(request);
    const raw = { ...formBody(request) };
    const current = await currentOrganisationValues(organisation.id, k);
    if (!current) throw new AppError('not_found');
    // Members do not set the staff-only fields: the record's values stay.
    for (const field of STAFF_ONLY_FIELDS) raw[field] = current[field];
    const result = await validateOrganisationValues(raw, k);
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([f, e]) => [f, request.t(e.key, e.params)]));
      return editPage(request, reply, organisation, raw, errors, 400);
    }
    return proposeAndReturn(request, reply, 'organisation', organisation.id, result.values, {
      unchanged: 'moderation.flash.unchanged',
      updated: 'moderation.flash.proposalUpdated',
      created: 'moderation.flash.proposed',
    });
  });

  // ---------- The organisation's marker: a member proposes a move, staff review it ----------

  /** `values` null: the member's pending proposal if any, else the marker as it is. */
  const positionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    org: { id: string; name: string },
    values: { latitude: string; longitude: string } | null,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const user = signedInUser(request);
    const [place, pending] = await Promise.all([organisationPlace(k.db, org.id), repo.findPendingProposalOf(k.db, POSITION_TYPE, org.id, user.id)]);
    if (!place) throw new AppError('not_found');
    const shown: Record<string, unknown> = pending ? toRecord(pending).payload : { ...place };
    return sendPage(
      reply,
      MemberPositionPage({
        ctx: await viewContext(request, reply),
        id: org.id,
        name: org.name,
        place,
        values: values ?? { latitude: coordinateText(shown['latitude'], request.locale), longitude: coordinateText(shown['longitude'], request.locale) },
        errors,
        pendingSince: pending?.created_at ?? null,
        tileUrl: k.config.tileUrl,
        start: startOf(place.department_code),
      }),
      status,
    );
  };

  app.get('/mon-espace/structures/:id/position', { config: { access: 'member' } }, async (request, reply) => {
    const { organisation } = await ownOrganisation(request);
    return positionPage(request, reply, organisation, null, {});
  });

  app.post('/mon-espace/structures/:id/position', { config: { access: 'member' } }, async (request, reply) => {
    const { organisation } = await ownOrganisation(request);
    const raw = formBody(request);
    const checked = checkPosition(raw);
    if (!checked.ok) {
      const errors = Object.fromEntries(Object.entries(checked.errors).map(([f, e]) => [f, request.t(e.key, e.params)]));
      const typed = { latitude: coordinateText(raw['latitude'], request.locale), longitude: coordinateText(raw['longitude'], request.locale) };
      return positionPage(request, reply, organisation, typed, errors, 400);
    }
    return proposeAndReturn(request, reply, POSITION_TYPE, organisation.id, positionPayload(organisation.name, checked.point), {
      unchanged: 'position.flash.unchanged',
      updated: 'position.flash.updated',
      created: 'position.flash.proposed',
    });
  });
};
