import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { UploadedFile } from '../../kernel/files/uploads.js';
import { newId } from '../../kernel/ids.js';
import { type DocumentDeps, type DocumentRefusal, removeStoredFiles, storeCallDocument } from './documents.js';
import * as repo from './repo.js';

export type AttachOutcome = { added: string[]; refused: Array<{ name: string; reason: DocumentRefusal }> };

/**
 * Attaches uploaded documents to a call, each checked by content and size (documents.ts); the
 * refused ones are named back. `title` (optional) names a single document; otherwise its file name does.
 */
export async function attachDocuments(deps: DocumentDeps, actor: AuditActor, callId: string, uploads: UploadedFile[], title: string | null): Promise<AttachOutcome> {
  const outcome: AttachOutcome = { added: [], refused: [] };
  let position = await repo.nextDocumentPosition(deps.db, callId);
  for (const upload of uploads) {
    const stored = await storeCallDocument(deps, upload, actor.id);
    if (!stored.ok) {
      outcome.refused.push({ name: stored.name, reason: stored.reason });
      continue;
    }
    const id = newId();
    const shown = (uploads.length === 1 && title ? title : stored.name.replace(/\.[a-z0-9]{2,5}$/i, '')).replace(/\s+/g, ' ').trim().slice(0, 200) || 'Document';
    await repo.insertDocument(deps.db, { id, call_id: callId, file_id: stored.fileId, title: shown, position: position++, created_at: deps.clock.now().toISOString() });
    await recordAudit(deps.db, actor, { action: 'call.document_added', entityType: 'call', entityId: callId, after: { document: id, title: shown, file: stored.name } }, deps.clock.now());
    outcome.added.push(shown);
  }
  return outcome;
}

/** Removes one document of a call (and its file); false when the call has no such document. */
export async function removeDocument(deps: DocumentDeps, actor: AuditActor, callId: string, documentId: string): Promise<boolean> {
  const removed = await repo.deleteDocument(deps.db, callId, documentId);
  if (!removed) return false;
  await removeStoredFiles(deps.config.dataDir, [removed]);
  await recordAudit(deps.db, actor, { action: 'call.document_removed', entityType: 'call', entityId: callId, before: { document: documentId, title: removed.title } }, deps.clock.now());
  return true;
}
