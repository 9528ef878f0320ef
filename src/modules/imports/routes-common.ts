import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { isStaleValidation } from './batches.js';
import { progressOf } from './commit.js';
import * as repo from './repo.js';
import { type ProgressView, progressText, statusLabel as statusLabelOf, validationText } from './views-wizard.js';

// What the import wizard's route files (routes-*.ts) share: the staff-only access, the batch of
// the URL and the progress a validation or an import shows.

export type IdParams = { Params: { id: string } };
export type Query = Record<string, string | string[] | undefined>;

/** Every wizard route is for staff: the route matrix checks each one declares it. */
export const staff = { config: { access: 'staff' as const } };

export function first(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The batch of the URL; a malformed id is a 404 like an unknown one. */
export async function batchOf(db: repo.Db, id: string): Promise<repo.BatchRow> {
  const batch = isId(id) ? await repo.findBatch(db, id) : undefined;
  if (!batch) throw new AppError('not_found');
  return batch;
}

/** Where a batch whose mapping can no longer change is shown: its validation's progress, or its import. */
export function notEditable(reply: FastifyReply, batch: repo.BatchRow) {
  return reply.redirect(batch.status === 'validating' ? `/admin/imports/${batch.id}/rapport` : `/admin/imports/${batch.id}`, 303);
}

export function progressView(request: FastifyRequest, batch: repo.BatchRow, now: Date): ProgressView {
  const statusLabel = statusLabelOf(request.t, batch.status);
  if (batch.status === 'validating') {
    // The number of rows is known at the end only: rows read so far and their pace, no percentage.
    const seconds = batch.run_started_at && batch.progress_at ? (Date.parse(batch.progress_at) - Date.parse(batch.run_started_at)) / 1000 : 0;
    const rowsPerSecond = seconds > 0 && batch.processed_rows > 0 ? batch.processed_rows / seconds : null;
    const base = { status: batch.status, statusLabel, percent: null, done: batch.processed_rows, total: batch.processed_rows, rowsPerSecond, etaSeconds: null };
    // A validation whose worker died stops being polled: the page says to run it again.
    if (isStaleValidation(batch, now)) return { ...base, text: request.t('importWizard.validation.stalled'), running: false };
    return { ...base, text: validationText(request.t, request.locale, base), running: true };
  }
  const p = progressOf(batch);
  const base = { status: batch.status, statusLabel, percent: p.percent, done: p.done, total: p.total, rowsPerSecond: p.rowsPerSecond, etaSeconds: p.etaSeconds };
  const running = batch.status === 'queued' || batch.status === 'running';
  const text = running || batch.status === 'committed' ? progressText(request.t, request.locale, base) : statusLabel;
  return { ...base, text, running };
}
