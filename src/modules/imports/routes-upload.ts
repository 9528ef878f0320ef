import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { sizedMessage } from '../../kernel/i18n/index.js';
import { isUploadedFile, keepUpload } from '../../kernel/files/uploads.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { newId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { inspectFile } from './batch-reading.js';
import { createBatch, sourceNameOf } from './batches.js';
import { isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { first, type Query, staff } from './routes-common.js';
import { BATCH_PAGE_SIZE, BatchListPage } from './views-wizard.js';
import { UploadSchema, uploadCap, uploadMultipartOptions } from './wizard-form.js';
import { listBatchPage } from './wizard-repo.js';

/** The wizard's first page (/admin/imports): the batches so far, and the form that uploads a file as a new batch. */
export const importUploadRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: Record<string, string>; values?: { source?: string } } = {}, status = 200) {
    const page = pageNumber(first(request.query as Query, 'page'));
    const { rows, total } = await listBatchPage(k.db, BATCH_PAGE_SIZE, (page - 1) * BATCH_PAGE_SIZE);
    const beyond = redirectPastLastPage(request, reply, page, total, BATCH_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, BatchListPage({ ctx, batches: rows, total, page, maxBytes: uploadCap.bytes, ...extra }), status);
  }

  app.get('/admin/imports', staff, async (request, reply) => listPage(request, reply));

  app.post('/admin/imports', { config: { access: 'staff' as const, multipartOptions: uploadMultipartOptions } }, async (request, reply) => {
    const body = formBody(request);
    const upload = isUploadedFile(body['fichier']) ? body['fichier'] : null;
    const parsed = parseForm(UploadSchema, body);
    const typed = typeof body['source'] === 'string' ? body['source'].trim() : '';
    const values = { source: typed };
    if (!upload || (upload.size === 0 && !upload.filename)) {
      return listPage(request, reply, { errors: { fichier: request.t('importWizard.error.fileMissing') }, values }, 400);
    }
    if (upload.truncated || upload.size > uploadCap.bytes) {
      // The kernel removes the partial file before the answer leaves.
      return listPage(request, reply, { errors: { fichier: sizedMessage(request.locale, 'imports.error.tooLarge', { maxBytes: uploadCap.bytes }) }, values }, 413);
    }
    if (!parsed.ok) return listPage(request, reply, { errors: translateErrors(parsed.errors, request.t), values }, 400);
    try {
      const inspection = await inspectFile(deps, upload.tmpPath, upload.size);
      const stored = await keepUpload(k.config.dataDir, upload, newId(), inspection.detection.format);
      const batch = await createBatch(deps, actorOf(request), {
        filePath: stored,
        fileName: upload.filename || 'import',
        sourceName: typed || sourceNameOf(upload.filename || 'import'),
        inspection,
      });
      return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
    } catch (error) {
      if (!isImportError(error)) throw error;
      const field = error.key === 'imports.error.sourceName' ? 'source' : 'fichier';
      return listPage(request, reply, { errors: { [field]: error.text(request.locale) }, values }, 400);
    }
  });
};
