import path from 'node:path';
import { storedJson } from '../../kernel/stored-json.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { ImportError } from './errors.js';
import { parseMapping } from './mapping.js';
import type { BatchRow } from './repo.js';
import type { Detection, ImportMode, LegalBasisChoice, MappingDocument } from './types.js';

/** What a batch row stores as JSON, parsed. */
export interface BatchData {
  detection: Pick<Detection, 'format' | 'text' | 'detectedText' | 'headers' | 'sheet'>;
  mapping: MappingDocument;
  mode: ImportMode;
  legalBasis: LegalBasisChoice;
}

export function parseBatch(batch: BatchRow): BatchData {
  if (!batch.mapping) throw new ImportError('imports.error.notValidated');
  const detection = JSON.parse(batch.detection) as BatchData['detection'];
  const legalBasis = batch.legal_basis ? (JSON.parse(batch.legal_basis) as LegalBasisChoice) : { basis: 'legitimate_interest' as const, detail: '' };
  return { detection, mapping: parseMapping(JSON.parse(batch.mapping)), mode: batch.mode === 'all-or-nothing' ? 'all-or-nothing' : 'valid-only', legalBasis };
}

/** What a batch stores of a detection: all but the preview rows (parseBatch reads it back). */
export function storedDetection(detection: Detection): string {
  const { preview: _preview, ...kept } = detection;
  return JSON.stringify(kept);
}

/** The batch's file on disk: an absolute path (command line) or a path under DATA_DIR/uploads (upload). */
export function batchFilePath(dataDir: string, batch: Pick<BatchRow, 'file_path'>): string {
  return path.isAbsolute(batch.file_path) ? batch.file_path : path.join(uploadsDir(dataDir), batch.file_path);
}

/**
 * Whether a batch wrote nothing, so may be deleted (undo is for a batch that wrote records): before
 * its commit, failed before its first chunk (an « all or nothing » failure removes its chunks and
 * puts the checkpoint back to 0), or committed without creating anything (a file imported again
 * from the same source: every row already imported, skipped).
 */
export function deletable(batch: Pick<BatchRow, 'status' | 'checkpoint_row' | 'created_organisations' | 'created_contacts'>): boolean {
  if (batch.status === 'committed') return batch.created_organisations === 0 && batch.created_contacts === 0;
  return batch.status === 'draft' || batch.status === 'validated' || (batch.status === 'failed' && batch.checkpoint_row === 0);
}

/** What an undo removed, from its journal entry (`import.undone`, its `after`); the batch's own counts when there is none. */
export function undoneCounts(batch: Pick<BatchRow, 'created_organisations' | 'created_contacts'>, journal: string | null | undefined): { organisations: number; contacts: number } {
  const stored = storedJson(journal ?? null);
  const after = (stored !== null && typeof stored === 'object' ? stored : {}) as { removed_organisations?: unknown; removed_contacts?: unknown };
  const count = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  return { organisations: count(after.removed_organisations, batch.created_organisations), contacts: count(after.removed_contacts, batch.created_contacts) };
}

/** Whether a batch's writing has begun (whatever became of it since): past the wizard's first three steps. */
export function batchStarted(batch: Pick<BatchRow, 'status'>): boolean {
  return !['draft', 'validating', 'validated'].includes(batch.status);
}

/** A commit that has not moved for this long is taken for dead (killed process): its batch may be undone. */
export const STALE_RUN_MS = 10 * 60_000;

/**
 * Why a batch cannot be undone now, or null when it can: the one rule of the wizard's button, its
 * routes and undoBatch (the command line's `import:undo` too). A batch is undone once its commit
 * wrote records or may still write some: committed; failed after its first chunk; queued (undoing
 * it stops its commit before it starts); running but taken for dead. A batch that wrote nothing
 * has nothing to undo: it is deleted instead (see `deletable`). A live commit is left to finish.
 */
export function undoRefusal(batch: Pick<BatchRow, 'status' | 'checkpoint_row' | 'progress_at' | 'created_organisations' | 'created_contacts'>, now: Date): ImportError | null {
  if (deletable(batch)) return new ImportError('imports.error.undoNothingWritten');
  switch (batch.status) {
    case 'committed':
    case 'failed':
    case 'queued':
      return null;
    case 'running':
      return staleRun(batch, now) ? null : new ImportError('imports.error.undoRunning', { minutes: STALE_RUN_MS / 60_000 });
    case 'undone':
      return new ImportError('imports.error.alreadyUndone');
    default:
      return new ImportError('imports.error.cannotUndo', { status: { key: `importWizard.status.${batch.status}` as MessageKey } });
  }
}

export function undoable(batch: Pick<BatchRow, 'status' | 'checkpoint_row' | 'progress_at' | 'created_organisations' | 'created_contacts'>, now: Date): boolean {
  return undoRefusal(batch, now) === null;
}

/** A commit run that stopped moving (its process was killed) and will not finish. */
export function staleRun(batch: Pick<BatchRow, 'status' | 'progress_at'>, now: Date): boolean {
  return batch.status === 'running' && (!batch.progress_at || now.getTime() - Date.parse(batch.progress_at) > STALE_RUN_MS);
}
