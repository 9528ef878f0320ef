import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { DOCUMENT_FORMATS, formatOfMime, safeDownloadName } from '../../kernel/files/documents.js';
import { sendAttachment } from '../../kernel/files/downloads.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { isId } from '../../kernel/ids.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { pendingModerationCounts } from '../moderation/index.js';
import { resourceMultipartOptions } from './file-field.js';
import { type IdParams, translate } from './http.js';
import { EXTRACTION_STATUSES, isResourceKind, RESOURCE_STATUSES } from './kinds.js';
import { formLabels } from './labels.js';
import * as repo from './repo.js';
import { changeResourceStatus, checkResource, createResource, removeResource, requestExtraction, updateResource } from './service.js';
import { RESOURCE_FILE_PURPOSE } from './types.js';
import { resourceValues, submittedValues, text } from './validate.js';
import { ADMIN_PAGE_SIZE, type AdminListQuery, ResourceCreatePage, ResourceEditPage, ResourceListAdminPage } from './views-admin.js';
import { committed, writeRefused } from '../../kernel/http/write-refused.js';

/** The query string of a request's URL (« ?q=… »), or ''. */

function listQuery(raw: Record<string, unknown>): AdminListQuery {
  const status = text(raw, 'statut');
  const kind = text(raw, 'type');
  const extraction = text(raw, 'extraction');
  return {
    q: text(raw, 'q').slice(0, 200),
    status: (RESOURCE_STATUSES as readonly string[]).includes(status) ? status : '',
    kind: isResourceKind(kind) ? kind : '',
    extraction: (EXTRACTION_STATUSES as readonly string[]).includes(extraction) ? extraction : '',
    page: pageNumber(text(raw, 'page') || undefined),
  };
}

/** The staff back office of the library: list with filters, creation, a resource's page (edit, file, status, text, deletion, history). */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };
  const staffUpload = { config: { access: 'staff' as const, multipartOptions: resourceMultipartOptions } };

  app.get('/admin/ressources', staff, async (request, reply) => {
    const query = listQuery(request.query as Record<string, unknown>);
    const [page, pending] = await Promise.all([
      repo.searchResources(
        k.db,
        k.dbHandle.dialect,
        {
          tokens: [...new Set(searchTokens(query.q))].slice(0, 8),
          statuses: query.status ? [query.status] : [],
          kind: query.kind || undefined,
          extraction: query.extraction || undefined,
        },
        { offset: (query.page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE, order: 'updated' },
      ),
      pendingModerationCounts(k.db),
    ]);
    const beyond = redirectPastLastPage(request, reply, query.page, page.total, ADMIN_PAGE_SIZE);
    if (beyond) return beyond;
    return sendPage(reply, ResourceListAdminPage({ ctx: await viewContext(request, reply), rows: page.rows, total: page.total, query, pendingProposals: pending.proposals['resource'] ?? 0 }));
  });

  async function createPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
    const labels = await formLabels(k.db, values);
    return sendPage(reply, ResourceCreatePage({ ctx: await viewContext(request, reply), values, errors, labels }), status);
  }

  // No kind in advance (a form sent untouched would file the resource under it); French is only the likely language, and may be left unspecified.
  app.get('/admin/ressources/nouvelle', staff, async (request, reply) => createPage(request, reply, { language: 'fr' }, {}));

  redirectNewFormAliases(app, '/admin/ressources', 'nouvelle', 'staff');

  app.post('/admin/ressources/nouvelle', staffUpload, async (request, reply) => {
    const raw = formBody(request);
    const actor = actorOf(request);
    const checked = await checkResource(k, raw, { role: 'staff', userId: actor.id });
    if (!checked.ok) return createPage(request, reply, submittedValues(raw), translate(checked.errors, request.locale), 400);
    const status = text(raw, 'intent') === 'publish' ? 'published' : 'draft';
    let created: Awaited<ReturnType<typeof createResource>>;
    try {
      // The resource, its log line and its PDF's reading are one transaction: refused, nothing stays.
      created = await createResource(k, actor, checked.draft, { status, source: 'staff' });
    } catch (error) {
      writeRefused(request, error, 'resources.admin.notSaved');
      return createPage(request, reply, submittedValues(raw), {}, 503);
    }
    flash(request, 'success', request.t(status === 'published' ? 'resources.admin.createdPublished' : 'resources.admin.created', { title: created.title }));
    return reply.redirect(`/admin/ressources/${created.id}`, 303);
  });

  async function found(id: string) {
    if (!isId(id)) throw new AppError('not_found');
    const resource = await repo.findResourceById(k.db, id);
    if (!resource) throw new AppError('not_found');
    return resource;
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, submitted?: { values?: Record<string, unknown>; errors: Record<string, string>; status?: number }) {
    const resource = await found(id);
    const values = submitted?.values ?? resourceValues(resource);
    const [labels, history, file] = await Promise.all([
      formLabels(k.db, values),
      listAudit(k.db, { entityType: 'resource', entityId: id, limit: 50, offset: 0 }),
      resource.file_id ? repo.findFile(k.db, resource.file_id) : Promise.resolve(undefined),
    ]);
    return sendPage(
      reply,
      ResourceEditPage({ ctx: await viewContext(request, reply), resource, values, errors: submitted?.errors ?? {}, labels, history: history.rows, file: file ?? null }),
      submitted ? (submitted.status ?? 400) : 200,
    );
  }

  app.get<IdParams>('/admin/ressources/:id', staff, async (request, reply) => editPage(request, reply, request.params.id));

  app.post<IdParams>('/admin/ressources/:id', staffUpload, async (request, reply) => {
    const resource = await found(request.params.id);
    const raw = formBody(request);
    const actor = actorOf(request);
    const checked = await checkResource(k, raw, { role: 'staff', userId: actor.id }, resource.file_id);
    if (!checked.ok) return editPage(request, reply, resource.id, { values: submittedValues(raw), errors: translate(checked.errors, request.locale) });
    try {
      // One transaction (the row, its tags, the old slug, the file replaced, the log line, the reading): refused, the resource stays as it was.
      await committed(request, updateResource(k, actor, resource.id, checked.draft));
    } catch (error) {
      writeRefused(request, error, 'resources.admin.notSaved');
      return editPage(request, reply, resource.id, { values: submittedValues(raw), errors: {}, status: 503 });
    }
    flash(request, 'success', request.t('resources.admin.saved'));
    return reply.redirect(`/admin/ressources/${resource.id}`, 303);
  });

  app.post<IdParams>('/admin/ressources/:id/statut', staff, async (request, reply) => {
    const resource = await found(request.params.id);
    const action = text(formBody(request), 'action');
    if (action !== 'publish' && action !== 'unpublish') throw new AppError('bad_request');
    try {
      await changeResourceStatus(k, actorOf(request), resource.id, action);
    } catch (error) {
      writeRefused(request, error, 'resources.admin.notChanged');
      return editPage(request, reply, resource.id, { errors: {}, status: 503 });
    }
    flash(request, 'success', request.t(action === 'publish' ? 'resources.admin.published' : 'resources.admin.unpublished'));
    return reply.redirect(`/admin/ressources/${resource.id}`, 303);
  });

  app.post<IdParams>('/admin/ressources/:id/extraction', staff, async (request, reply) => {
    const resource = await found(request.params.id);
    try {
      await requestExtraction(k, resource.id, resource.file_id, true);
    } catch (error) {
      writeRefused(request, error, 'resources.admin.notChanged');
      return editPage(request, reply, resource.id, { errors: {}, status: 503 });
    }
    flash(request, 'success', request.t('resources.admin.extractionQueued'));
    return reply.redirect(`/admin/ressources/${resource.id}`, 303);
  });

  app.post<IdParams>('/admin/ressources/:id/supprimer', staff, async (request, reply) => {
    const resource = await found(request.params.id);
    if (text(formBody(request), 'confirm') !== '1') {
      flash(request, 'error', request.t('resources.admin.deleteUnconfirmed'));
      return reply.redirect(`/admin/ressources/${resource.id}`, 303);
    }
    try {
      await committed(request, removeResource(k, actorOf(request), resource.id));
    } catch (error) {
      writeRefused(request, error, 'resources.admin.notDeleted');
      return editPage(request, reply, resource.id, { errors: {}, status: 503 });
    }
    flash(request, 'success', request.t('resources.admin.deleted', { title: resource.title }));
    return reply.redirect('/admin/ressources', 303);
  });

  /** Any resource file, live or waiting in a proposal, for staff to check (not counted as a download). */
  app.get<{ Params: { fileId: string } }>('/admin/ressources/fichiers/:fileId', staff, async (request, reply) => {
    const { fileId } = request.params;
    if (!isId(fileId)) throw new AppError('not_found');
    const file = await repo.findFile(k.db, fileId);
    if (!file || file.purpose !== RESOURCE_FILE_PURPOSE) throw new AppError('not_found');
    const format = formatOfMime(file.mime);
    return sendAttachment(reply, k.config.dataDir, file, safeDownloadName(file.original_name, format ? DOCUMENT_FORMATS[format].ext : 'bin', 'document'), { cacheControl: 'private, no-store' });
  });
};
