import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { writeRefused } from '../../kernel/http/write-refused.js';
import { Type } from '@sinclair/typebox';
import { isId } from '../../kernel/ids.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { InvitedPerson } from '../accounts/index.js';
import { recordOrigins } from '../merge/index.js';
import { findOrganisationById, taxonomies, usersOfOrganisation } from '../organisations/index.js';
import { runBulkAction } from './bulk.js';
import { contactsOfOrganisation } from './contacts-repo.js';
import { type DuplicateWarningState, staffDuplicateGuard } from './duplicate-check.js';
import { addInteraction, invitePerson, markReviewed, saveOrganisation } from './organisation-edit.js';
import { parseStaffQuery, queryFromString, STAFF_PAGE_SIZE } from './query.js';
import * as repo from './repo.js';
import { type Body, type IdParams, isoDay, type Query, strings, text, translate } from './routes-common.js';
import { deleteSegment, findSegment, listSegments, saveSegment } from './segments.js';
import { OrganisationListPage } from './views-organisation-list.js';
import { membershipRows, OrganisationCreatePage, OrganisationEditPage, submittedMembershipRows } from './views-organisations.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';

/** A person invited to an organisation's member space from its page: as on the accounts page, without a role (always « member »). */
const OrganisationInviteForm = Type.Object(InvitedPerson);

/** Organisations in the back office: the list with saved filters and bulk actions, creation, the record's page. */
export const organisationRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  async function requireOrganisation(id: string): Promise<void> {
    if (!(await findOrganisationById(k.db, id))) throw new AppError('not_found');
  }

  // ---------- List, segments, bulk actions ----------

  async function listPage(request: FastifyRequest, reply: FastifyReply, query: Query, extra: { errors?: Record<string, string>; values?: Record<string, string> } = {}, status = 200) {
    const parsed = parseStaffQuery(query, k.clock.now());
    const [page, labels, allTags, segments] = await Promise.all([
      repo.listOrganisations(k.db, k.dbHandle.dialect, parsed.filter, { limit: STAFF_PAGE_SIZE, offset: (parsed.page - 1) * STAFF_PAGE_SIZE }),
      taxonomies(k.db),
      repo.allTags(k.db),
      listSegments(k.db),
    ]);
    const beyond = redirectPastLastPage(request, reply, parsed.page, page.total, STAFF_PAGE_SIZE);
    if (beyond) return beyond;
    const tags = await repo.tagsOf(
      k.db,
      page.rows.map((r) => r.id),
    );
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      OrganisationListPage({ ctx, rows: page.rows, tags, total: page.total, page: parsed.page, canonical: parsed.canonical, shown: parsed.shown, t: labels, allTags, segments, ...extra }),
      status,
    );
  }

  app.get('/admin/organisations', staff, async (request, reply) => listPage(request, reply, request.query as Query));

  app.post('/admin/organisations/filtres', staff, async (request, reply) => {
    const b = formBody(request);
    const query = text(b['query']);
    const result = await saveSegment(k, actorOf(request), { name: text(b['name']), query });
    if (!result.ok) {
      return listPage(request, reply, queryFromString(query), { errors: translate(result.errors, request.t), values: strings(b) }, 400);
    }
    flash(request, 'success', request.t('backofficeOrganisations.segments.saved', { name: text(b['name']).trim() }));
    const saved = await findSegment(k.db, result.id);
    return reply.redirect(`/admin/organisations${saved?.query ? `?${saved.query}` : ''}`, 303);
  });

  app.get<IdParams>('/admin/organisations/filtres/:id', staff, async (request, reply) => {
    const saved = await findSegment(k.db, request.params.id);
    if (!saved || saved.scope !== 'organisations') throw new AppError('not_found');
    return reply.redirect(`/admin/organisations${saved.query ? `?${saved.query}` : ''}`, 303);
  });

  app.post<IdParams>('/admin/organisations/filtres/:id/supprimer', staff, async (request, reply) => {
    const done = await deleteSegment(k, actorOf(request), request.params.id);
    if (!done) throw new AppError('not_found');
    flash(request, 'success', request.t('backofficeOrganisations.segments.deleted'));
    return reply.redirect('/admin/organisations', 303);
  });

  app.post('/admin/organisations/actions', staff, async (request, reply) => {
    const b = formBody(request);
    const ids = (Array.isArray(b['ids']) ? b['ids'] : b['ids'] === undefined ? [] : [b['ids']]).map(String).filter((id) => isId(id));
    const filter = text(b['filter']);
    const result = await runBulkAction(k, actorOf(request), {
      action: text(b['action']),
      scope: text(b['scope']) === 'all' ? 'all' : 'selection',
      ids,
      filter,
      tag: text(b['tag']),
      college: text(b['college']),
    });
    if (!result.ok) {
      return listPage(request, reply, queryFromString(filter), { errors: translate(result.errors, request.t), values: strings(b) }, 400);
    }
    if (result.action === 'export') {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="structures-${isoDay(k.clock.now())}.csv"`)
        .header('cache-control', 'no-store')
        .send(result.csv);
    }
    flash(request, 'success', request.t('backofficeOrganisations.bulk.done', { count: result.count }));
    return reply.redirect(`/admin/organisations${filter ? `?${filter}` : ''}`, 303);
  });

  // ---------- Create and edit ----------

  redirectNewFormAliases(app, '/admin/organisations', 'nouvelle', 'staff');

  app.get('/admin/organisations/nouvelle', staff, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, OrganisationCreatePage({ ctx, t: await taxonomies(k.db), values: { visibility: 'public' }, memberships: [], isMember: false, errors: {} }));
  });

  app.post('/admin/organisations/nouvelle', staff, async (request, reply) => {
    const b = formBody(request);
    const labels = await taxonomies(k.db);
    const duplicates = staffDuplicateGuard(k, actorOf(request), b, { t: request.t, locale: request.locale, labels });
    const result = await saveOrganisation(k, actorOf(request), b, undefined, { hold: duplicates.hold });
    if (!result.ok) {
      const ctx = await viewContext(request, reply);
      return sendPage(
        reply,
        OrganisationCreatePage({
          ctx,
          t: labels,
          values: b,
          memberships: submittedMembershipRows(b),
          isMember: text(b['is_member']) === '1',
          errors: translate(result.errors, request.t),
          duplicates: duplicates.warning,
        }),
        // Held for a likely duplicate: nothing was saved, the person has a choice to make.
        result.held ? 409 : 400,
      );
    }
    await duplicates.recordOverride(result.organisation.id);
    flash(request, 'success', request.t('backofficeOrganisations.create.done', { name: result.organisation.name }));
    return reply.redirect(`/admin/organisations/${result.organisation.id}`, 303);
  });

  interface EditExtra {
    values?: Body;
    errors?: Record<string, string>;
    interactionValues?: Record<string, string>;
    interactionErrors?: Record<string, string>;
    inviteValues?: Record<string, string>;
    inviteErrors?: Record<string, string>;
    duplicates?: DuplicateWarningState;
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: EditExtra = {}, status = 200) {
    const organisation = await findOrganisationById(k.db, id);
    if (!organisation) throw new AppError('not_found');
    const [labels, memberships, tags, history, interactions, accounts, contacts, origins] = await Promise.all([
      taxonomies(k.db),
      repo.membershipsOf(k.db, [id]),
      repo.tagsOf(k.db, [id]),
      listAudit(k.db, { entityType: 'organisation', entityId: id, limit: 100, offset: 0 }),
      repo.interactionsOf(k.db, id),
      usersOfOrganisation(k.db, id),
      contactsOfOrganisation(k.db, id),
      recordOrigins(k.db, 'organisation', id),
    ]);
    const ctx = await viewContext(request, reply);
    const submitted = extra.values;
    return sendPage(
      reply,
      OrganisationEditPage({
        ctx,
        t: labels,
        organisation,
        values: submitted ?? { ...organisation },
        memberships: submitted ? submittedMembershipRows(submitted) : membershipRows(memberships.get(id) ?? []),
        isMember: submitted ? text(submitted['is_member']) === '1' : organisation.is_member === 1,
        errors: extra.errors ?? {},
        tags: tags.get(id) ?? [],
        history: history.rows,
        interactions,
        accounts,
        contacts,
        origins,
        interactionValues: extra.interactionValues,
        interactionErrors: extra.interactionErrors,
        inviteValues: extra.inviteValues,
        inviteErrors: extra.inviteErrors,
        duplicates: extra.duplicates,
        today: isoDay(k.clock.now()),
      }),
      status,
    );
  }

  app.get<IdParams>('/admin/organisations/:id', staff, async (request, reply) => editPage(request, reply, request.params.id));

  app.post<IdParams>('/admin/organisations/:id', staff, async (request, reply) => {
    const { id } = request.params;
    const current = await findOrganisationById(k.db, id);
    if (!current) throw new AppError('not_found');
    const b = formBody(request);
    // Only a change of what identifies the organisation is checked, never against the record itself.
    const duplicates = staffDuplicateGuard(k, actorOf(request), b, { t: request.t, locale: request.locale, labels: await taxonomies(k.db), current });
    const result = await saveOrganisation(k, actorOf(request), b, id, { hold: duplicates.hold });
    if (!result.ok) return editPage(request, reply, id, { values: b, errors: translate(result.errors, request.t), duplicates: duplicates.warning }, result.held ? 409 : 400);
    await duplicates.recordOverride(id);
    flash(request, 'success', request.t('backofficeOrganisations.edit.saved'));
    // The form was posted to its summary (« #erreurs-fiche »): land at the top, where the message is.
    return reply.redirect(`/admin/organisations/${id}#contenu`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/revue', staff, async (request, reply) => {
    if (!(await markReviewed(k, actorOf(request), request.params.id))) throw new AppError('not_found');
    flash(request, 'success', request.t('backofficeOrganisations.edit.reviewed'));
    return reply.redirect(`/admin/organisations/${request.params.id}`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/interactions', staff, async (request, reply) => {
    const { id } = request.params;
    await requireOrganisation(id);
    const b = formBody(request);
    const result = await addInteraction(k, actorOf(request), id, b);
    if (!result.ok) return editPage(request, reply, id, { interactionValues: strings(b), interactionErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.interaction.added'));
    return reply.redirect(`/admin/organisations/${id}#interactions`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/inviter', staff, async (request, reply) => {
    const { id } = request.params;
    await requireOrganisation(id);
    const b = formBody(request);
    const form = parseForm(OrganisationInviteForm, b);
    if (!form.ok) return editPage(request, reply, id, { inviteValues: strings(b), inviteErrors: translateErrors(form.errors, request.t) }, 400);
    const { email, display_name: displayName } = form.value;
    let result: Awaited<ReturnType<typeof invitePerson>>;
    try {
      result = await invitePerson(k, actorOf(request), id, { email, displayName, locale: request.locale });
    } catch (error) {
      // Nothing was saved (one transaction): the form again, with what was typed.
      writeRefused(request, error, 'backofficeOrganisations.invite.notSaved');
      return editPage(request, reply, id, { inviteValues: strings(b) }, 503);
    }
    if (!result.ok) return editPage(request, reply, id, { inviteValues: strings(b), inviteErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t(result.existing ? 'backofficeOrganisations.invite.linked' : 'backofficeOrganisations.invite.sent', { email }));
    return reply.redirect(`/admin/organisations/${id}#comptes`, 303);
  });
};
