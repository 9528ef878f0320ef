import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { translateErrors } from '../../kernel/validation.js';
import { batchFilePath, batchStarted, parseBatch } from './batch-data.js';
import { setBatchReading } from './batch-reading.js';
import { mappingEditable } from './batches.js';
import { isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { DELIMITER_LABEL, readPreview } from './read.js';
import * as repo from './repo.js';
import { batchOf, type IdParams, notEditable, staff } from './routes-common.js';
import { DetectionPage } from './views-reading.js';
import { readingErrorField, readingFromForm } from './wizard-form.js';

/** The wizard's file step (/admin/imports/:id/fichier): how the file is read (encoding, separator, quotes), and changing it. */
export const importReadingRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);

  /** The file step: the file as the batch reads it (its stored reading), and the form to read it otherwise. */
  async function detectionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    batch: repo.BatchRow,
    extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
    status = 200,
  ) {
    if (!batch.file_path) {
      flash(request, 'error', request.t('importWizard.fileReleased'));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    let detection;
    try {
      detection = await readPreview(batchFilePath(k.config.dataDir, batch), parseBatch(batch).detection);
    } catch (error) {
      if (!isImportError(error)) throw error;
      flash(request, 'error', error.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    // The same content imported before (and not undone), from any source: said before anything else.
    const earlier = batchStarted(batch) ? undefined : await repo.findCommittedBatchOfFile(k.db, batch.file_sha256, batch.id);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, DetectionPage({ ctx, batch, detection, editable: mappingEditable(batch, k.clock.now()), earlier, ...extra }), status);
  }

  app.get<IdParams>('/admin/imports/:id/fichier', staff, async (request, reply) => detectionPage(request, reply, await batchOf(k.db, request.params.id)));

  /** The encoding, separator and quotes chosen on the file step: the batch reads the file so from now on. */
  app.post<IdParams>('/admin/imports/:id/lecture', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (!mappingEditable(batch, k.clock.now())) return notEditable(reply, batch);
    if (!batch.file_path) return detectionPage(request, reply, batch);
    const { choice, values, errors } = readingFromForm(request.body);
    if (Object.keys(errors).length) return detectionPage(request, reply, batch, { errors: translateErrors(errors, request.t), values }, 400);
    let result;
    try {
      result = await setBatchReading(deps, batch, choice);
    } catch (error) {
      if (!isImportError(error)) throw error;
      const current = parseBatch(batch).detection.text;
      // Changed meanwhile (a validation started from another page…): the file step as it is now says so.
      if (!current || error.key === 'imports.error.batchChanged') {
        flash(request, 'error', error.text(request.locale));
        return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
      }
      return detectionPage(request, reply, batch, { errors: { [readingErrorField(error.key, choice, current)]: error.text(request.locale) }, values }, 400);
    }
    const text = result.detection.text!;
    const params = { encoding: request.t(`imports.encoding.${text.encoding}` as MessageKey), separator: request.t(DELIMITER_LABEL[text.delimiter]!) };
    if (!result.changed) flash(request, 'info', request.t('importWizard.reading.unchanged'));
    else flash(request, 'success', request.t(result.columnsChanged ? 'importWizard.reading.doneColumns' : 'importWizard.reading.done', params));
    return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
  });
};
