import { recordAudit } from '../../kernel/audit/index.js';
import { ImportError } from './errors.js';
import * as repo from './repo.js';
import { removeSpill } from './spill.js';
import type { ImportActor, ImportDeps } from './types.js';

/** A run that has not moved for this long is considered dead (killed process): it may be undone. */
const STALE_RUN_MS = 10 * 60_000;
/** Merges named in the refusal (the rest counted). */
const MERGES_NAMED = 5;

/** "« survivor » ← « absorbed »" of the first few merges (the message gives their count). */
function mergeList(merges: { survivor_name: string; absorbed_name: string }[]): string {
  const shown = merges.slice(0, MERGES_NAMED).map((m) => `« ${m.survivor_name} » ← « ${m.absorbed_name} »`);
  return merges.length > MERGES_NAMED ? `${shown.join(' ; ')} ; …` : shown.join(' ; ');
}

/**
 * Undoes a whole batch: removes the organisations and contacts it created, with their links,
 * roles, memberships and consent records, in one transaction; the batch stays, marked undone,
 * and the removal is in the audit log. Refused while the batch is being written, and while a merge
 * involves one of its organisations (undoing the batch would delete a survivor that holds other
 * records' data, or leave a merge journal that can no longer be replayed): those merges are
 * named, to be undone first.
 */
export async function undoBatch(deps: ImportDeps, actor: ImportActor, batchId: string): Promise<{ organisations: number; contacts: number }> {
  const batch = await repo.findBatch(deps.db, batchId);
  if (!batch) throw new ImportError('imports.error.batchNotFound', { id: batchId });
  const now = deps.clock.now();
  const stale = batch.status === 'running' && (!batch.progress_at || now.getTime() - Date.parse(batch.progress_at) > STALE_RUN_MS);
  if (!['committed', 'failed', 'queued'].includes(batch.status) && !stale) throw new ImportError('imports.error.cannotUndo', { status: batch.status });
  const removed = await repo.transaction(deps.db, async (trx) => {
    const merges = await repo.activeMergesOfBatch(trx, batchId);
    if (merges.length) throw new ImportError('imports.error.undoMerged', { count: merges.length, merges: mergeList(merges) });
    const counts = await repo.deleteBatchRecords(trx, batchId);
    await repo.updateBatch(trx, batchId, { status: 'undone', undone_at: now.toISOString(), undone_by: actor.id, updated_at: now.toISOString() });
    return counts;
  });
  await removeSpill(deps.dataDir, batchId);
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'import.undone',
      entityType: 'import_batch',
      entityId: batchId,
      before: { status: batch.status, organisations: batch.created_organisations, contacts: batch.created_contacts },
      after: { status: 'undone', removed_organisations: removed.organisations, removed_contacts: removed.contacts, file: batch.file_name, source: batch.source_name },
    },
    now,
  );
  return removed;
}
