// How a batch reads its file: what the upload finds in it (inspectFile), and the encoding, separator
// or quotes a person chooses over the detected ones on the wizard's file step (setBatchReading).
import { batchFilePath, parseBatch, storedDetection } from './batch-data.js';
import { mappingEditable } from './batches.js';
import { loadContext } from './context.js';
import { ImportError, NO_BATCH_FAILURE } from './errors.js';
import { guessMapping } from './guess-mapping.js';
import { parseMapping } from './mapping.js';
import { dataRows, detectFile, fileSha256, sameReading } from './read.js';
import * as repo from './repo.js';
import type { Detection, ImportDeps, MappingDocument, ReadingChoice } from './types.js';

/** Rows read to guess the mapping (separators, kinds, membership values). */
const GUESS_SAMPLE_ROWS = 200;
/**
 * Visibility of the imported organisations when nobody chose: public, as in the predecessor
 * networks' directories they come from (docs/decisions/0013-imported-organisations-public-by-default.md).
 */
export const DEFAULT_IMPORT_VISIBILITY: NonNullable<MappingDocument['visibility']> = 'public';

export interface Inspection {
  sha256: string;
  size: number;
  detection: Detection;
  /** The mapping guessed from the headers and the first rows. */
  guessed: MappingDocument;
}

/**
 * Step 1 (upload): what the file is, its first rows and a first mapping. Writes nothing. `choice`:
 * the encoding, separator or quote given by a person over the detected ones (command line).
 */
export async function inspectFile(deps: Pick<ImportDeps, 'db'>, file: string, size: number, choice: ReadingChoice = {}): Promise<Inspection> {
  const detection = await detectFile(file, undefined, choice);
  const guessed = await guessFor(deps, file, detection);
  return { sha256: await fileSha256(file), size, detection, guessed: { ...guessed, visibility: DEFAULT_IMPORT_VISIBILITY } };
}

/** The mapping guessed from the headers and the first rows of a file, read as `detection` says. */
async function guessFor(deps: Pick<ImportDeps, 'db'>, file: string, detection: Detection): Promise<MappingDocument> {
  const sample: string[][] = [];
  for await (const rows of dataRows(file, detection)) {
    for (const row of rows.slice(0, GUESS_SAMPLE_ROWS - sample.length)) sample.push(row.values);
    if (sample.length >= GUESS_SAMPLE_ROWS) break;
  }
  const context = await loadContext(deps.db);
  return guessMapping(detection.headers, sample, context.vocabulary);
}

/**
 * Step 1 (file), in the wizard: the file read with the encoding, separator or quote a person chose
 * over the detected ones (refused when the file no longer reads, see detectFile). The batch keeps
 * that reading, so the preview, the mapping step, the validation and the commit read the file the
 * same way; its report must be made again. Its mapping stays when the columns do, and is guessed
 * again otherwise (its visibility kept): `columnsChanged`. `changed`: false when the batch read the
 * file so already (nothing written).
 *
 * `batch` is the row as read before (the wizard's route has it). The file is read in between, so
 * the reading is written only if nobody wrote to the batch since: a validation started meanwhile,
 * or another reading or mapping saved meanwhile, is kept, and this one refused (imports.error.batchChanged).
 */
export async function setBatchReading(deps: ImportDeps, batch: repo.BatchRow, choice: ReadingChoice): Promise<{ changed: boolean; columnsChanged: boolean; detection: Detection }> {
  if (!mappingEditable(batch, deps.clock.now())) throw new ImportError('imports.error.cannotCommit', { status: batch.status });
  const { detection: stored, mapping } = parseBatch(batch);
  if (stored.format !== 'csv') throw new ImportError('imports.error.readingXlsx');
  const file = batchFilePath(deps.dataDir, batch);
  const detection = await detectFile(file, undefined, choice);
  if (stored.text && sameReading(stored.text, detection.text!)) return { changed: false, columnsChanged: false, detection };
  const sameColumns = detection.headers.length === stored.headers.length && detection.headers.every((h, i) => h === stored.headers[i]);
  const next = sameColumns ? mapping : { ...(await guessFor(deps, file, detection)), visibility: mapping.visibility ?? DEFAULT_IMPORT_VISIBILITY };
  const now = deps.clock.now().toISOString();
  const patch = { detection: storedDetection(detection), mapping: JSON.stringify(parseMapping(next)), status: 'draft' as const, ...NO_BATCH_FAILURE, updated_at: now };
  if (!(await repo.updateBatchUnchanged(deps.db, batch, patch))) throw new ImportError('imports.error.batchChanged');
  return { changed: true, columnsChanged: !sameColumns, detection };
}

