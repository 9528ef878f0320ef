import type { MessageKey } from '../../kernel/i18n/index.js';
import { auditBatch } from './batch-audit.js';
import { deletable } from './batch-data.js';
import { ImportError } from './errors.js';
import * as repo from './repo.js';
import { removeBatchFiles } from './retention.js';
import type { ImportActor, ImportDeps } from './types.js';

/**
 * Deletes a batch that wrote nothing (an upload left at a step of the wizard, a commit failed
 * before its first chunk): its row, its validation report, its uploaded file and its spill; the
 * deletion is in the audit log. A batch that wrote records is refused: it is undone instead.
 */
export async function deleteBatch(deps: ImportDeps, actor: ImportActor, batchId: string): Promise<repo.BatchRow> {
  const batch = await repo.findBatch(deps.db, batchId);
  if (!batch) throw new ImportError('imports.error.batchNotFound', { id: batchId });
  if (!deletable(batch) || !(await repo.deleteUnwrittenBatch(deps.db, batchId))) {
    const status = (await repo.findBatch(deps.db, batchId))?.status ?? batch.status;
    throw new ImportError('imports.error.cannotDelete', { status: { key: `importWizard.status.${status}` as MessageKey } });
  }
  await removeBatchFiles(deps.dataDir, batch);
  await auditBatch(deps, actor, batchId, 'import.deleted', { before: { status: batch.status, file: batch.file_name, source: batch.source_name, rows: batch.total_rows, created_at: batch.created_at } }, deps.clock.now());
  return batch;
}
