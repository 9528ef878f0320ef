import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import type { Locale, Translate } from '../../kernel/i18n/index.js';
import { formatDay } from '../../kernel/time/date-only.js';
import { isId } from '../../kernel/ids.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { attachDocuments, removeDocument, type AttachOutcome } from './attachments.js';
import { documentMultipartOptions, uploadsOf } from './documents.js';
import { callLabels } from './labels.js';
import { listClock } from './listing.js';
import { callStatus } from './status.js';
import { prefillFromWatchItem, watchOrigin } from './prefill.js';
import * as repo from './repo.js';
import { changePublication, checkCall, createCall, deleteCall, draftOfCall, funderOrganisation, isPublicationAction, updateCall } from './service.js';
import { draftFormValues, type Problems, submittedFormValues, text } from './validate.js';
import { ADMIN_BASE, ADMIN_PAGE_SIZE, type AdminListQuery, CallCreatePage, CallEditPage, CallListPage } from './views-admin.js';

type IdParams = { Params: { id: string } };

function translate(problems: Problems, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(p.key, p.params)]));
}

function listQuery(raw: Record<string, unknown>): AdminListQuery {
  const publication = text(raw, 'publication');
  const period = text(raw, 'periode');
  return {
    q: text(raw, 'q').slice(0, 200),
    publication: publication === 'draft' || publication === 'published' ? publication : '',
    period: period === 'closed' || period === 'all' ? period : 'current',
    page: pageNumber(text(raw, 'page') || undefined),
  };
}

/**
 * A closing date in the past is allowed (staff record a call already over), but said after the
 * save: a published call already closed is in the archives, not in the list of open calls; a draft
 * will go there when published. Null for a call still open or to come.
 */
export function closedCallNotice(call: { status: string; closes_on: string; closes_time: string | null; opens_on: string | null }, now: Date, t: Translate, locale: Locale): string | null {
  if (callStatus(call, now).status !== 'closed') return null;
  const date = formatDay(call.closes_on, locale);
  return t(call.status === 'published' ? 'calls.admin.closedPublished' : 'calls.admin.closedDraft', { date });
}

/** Flash messages of the documents attached by a form. */
function flashDocuments(request: FastifyRequest, outcome: AttachOutcome): void {
  for (const refused of outcome.refused) flash(request, 'error', request.t(`calls.document.refused.${refused.reason}`, { name: refused.name }));
  if (outcome.added.length) flash(request, 'success', request.t('calls.document.added', { count: outcome.added.length }));
}

/** The staff back office of the calls: list, creation (prefilled from a watch item), edition, publication, deletion. */
export const callsAdminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };
  const withDocuments = { config: { access: 'staff' as const, multipartOptions: documentMultipartOptions } };
  const deps = { db: k.db, clock: k.clock, dbHandle: k.dbHandle, config: k.config };

  app.get(ADMIN_BASE, staff, async (request, reply) => {
    const query = listQuery(request.query as Record<string, unknown>);
    const now = k.clock.now();
    const { rows, total } = await repo.listCalls(
      k.db,
      k.dbHandle.dialect,
      { tokens: searchTokens(query.q).slice(0, 8), status: query.period === 'all' ? 'any' : query.period, publishedOnly: false, publication: query.publication || undefined },
      listClock(now),
      { sort: query.period === 'closed' ? 'closing_desc' : 'closing', offset: (query.page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE },
    );
    const beyond = redirectPastLastPage(request, reply, query.page, total, ADMIN_PAGE_SIZE);
    if (beyond) return beyond;
    return sendPage(reply, CallListPage({ ctx: await viewContext(request, reply), rows, total, query, now }));
  });

  /** After a save: the call already closed? Staff are told it shows in the archives. */
  async function flashIfClosed(request: FastifyRequest, id: string): Promise<void> {
    const call = await repo.findCallById(k.db, id);
    const notice = call ? closedCallNotice(call, k.clock.now(), request.t, request.locale) : null;
    if (notice) flash(request, 'info', notice);
  }

  async function createPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
    const [labels, origin] = await Promise.all([callLabels(k.db, request.locale), watchOrigin(k.db, typeof values['watch_item_id'] === 'string' ? values['watch_item_id'] : null)]);
    return sendPage(reply, CallCreatePage({ ctx: await viewContext(request, reply), values, errors, labels, origin }), status);
  }

  app.get(`${ADMIN_BASE}/nouveau`, staff, async (request, reply) => {
    const itemId = text(request.query as Record<string, unknown>, 'veille');
    if (itemId) {
      const prefilled = await prefillFromWatchItem(k.db, itemId, request.locale);
      if (!prefilled) throw new AppError('not_found');
      return createPage(request, reply, prefilled.values, {});
    }
    return createPage(request, reply, {}, {});
  });

  redirectNewFormAliases(app, ADMIN_BASE, 'nouveau', 'staff');

  app.post(`${ADMIN_BASE}/nouveau`, withDocuments, async (request, reply) => {
    const b = formBody(request);
    const checked = await checkCall(deps, b);
    if (!checked.ok) {
      const errors = translate(checked.errors, request.t);
      if (uploadsOf(b['documents']).length) errors['documents'] = request.t('calls.document.again');
      return createPage(request, reply, submittedFormValues(b), errors, 400);
    }
    const actor = actorOf(request);
    const created = await createCall(deps, actor, checked.draft, text(b, 'intent') === 'publish' ? 'published' : 'draft');
    flashDocuments(request, await attachDocuments(deps, actor, created.id, uploadsOf(b['documents']), text(b, 'document_title') || null));
    flash(request, 'success', request.t(created.status === 'published' ? 'calls.admin.createdPublished' : 'calls.admin.created', { title: created.title }));
    await flashIfClosed(request, created.id);
    return reply.redirect(`${ADMIN_BASE}/${created.id}`, 303);
  });

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, submitted?: { values: Record<string, unknown>; errors: Record<string, string> }) {
    if (!isId(id)) throw new AppError('not_found');
    const call = await repo.findCallById(k.db, id);
    if (!call) throw new AppError('not_found');
    const [labels, history, origin, funder] = await Promise.all([
      callLabels(k.db, request.locale),
      listAudit(k.db, { entityType: 'call', entityId: id, limit: 50, offset: 0 }),
      watchOrigin(k.db, call.watch_item_id),
      funderOrganisation(k.db, call.funder_organisation_id),
    ]);
    const values = submitted?.values ?? draftFormValues(draftOfCall(call), funder?.slug ?? '', request.locale);
    return sendPage(
      reply,
      CallEditPage({ ctx: await viewContext(request, reply), call, values, errors: submitted?.errors ?? {}, labels, history: history.rows, origin, now: k.clock.now() }),
      submitted ? 400 : 200,
    );
  }

  app.get<IdParams>(`${ADMIN_BASE}/:id`, staff, async (request, reply) => editPage(request, reply, request.params.id));

  app.post<IdParams>(`${ADMIN_BASE}/:id`, withDocuments, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id) || !(await repo.findCallById(k.db, id))) throw new AppError('not_found');
    const b = formBody(request);
    const checked = await checkCall(deps, b);
    if (!checked.ok) {
      const errors = translate(checked.errors, request.t);
      if (uploadsOf(b['documents']).length) errors['documents'] = request.t('calls.document.again');
      return editPage(request, reply, id, { values: submittedFormValues(b), errors });
    }
    const actor = actorOf(request);
    await updateCall(deps, actor, id, checked.draft);
    flashDocuments(request, await attachDocuments(deps, actor, id, uploadsOf(b['documents']), text(b, 'document_title') || null));
    flash(request, 'success', request.t('calls.admin.saved'));
    await flashIfClosed(request, id);
    return reply.redirect(`${ADMIN_BASE}/${id}`, 303);
  });

  app.post<IdParams>(`${ADMIN_BASE}/:id/statut`, staff, async (request, reply) => {
    const { id } = request.params;
    const action = text(formBody(request), 'action');
    if (!isId(id)) throw new AppError('not_found');
    if (!isPublicationAction(action)) throw new AppError('bad_request');
    const changed = await changePublication(deps, actorOf(request), id, action);
    if (!changed) throw new AppError('not_found');
    flash(request, 'success', request.t(action === 'publish' ? 'calls.admin.published' : 'calls.admin.unpublished'));
    if (action === 'publish') await flashIfClosed(request, id);
    return reply.redirect(`${ADMIN_BASE}/${id}`, 303);
  });

  app.post<IdParams>(`${ADMIN_BASE}/:id/supprimer`, staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id)) throw new AppError('not_found');
    const deleted = await deleteCall(deps, actorOf(request), id);
    if (!deleted) throw new AppError('not_found');
    flash(request, 'success', request.t('calls.admin.deleted', { title: deleted.title }));
    return reply.redirect(ADMIN_BASE, 303);
  });

  app.post<{ Params: { id: string; documentId: string } }>(`${ADMIN_BASE}/:id/documents/:documentId/supprimer`, staff, async (request, reply) => {
    const { id, documentId } = request.params;
    if (!isId(id) || !isId(documentId)) throw new AppError('not_found');
    if (!(await removeDocument(deps, actorOf(request), id, documentId))) throw new AppError('not_found');
    flash(request, 'success', request.t('calls.document.removed'));
    return reply.redirect(`${ADMIN_BASE}/${id}`, 303);
  });
};
