import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../../kernel/http/request.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { deletable, undoneCounts, undoRefusal } from './batch-data.js';
import { deleteBatch } from './delete.js';
import { isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { releaseImportFiles } from './retention.js';
import * as repo from './repo.js';
import { batchOf, type IdParams, progressView, staff } from './routes-common.js';
import { undoBatch, undoBlockers } from './undo.js';
import { BatchPage, UndoPage } from './views-wizard.js';
import { DeleteSchema } from './wizard-form.js';

/** The duplicates module's full scan (named, not imported: that module depends on this one). */
const DUPLICATE_SCAN_JOB = 'duplicates.scan';

/** A batch's page (/admin/imports/:id) and what is done from it: deletion of what wrote nothing, undo, a duplicate scan. */
export const importBatchRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);

  app.get<IdParams>('/admin/imports/:id', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    // Undone: what the undo removed, as its journal says.
    const removed = batch.status === 'undone' ? undoneCounts(batch, await repo.undoJournal(k.db, batch.id)) : undefined;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, BatchPage({ ctx, batch, progress: progressView(request, batch, k.clock.now()), now: k.clock.now(), removed }));
  });

  app.post<IdParams>('/admin/imports/:id/supprimer', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    const parsed = parseForm(DeleteSchema, request.body);
    // A batch that wrote records is refused by deleteBatch, whatever the box says.
    if (deletable(batch) && !parsed.ok) {
      const ctx = await viewContext(request, reply);
      const errors = translateErrors(parsed.errors, request.t);
      return sendPage(reply, BatchPage({ ctx, batch, progress: progressView(request, batch, k.clock.now()), now: k.clock.now(), errors }), 400);
    }
    try {
      await deleteBatch(deps, actorOf(request), batch.id);
    } catch (error) {
      if (!isImportError(error)) throw error;
      flash(request, 'error', error.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    flash(request, 'success', request.t('importWizard.delete.done', { file: batch.file_name }));
    return reply.redirect('/admin/imports', 303);
  });

  app.post<IdParams>('/admin/imports/:id/analyse-doublons', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    // The same key as the duplicates queue's button: one scan a minute whichever page asked.
    const minute = Math.floor(k.clock.now().getTime() / 60_000);
    const id = await k.jobs.enqueue(DUPLICATE_SCAN_JOB, {}, { idempotencyKey: `duplicates.scan:manual:${minute}` });
    flash(request, id ? 'success' : 'info', request.t(id ? 'importWizard.batch.scanQueued' : 'importWizard.batch.scanAlready'));
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });

  app.get<IdParams>('/admin/imports/:id/annuler', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    const refusal = undoRefusal(batch, k.clock.now());
    if (refusal) {
      flash(request, 'info', refusal.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    const [blocked, ctx] = await Promise.all([undoBlockers(deps.db, batch.id), viewContext(request, reply)]);
    return sendPage(reply, UndoPage({ ctx, batch, blocked: blocked?.text(request.locale) ?? null }));
  });

  app.post<IdParams>('/admin/imports/:id/annuler', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    try {
      const removed = await undoBatch(deps, actorOf(request), batch.id);
      await releaseImportFiles(deps);
      flash(request, 'success', request.t('importWizard.undo.done', { organisations: numberFormat(request.locale).format(removed.organisations), contacts: numberFormat(request.locale).format(removed.contacts) }));
    } catch (error) {
      if (!isImportError(error)) throw error;
      // Undone already (a second click): said as information, not as a failure.
      flash(request, error.key === 'imports.error.alreadyUndone' ? 'info' : 'error', error.text(request.locale));
    }
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });
};
