import { recordAudit } from '../../kernel/audit/index.js';
import type { ImportActor, ImportDeps } from './types.js';

/** What happened to a batch, as the journal names it. */
type BatchAction = 'import.committed' | 'import.undone' | 'import.deleted';

/** A batch's step in the journal (entity `import_batch`), with its state before and/or after. */
export function auditBatch(deps: Pick<ImportDeps, 'db'>, actor: ImportActor, batchId: string, action: BatchAction, change: { before?: unknown; after?: unknown }, at: Date): Promise<void> {
  return recordAudit(deps.db, actor, { action, entityType: 'import_batch', entityId: batchId, ...change }, at);
}
