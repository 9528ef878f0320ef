import fs from 'node:fs/promises';
import path from 'node:path';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { batchFailure, ImportError } from './errors.js';
import * as retention from './retention-repo.js';
import { removeSpill } from './spill.js';
import type { ImportDeps } from './types.js';

/** Uploaded files of abandoned drafts, and the per-row reports of old batches, are kept this long. */
export const IMPORT_RETENTION_DAYS = 30;

/** Deletes a batch's uploaded file and its spill; a file given on the command line (absolute path) stays. */
export async function removeBatchFiles(dataDir: string, batch: { id: string; file_path: string }): Promise<void> {
  if (batch.file_path && !path.isAbsolute(batch.file_path)) await fs.rm(path.join(uploadsDir(dataDir), batch.file_path), { force: true });
  await removeSpill(dataDir, batch.id);
}

/**
 * An imported file holds personal data (contacts' names, emails, phones): an uploaded file is
 * deleted once its batch is written or undone (its SHA-256 still recognises a re-run), or after
 * `IMPORT_RETENTION_DAYS` when left unimported; the per-row reports go after that delay too.
 * Files given on the command line are the operator's own and are never touched.
 */
export async function releaseImportFiles(deps: ImportDeps): Promise<number> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - IMPORT_RETENTION_DAYS * 24 * 3600 * 1000).toISOString();
  const batches = await retention.batchesHoldingFiles(deps.db, before);
  for (const batch of batches) {
    await removeBatchFiles(deps.dataDir, batch);
    const abandoned = batch.status !== 'committed' && batch.status !== 'undone';
    await retention.markFileReleased(deps.db, batch.id, abandoned ? batchFailure(new ImportError('imports.retention.abandoned', { days: IMPORT_RETENTION_DAYS })) : null, now.toISOString());
  }
  await retention.deleteOldIssues(deps.db, before);
  return batches.length;
}
