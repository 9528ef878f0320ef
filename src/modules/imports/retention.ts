import fs from 'node:fs/promises';
import path from 'node:path';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { auditBatch } from './batch-audit.js';
import { batchFailure, ImportError } from './errors.js';
import { deleteUnwrittenBatch } from './repo.js';
import * as retention from './retention-repo.js';
import { removeSpill } from './spill.js';
import type { ImportDeps } from './types.js';

/** Abandoned uploads, the files of failed ones, and the per-row reports of old batches, are kept this long. */
export const IMPORT_RETENTION_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

/** When an upload not imported yet goes, unless a step of the wizard takes it up again before (the list says so). */
export function abandonedDraftRemovalAt(batch: { updated_at: string }): Date {
  return new Date(Date.parse(batch.updated_at) + IMPORT_RETENTION_DAYS * DAY_MS);
}

/** The journal's actor of what the sweep does: nobody, shown as « système ». */
const SWEEP = { id: null, email: null };

/** Deletes a batch's uploaded file and its spill; a file given on the command line (absolute path) stays. */
export async function removeBatchFiles(dataDir: string, batch: { id: string; file_path: string }): Promise<void> {
  if (batch.file_path && !path.isAbsolute(batch.file_path)) await fs.rm(path.join(uploadsDir(dataDir), batch.file_path), { force: true });
  await removeSpill(dataDir, batch.id);
}

/**
 * An imported file holds personal data (contacts' names, emails, phones): an uploaded file is
 * deleted once its batch is written or undone (its SHA-256 still recognises a re-run), or after
 * `IMPORT_RETENTION_DAYS` when left unimported; the per-row reports go after that delay too.
 * An upload that never went further than the wizard's first steps (uploaded, or checked) goes
 * whole after that delay, as a person's « Supprimer » would remove it: row, report and file, the
 * journal saying why. A failed import keeps its row (its failure is said there), not its file.
 * Files given on the command line are the operator's own and are never touched.
 */
export async function releaseImportFiles(deps: ImportDeps): Promise<number> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - IMPORT_RETENTION_DAYS * DAY_MS).toISOString();
  for (const draft of await retention.abandonedDrafts(deps.db, before)) {
    // Taken up again, or started, since it was read: it stays.
    if (!(await deleteUnwrittenBatch(deps.db, draft.id, { untouchedSince: before }))) continue;
    await removeBatchFiles(deps.dataDir, draft);
    await auditBatch(
      deps,
      SWEEP,
      draft.id,
      'import.deleted',
      { before: { status: draft.status, file: draft.file_name, source: draft.source_name, rows: draft.total_rows, created_at: draft.created_at }, after: { reason: 'retention', days: IMPORT_RETENTION_DAYS } },
      now,
    );
  }
  const batches = await retention.batchesHoldingFiles(deps.db, before);
  for (const batch of batches) {
    await removeBatchFiles(deps.dataDir, batch);
    const abandoned = batch.status !== 'committed' && batch.status !== 'undone';
    await retention.markFileReleased(deps.db, batch.id, abandoned ? batchFailure(new ImportError('imports.retention.abandoned', { days: IMPORT_RETENTION_DAYS })) : null, now.toISOString());
  }
  await retention.deleteOldIssues(deps.db, before);
  return batches.length;
}
