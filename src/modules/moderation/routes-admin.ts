import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ProposalStatus } from '../../db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { committed, writeRefused } from '../../kernel/http/write-refused.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import { findOrganisationById } from '../organisations/index.js';
import { type AccountDecision, type AccountRejection, approveAccountRequest, rejectAccountRequest } from './account-requests.js';
import { checkStaffAcceptance, proposedOrganisationDraft, type StaffMatch, staffDuplicates } from './duplicate-check.js';
import { approveProposal, type DecisionMail, type DecisionResult, loadProposal, type ProposalView, rejectProposal, toRecord } from './proposals.js';
import { moderatedEntities, moderatedEntity, ProposalInvalidError, ProposalNotAppliedError, type EntityValues } from './registry.js';
import * as repo from './repo.js';
import { AccountRequestsPage, type AccountRequestItem, type DiffView, EditApprovePage, ProposalPage, QueuePage } from './views-admin.js';
import { proposalKindLabel } from './wording.js';

const STATUSES: ProposalStatus[] = ['pending', 'approved', 'rejected'];

/** What staff read once a decision is saved, by what became of its email to the proposer: on its way (queued), or none. */
const DECIDED: Record<'approved' | 'rejected', Record<DecisionMail, MessageKey>> = {
  approved: { queued: 'moderation.flash.approved', none: 'moderation.flash.approvedNoAddress' },
  rejected: { queued: 'moderation.flash.rejected', none: 'moderation.flash.rejectedNoAddress' },
};

function statusOf(raw: unknown): ProposalStatus {
  return STATUSES.includes(raw as ProposalStatus) ? (raw as ProposalStatus) : 'pending';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export const adminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  app.get('/admin/moderation', { config: { access: 'staff' } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const status = statusOf(query['status']);
    const type = moderatedEntity(query['type'] ?? '') ? query['type']! : '';
    const page = pageNumber(query['page']);
    const [list, counts, pendingAccountRequests] = await Promise.all([
      repo.listProposals(k.db, { status, type: type || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      repo.countProposalsByType(k.db, 'pending'),
      repo.countAccountRequests(k.db, 'pending'),
    ]);
    const beyond = redirectPastLastPage(request, reply, page, list.total, PAGE_SIZE);
    if (beyond) return beyond;
    const t = request.t;
    const items = list.rows.map((row) => {
      const p = toRecord(row);
      const entity = moderatedEntity(p.entityType);
      return {
        id: p.id,
        typeLabel: entity ? t(entity.labelKey) : p.entityType,
        title: entity?.title?.(p.payload) ?? '',
        summary: entity?.summary?.(p.payload, { t, locale: request.locale }) ?? '',
        kindLabel: proposalKindLabel(t, p.entityType, p.entityId === null && p.base === null),
        proposer: p.proposerName ?? p.proposerEmail ?? '',
        createdAt: p.createdAt,
        status: p.status,
      };
    });
    const types = moderatedEntities().map((e) => ({ value: e.type, label: t(e.labelKey), count: counts[e.type] ?? 0 }));
    return sendPage(
      reply,
      QueuePage({ ctx: await viewContext(request, reply), items, total: list.total, page, status, type, types, pendingAccountRequests }),
    );
  });

  async function diffViews(request: FastifyRequest, view: ProposalView): Promise<DiffView[]> {
    const ctx = { t: request.t, locale: request.locale };
    const show = async (field: string, value: unknown) => {
      if (view.entity.display) return view.entity.display(field, value, ctx, k);
      return Array.isArray(value) ? value.join(', ') : value === null || value === undefined ? '' : String(value);
    };
    // Where staff open a value (a proposed file): the page is staff's only, and so is the address.
    const href = async (field: string, value: unknown) => (view.entity.valueHref ? ((await view.entity.valueHref(field, value, k)) ?? null) : null);
    return Promise.all(
      view.diff.map(async (r) => ({
        field: r.field,
        label: request.t(r.label),
        before: await show(r.field, r.before),
        after: await show(r.field, r.after),
        current: await show(r.field, r.current),
        hrefs: { before: await href(r.field, r.before), after: await href(r.field, r.after), current: await href(r.field, r.current) },
        changedSince: r.changedSince,
      })),
    );
  }

  /** The existing organisations a pending proposal of a new one may duplicate (none for other proposals). */
  const possibleMatches = async (request: FastifyRequest, view: ProposalView): Promise<StaffMatch[]> => {
    if (view.proposal.status !== 'pending') return [];
    const draft = await proposedOrganisationDraft(k, view.proposal, view.merged);
    return draft ? staffDuplicates(k, draft, { t: request.t, locale: request.locale }) : [];
  };

  const detailPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { rejectErrors?: Record<string, string>; rejectMessage?: string; approveErrors?: Record<string, string>; matches?: StaffMatch[] } = {},
    status = 200,
  ) => {
    const view = await loadProposal(k, id);
    const { proposal, entity } = view;
    const entityId = proposal.entityId;
    let recordHref: string | null = null;
    if (entityId && entity.publicHref) recordHref = await entity.publicHref(entityId, k);
    const matches = extra.matches ?? (await possibleMatches(request, view));
    return sendPage(
      reply,
      ProposalPage({
        ctx: await viewContext(request, reply),
        id,
        typeLabel: request.t(entity.labelKey),
        title: entity.title?.(proposal.payload) || request.t('moderation.untitled'),
        kindLabel: proposalKindLabel(request.t, proposal.entityType, proposal.base === null),
        status: proposal.status,
        proposer: { name: proposal.proposerName ?? '', email: proposal.proposerEmail ?? '' },
        createdAt: proposal.createdAt,
        decidedAt: proposal.decidedAt,
        message: proposal.message,
        recordHref,
        rows: await diffViews(request, view),
        canEdit: Boolean(entity.renderForm && entity.validate),
        ...extra,
        matches,
      }),
      status,
    );
  };

  app.get('/admin/moderation/:id', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return detailPage(request, reply, id);
  });

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: EntityValues,
    errors: Record<string, string>,
    message: string,
    status = 200,
    duplicates?: { matches: StaffMatch[]; confirmMissing: boolean },
  ) => {
    const view = await loadProposal(k, id);
    if (!view.entity.renderForm) throw new AppError('not_found');
    const ctx = await viewContext(request, reply);
    const fields = await view.entity.renderForm({ ctx, values, errors, deps: k });
    return sendPage(
      reply,
      EditApprovePage({ ctx, id, title: view.entity.title?.(view.proposal.payload) || request.t('moderation.untitled'), fields, errors, message, duplicates }),
      status,
    );
  };

  const alreadyDecided = (request: FastifyRequest, reply: FastifyReply, id: string) => {
    flash(request, 'info', request.t('moderation.flash.alreadyDecided'));
    return reply.redirect(`/admin/moderation/${id}`, 303);
  };

  /**
   * The approval failed and left nothing (ProposalNotAppliedError): the proposal waits again.
   * Staff read in French that nothing was created (or changed); the cause goes to the log, never
   * to the page.
   */
  const notApplied = (request: FastifyRequest, error: ProposalNotAppliedError) => {
    request.log.error({ err: error.cause, reference: request.id }, 'proposal not applied');
    flash(request, 'error', request.t(error.change ? 'moderation.flash.notChanged' : 'moderation.flash.notApplied'));
  };

  const translate = (request: FastifyRequest, errors: Record<string, { key: Parameters<FastifyRequest['t']>[0]; params?: Record<string, string | number> }>) =>
    Object.fromEntries(Object.entries(errors).map(([f, e]) => [f, request.t(e.key, e.params)]));

  app.post('/admin/moderation/:id/approuver', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const view = await loadProposal(k, id);
    if (view.proposal.status !== 'pending') return alreadyDecided(request, reply, id);
    // A new organisation that may already exist: accepted once staff said it is another one.
    const check = await checkStaffAcceptance(k, view.proposal, view.merged, formBody(request), { t: request.t, locale: request.locale });
    if (check.kind === 'hold') {
      return detailPage(request, reply, id, { matches: check.matches, approveErrors: { duplicates_confirmed: request.t('moderation.duplicates.confirmRequired') } }, 409);
    }
    let result: DecisionResult;
    try {
      result = await committed(request, approveProposal(k, actorOf(request), id, { duplicatesOverridden: check.override }));
      if (!result.ok) return alreadyDecided(request, reply, id);
    } catch (error) {
      if (error instanceof ProposalNotAppliedError) {
        notApplied(request, error);
        return reply.redirect(`/admin/moderation/${id}`, 303);
      }
      if (!(error instanceof ProposalInvalidError) || !view.entity.renderForm) throw error;
      // The proposal no longer passes validation (a taxonomy changed…): staff fix it in the form.
      return editPage(request, reply, id, view.merged, translate(request, error.errors), '', 400);
    }
    flash(request, 'success', request.t(DECIDED.approved[result.mail]));
    return reply.redirect('/admin/moderation', 303);
  });

  app.get('/admin/moderation/:id/modifier', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const view = await loadProposal(k, id);
    if (view.proposal.status !== 'pending') return alreadyDecided(request, reply, id);
    return editPage(request, reply, id, view.merged, {}, '');
  });

  app.post('/admin/moderation/:id/modifier', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const view = await loadProposal(k, id);
    if (view.proposal.status !== 'pending') return alreadyDecided(request, reply, id);
    if (!view.entity.validate) throw new AppError('not_found');
    const raw = formBody(request);
    const message = text(raw['decision_message']);
    const result = await view.entity.validate(raw, k);
    if (!result.ok) return editPage(request, reply, id, raw, translate(request, result.errors), message, 400);
    // As the staff organisation form: a new organisation like existing ones waits for « Il s'agit d'une autre structure ».
    const check = await checkStaffAcceptance(k, view.proposal, result.values, raw, { t: request.t, locale: request.locale });
    if (check.kind === 'hold') return editPage(request, reply, id, raw, {}, message, 409, { matches: check.matches, confirmMissing: check.confirmMissing });
    let decision: DecisionResult;
    try {
      decision = await committed(request, approveProposal(k, actorOf(request), id, { edited: result.values, message, duplicatesOverridden: check.override }));
      if (!decision.ok) return alreadyDecided(request, reply, id);
    } catch (error) {
      if (error instanceof ProposalNotAppliedError) {
        // The form again, with everything staff typed, to try again (503: nothing was written).
        notApplied(request, error);
        return editPage(request, reply, id, raw, {}, message, 503);
      }
      if (!(error instanceof ProposalInvalidError)) throw error;
      return editPage(request, reply, id, raw, translate(request, error.errors), message, 400);
    }
    flash(request, 'success', request.t(DECIDED.approved[decision.mail]));
    return reply.redirect('/admin/moderation', 303);
  });

  app.post('/admin/moderation/:id/rejeter', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const view = await loadProposal(k, id);
    if (view.proposal.status !== 'pending') return alreadyDecided(request, reply, id);
    const message = text(formBody(request)['message']);
    if (!message || message.length > 5000) {
      return detailPage(request, reply, id, { rejectErrors: { message: request.t(message ? 'moderation.error.messageLength' : 'moderation.error.message') }, rejectMessage: message }, 400);
    }
    let result: DecisionResult;
    try {
      result = await rejectProposal(k, actorOf(request), id, message);
    } catch (error) {
      // Nothing was saved (one transaction, its email's job included): the proposal waits, with staff's message kept to try again.
      writeRefused(request, error, 'moderation.flash.notRejected');
      return detailPage(request, reply, id, { rejectMessage: message }, 503);
    }
    if (!result.ok) return alreadyDecided(request, reply, id);
    flash(request, 'success', request.t(DECIDED.rejected[result.mail]));
    return reply.redirect('/admin/moderation', 303);
  });

  // ---------- Account requests ----------

  const requestsPage = async (request: FastifyRequest, reply: FastifyReply, errors?: { id: string; errors: Record<string, string>; message?: string }, status = 200) => {
    const query = request.query as Record<string, string | undefined>;
    const listStatus = errors ? 'pending' : statusOf(query['status']);
    const page = errors ? 1 : pageNumber(query['page']);
    const list = await repo.listAccountRequests(k.db, listStatus, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    // Only a GET is sent on: a refused form (posted) answers with the first page and its errors.
    const beyond = redirectPastLastPage(request, reply, page, list.total, PAGE_SIZE);
    if (beyond) return beyond;
    // A refused form shows its request, with its errors, even when it is not on the first page.
    if (errors && !list.rows.some((r) => r.id === errors.id)) {
      const refused = await repo.findAccountRequest(k.db, errors.id);
      if (refused) list.rows.unshift(refused);
    }
    const items: AccountRequestItem[] = [];
    for (const row of list.rows) {
      const org = row.organisation_id ? await findOrganisationById(k.db, row.organisation_id) : undefined;
      const proposal = !org && row.proposal_id ? await repo.findProposal(k.db, row.proposal_id) : undefined;
      const payload = proposal ? toRecord(proposal).payload : null;
      items.push({
        row,
        organisation: org ? { name: org.name, href: org.visibility === 'public' ? `/acteurs/${org.slug}` : `/admin/organisations/${org.id}` } : null,
        proposal: proposal ? { title: String(payload?.['name'] ?? ''), href: `/admin/moderation/${proposal.id}`, status: proposal.status } : null,
      });
    }
    return sendPage(reply, AccountRequestsPage({ ctx: await viewContext(request, reply), items, total: list.total, page, status: listStatus, errors }), status);
  };

  app.get('/admin/demandes-de-compte', { config: { access: 'staff' } }, async (request, reply) => requestsPage(request, reply));

  app.post('/admin/demandes-de-compte/:id/approuver', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    let result: AccountDecision;
    try {
      result = await approveAccountRequest(k, actorOf(request), id, request.locale);
    } catch (error) {
      // Nothing was saved (one transaction): the request waits, staff may try again.
      writeRefused(request, error, 'moderation.flash.accountNotApproved');
      return reply.redirect('/admin/demandes-de-compte', 303);
    }
    if (!result.ok) {
      if (result.reason === 'not_found') throw new AppError('not_found');
      flash(request, 'error', request.t(result.reason === 'decided' ? 'moderation.flash.alreadyDecided' : 'moderation.flash.proposalRejected'));
      return reply.redirect('/admin/demandes-de-compte', 303);
    }
    // An invitation is queued, not sent yet: the job worker sends it (staff follow it on the account's page).
    const approved: MessageKey = result.invited
      ? result.organisationId
        ? 'moderation.flash.accountApproved'
        : 'moderation.flash.accountApprovedLater'
      : result.organisationId
        ? 'moderation.flash.accountLinked'
        : 'moderation.flash.accountLinkedLater';
    flash(request, 'success', request.t(approved));
    return reply.redirect('/admin/demandes-de-compte', 303);
  });

  app.post('/admin/demandes-de-compte/:id/rejeter', { config: { access: 'staff' } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const existing = await repo.findAccountRequest(k.db, id);
    if (!existing) throw new AppError('not_found');
    const message = text(formBody(request)['message']);
    if (existing.status === 'pending' && (!message || message.length > 5000)) {
      return requestsPage(request, reply, { id, errors: { message: request.t(message ? 'moderation.error.messageLength' : 'moderation.error.requestMessage') }, message }, 400);
    }
    let result: AccountRejection;
    try {
      result = await rejectAccountRequest(k, actorOf(request), id, message);
    } catch (error) {
      // Nothing was saved (one transaction, its email's job included): the request waits, with staff's message kept to try again.
      writeRefused(request, error, 'moderation.flash.accountNotRejected');
      return requestsPage(request, reply, { id, errors: {}, message }, 503);
    }
    // The email is queued, not sent yet: the job worker sends it.
    if (!result.ok) flash(request, 'info', request.t('moderation.flash.alreadyDecided'));
    else if (result.proposal !== null) flash(request, 'success', request.t('moderation.flash.accountRejectedWithProposal', { name: result.proposal }));
    else flash(request, 'success', request.t('moderation.flash.accountRejected'));
    return reply.redirect('/admin/demandes-de-compte', 303);
  });
};
