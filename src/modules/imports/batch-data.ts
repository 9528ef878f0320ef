import path from 'node:path';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { ImportError } from './errors.js';
import { parseMapping } from './mapping.js';
import type { BatchRow } from './repo.js';
import type { Detection, ImportMode, LegalBasisChoice, MappingDocument } from './types.js';

/** What a batch row stores as JSON, parsed. */
export interface BatchData {
  detection: Pick<Detection, 'format' | 'text' | 'headers' | 'sheet'>;
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

/** The batch's file on disk: an absolute path (command line) or a path under DATA_DIR/uploads (upload). */
export function batchFilePath(dataDir: string, batch: Pick<BatchRow, 'file_path'>): string {
  return path.isAbsolute(batch.file_path) ? batch.file_path : path.join(uploadsDir(dataDir), batch.file_path);
}

/**
 * Whether a batch wrote nothing, so may be deleted (undo is for a batch that wrote records): before
 * its commit, or failed before its first chunk (an « all or nothing » failure removes its chunks and
 * puts the checkpoint back to 0).
 */
export function deletable(batch: Pick<BatchRow, 'status' | 'checkpoint_row'>): boolean {
  return batch.status === 'draft' || batch.status === 'validated' || (batch.status === 'failed' && batch.checkpoint_row === 0);
}
