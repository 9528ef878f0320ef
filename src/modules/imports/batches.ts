import path from 'node:path';
import { newId } from '../../kernel/ids.js';
import { batchFilePath, parseBatch, storedDetection } from './batch-data.js';
import type { Inspection } from './batch-reading.js';
import { loadContext } from './context.js';
import { batchFailure, ImportError, NO_BATCH_FAILURE } from './errors.js';
import { checkMappingAgainst, parseMapping } from './mapping.js';
import { type ReportLine, reportCsvLines } from './report.js';
import { storedIssueParams } from './issue-text.js';
import * as repo from './repo.js';
import { SpillWriter, spillKey } from './spill.js';
import type { Detection, DuplicateFinder, ImportActor, ImportDeps, ImportMode, LegalBasisChoice, MappingDocument, ValidationSummary } from './types.js';
import { validateFile } from './validate.js';

export const COMMIT_JOB = 'imports.commit';
export const VALIDATE_JOB = 'imports.validate';
/** How often a validation records how far it has read (the wizard's progress). */
const VALIDATION_PROGRESS_MS = 1000;
/** A validation that has not moved for this long is taken for dead (killed worker): its mapping may be changed again. */
const STALE_VALIDATION_MS = 10 * 60_000;

/** A default source name from a file name: "capcoop_export_2016.csv" → "capcoop_export_2016". */
export function sourceNameOf(fileName: string): string {
  return (
    path
      .basename(fileName)
      .replace(/\.[^.]+$/, '')
      .replace(/[^\p{L}\p{N} ._-]+/gu, '_')
      .slice(0, 80) || 'import'
  );
}

export function checkSourceName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,80}$/u.test(trimmed)) throw new ImportError('imports.error.sourceName');
  return trimmed;
}

/** A new batch for an inspected file (status draft): the wizard's later steps and the CLI work on it. */
export async function createBatch(
  deps: ImportDeps,
  actor: ImportActor,
  input: { filePath: string; fileName: string; sourceName: string; fileId?: string | null; inspection: Inspection; mapping?: MappingDocument },
): Promise<repo.BatchRow> {
  const now = deps.clock.now().toISOString();
  const id = newId(deps.clock.now().getTime());
  await repo.insertBatch(deps.db, {
    id,
    source_name: checkSourceName(input.sourceName),
    file_name: input.fileName.slice(0, 255),
    file_path: input.filePath,
    file_id: input.fileId ?? null,
    file_sha256: input.inspection.sha256,
    file_size: input.inspection.size,
    detection: storedDetection(input.inspection.detection),
    mapping: JSON.stringify(input.mapping ?? input.inspection.guessed),
    mode: 'valid-only',
    legal_basis: null,
    status: 'draft',
    validated_at: null,
    run_started_at: null,
    started_at: null,
    progress_at: null,
    finished_at: null,
    error: null,
    undone_at: null,
    undone_by: null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  });
  return (await repo.findBatch(deps.db, id))!;
}

async function batchOrFail(deps: Pick<ImportDeps, 'db'>, id: string): Promise<repo.BatchRow> {
  const batch = await repo.findBatch(deps.db, id);
  if (!batch) throw new ImportError('imports.error.batchNotFound', { id });
  return batch;
}

/** A validation job that stopped moving (its worker was killed) and will not finish. */
export function isStaleValidation(batch: Pick<repo.BatchRow, 'status' | 'progress_at' | 'updated_at'>, now: Date): boolean {
  return batch.status === 'validating' && now.getTime() - Date.parse(batch.progress_at ?? batch.updated_at) > STALE_VALIDATION_MS;
}

/**
 * The `updated_at` of a write to a batch read at `read`: now, but always later than `read` (a clock
 * that did not move, two writes in the same millisecond), so that whoever read the batch before
 * sees it changed: two writers of the same reading never both go through (updateBatchUnchanged).
 */
export function nextUpdatedAt(read: string, now: Date): string {
  const readAt = Date.parse(read);
  return (now.getTime() > readAt ? now : new Date(readAt + 1)).toISOString();
}

/** Whether the mapping of a batch may change: before its commit, and not while a live validation reads it. */
export function mappingEditable(batch: Pick<repo.BatchRow, 'status' | 'progress_at' | 'updated_at'>, now: Date): boolean {
  return batch.status === 'draft' || batch.status === 'validated' || isStaleValidation(batch, now);
}

/**
 * Step 2 (mapping): replaces the batch's mapping; the report must be made again. Written only if
 * nobody wrote to the batch since it was read here (a validation started, another reading saved).
 */
export async function setBatchMapping(deps: ImportDeps, batchId: string, mapping: unknown): Promise<MappingDocument> {
  const batch = await batchOrFail(deps, batchId);
  if (!mappingEditable(batch, deps.clock.now())) throw new ImportError('imports.error.cannotCommit', { status: batch.status });
  const parsed = parseMapping(mapping);
  checkMappingAgainst(parsed, (JSON.parse(batch.detection) as Detection).headers);
  const written = await repo.updateBatchUnchanged(deps.db, batch, { mapping: JSON.stringify(parsed), status: 'draft', ...NO_BATCH_FAILURE, updated_at: nextUpdatedAt(batch.updated_at, deps.clock.now()) });
  if (!written) throw new ImportError('imports.error.batchChanged');
  return parsed;
}

/**
 * Step 3, in the wizard: the batch is marked `validating` and a job validates it (validateBatch),
 * so that a large file holds no request open; the wizard shows its progress until the report.
 */
export async function startValidation(deps: ImportDeps, batchId: string): Promise<repo.BatchRow> {
  const batch = await batchOrFail(deps, batchId);
  const now = deps.clock.now();
  if (!mappingEditable(batch, now)) throw new ImportError('imports.error.cannotCommit', { status: batch.status });
  if (!deps.jobs) throw new Error('startValidation needs the jobs service');
  const at = nextUpdatedAt(batch.updated_at, now);
  // One validation at a time: none started (nor reading or mapping saved) since the batch was read here.
  const started = await repo.updateBatchUnchanged(deps.db, batch, { status: 'validating', processed_rows: 0, run_started_at: at, progress_at: at, ...NO_BATCH_FAILURE, updated_at: at });
  if (!started) throw new ImportError('imports.error.batchChanged');
  await deps.jobs.enqueue(VALIDATE_JOB, { batchId }, { idempotencyKey: `import-validate:${batchId}:${at}` });
  return (await repo.findBatch(deps.db, batchId))!;
}

/** A validation whose batch changed meanwhile (see validateBatch): stopped, nothing more written. */
class Superseded extends Error {}

const NOTHING_VALIDATED: ValidationSummary = { totalRows: 0, validRows: 0, errorRows: 0, warningRows: 0, byKey: {}, duplicateRows: 0 };

/** Statuses a batch is validated from (a commit that failed before writing anything is checked again). */
function validatable(batch: Pick<repo.BatchRow, 'status' | 'checkpoint_row'>): boolean {
  return ['draft', 'validating', 'validated'].includes(batch.status) || (batch.status === 'failed' && batch.checkpoint_row === 0);
}

/**
 * Step 3 (validation report): reads the whole file with the batch's mapping, stores each row's
 * errors and warnings (replacing an earlier report) and the counts. Writes nothing to the base.
 * The rows read so far are recorded on the batch about every second (the wizard's progress).
 *
 * One validation per batch at a time, whoever runs it (the wizard's job, a worker that took that
 * job over, `maillage import`): a validation first claims the batch, in one transaction that marks
 * it `validating` for this run only if nobody wrote to it since it was read, and clears its report
 * (repo.claimValidation). A later claim (or a reading or mapping saved meanwhile) takes the batch
 * from it: it stops at its next chunk and writes neither its report nor its counts (each chunk of
 * report lines goes in only if the batch is still as this validation last wrote it at that very
 * moment: see repo.insertIssuesUnchanged), and whatever it wrote before was cleared by that claim.
 * So the stored report is one validation's, each issue listed once, whatever the interleaving.
 *
 * A validation whose batch was taken is dropped quietly (an empty summary is returned, the newer
 * change stands), or refused with `refuseIfReplaced` (the command line: it says so, and commits
 * nothing). Two validations claiming the same reading of the batch: one goes on, the other is
 * refused (`imports.error.batchChanged`) or, for the job, dropped quietly.
 *
 * A failure sends the batch back to its mapping step with the reason (the wizard shows it), unless
 * `retryOn` keeps it `validating` for another attempt.
 */
export async function validateBatch(
  deps: ImportDeps,
  batchId: string,
  options: {
    findDuplicates?: DuplicateFinder;
    onLines?: (lines: ReportLine[]) => Promise<void>;
    onProgress?: (rows: number) => void;
    /** Called just before each chunk of report lines is written (tests: the batch changed at that very moment). */
    beforeLinesWrite?: () => Promise<void>;
    /**
     * The job: the run startValidation began (the batch's `run_started_at`). The batch is validated
     * only while it is in that run; otherwise (mapping saved, check started again, taken by the
     * command line) it is left alone. Without it, a batch in any state that can be validated is.
     */
    run?: string | null;
    /** A validation taken over by another one meanwhile is refused (ImportError) instead of dropped quietly. */
    refuseIfReplaced?: boolean;
    /** An error on which the batch stays as it is (`validating`), for another attempt of the job. */
    retryOn?: (error: unknown) => boolean;
  } = {},
): Promise<ValidationSummary> {
  const replaced = (): ValidationSummary => {
    if (options.refuseIfReplaced) throw new ImportError('imports.error.validationReplaced');
    return { ...NOTHING_VALIDATED, byKey: {} };
  };
  const batch = await batchOrFail(deps, batchId);
  if (options.run !== undefined) {
    if (batch.status !== 'validating' || batch.run_started_at !== options.run) return replaced();
  } else if (!validatable(batch)) {
    throw new ImportError('imports.error.cannotCommit', { status: batch.status });
  }
  const { detection, mapping } = parseBatch(batch);
  const claimedAt = nextUpdatedAt(batch.updated_at, deps.clock.now());
  const claimed = await repo.claimValidation(deps.db, batch, {
    status: 'validating',
    processed_rows: 0,
    // The job goes on with the run the wizard started (its progress, its pace); any other caller starts one.
    run_started_at: options.run !== undefined ? options.run : claimedAt,
    progress_at: claimedAt,
    ...NO_BATCH_FAILURE,
    updated_at: claimedAt,
  });
  if (!claimed) {
    // Another validation claimed the same reading of the batch first (or it was changed meanwhile).
    if (options.run !== undefined) return replaced();
    throw new ImportError('imports.error.batchChanged');
  }
  // The batch as this validation last wrote it: anything else wrote to it meanwhile.
  const ours = { id: batchId, status: 'validating' as const, updated_at: claimedAt };
  const stillOurs = async () => {
    const current = await repo.findBatch(deps.db, batchId);
    return current?.status === ours.status && current.updated_at === ours.updated_at;
  };
  const validatedAt = deps.clock.now();
  let spill: SpillWriter | undefined;
  let summary: ValidationSummary;
  let read = 0;
  let recordedAt = Date.now();
  const recordProgress = async (count: number) => {
    read += count;
    if (Date.now() - recordedAt < VALIDATION_PROGRESS_MS) return;
    recordedAt = Date.now();
    const at = nextUpdatedAt(ours.updated_at, deps.clock.now());
    if (!(await repo.updateBatchUnchanged(deps.db, ours, { processed_rows: read, progress_at: at, updated_at: at }))) throw new Superseded();
    ours.updated_at = at;
  };
  try {
    const context = await loadContext(deps.db);
    // The records as validated, for the commit (see spill.ts).
    const writer = (spill = await SpillWriter.open(deps.dataDir, batchId, spillKey(batch, context.codes, validatedAt)));
    summary = await validateFile(
      { file: batchFilePath(deps.dataDir, batch), detection, mapping, context, now: validatedAt },
      {
        onRecords: async (records) => {
          await writer.write(records);
          await recordProgress(records.length);
        },
        findDuplicates: options.findDuplicates,
        onProgress: options.onProgress,
        onLines: async (lines) => {
          const rows = lines.map((l) => ({
            batch_id: batchId,
            row_number: l.row,
            source_ref: l.ref,
            level: l.level,
            field: l.field,
            code: l.key,
            params: l.params ? JSON.stringify(l.params) : null,
            raw_value: l.raw ? l.raw.slice(0, 1000) : null,
          }));
          await options.beforeLinesWrite?.();
          // Checked and written in one statement: no change to the batch can slip in between.
          if (!(await repo.insertIssuesUnchanged(deps.db, deps.dialect, ours, rows))) throw new Superseded();
          await options.onLines?.(lines);
        },
      },
    );
    if (!(await stillOurs())) throw new Superseded();
    await writer.finish();
  } catch (error) {
    await spill?.abort();
    if (error instanceof Superseded) return replaced();
    if (!options.retryOn?.(error)) {
      // Back to its mapping step, which says why; only this validation's batch (not one taken since).
      const failure = batchFailure(error instanceof ImportError ? error : new ImportError('imports.error.unexpectedValidation'));
      await repo.updateBatchUnchanged(deps.db, ours, { status: 'draft', ...failure, processed_rows: 0, updated_at: nextUpdatedAt(ours.updated_at, deps.clock.now()) });
    }
    throw error;
  }
  const now = nextUpdatedAt(ours.updated_at, deps.clock.now());
  // Still the batch it claimed (see above); otherwise the newer change stands, and this report is not it.
  const done = await repo.updateBatchUnchanged(deps.db, ours, {
    status: 'validated',
    total_rows: summary.totalRows,
    valid_rows: summary.validRows,
    error_rows: summary.errorRows,
    warning_rows: summary.warningRows,
    duplicate_rows: summary.duplicateRows,
    processed_rows: 0,
    validated_at: now,
    progress_at: now,
    ...NO_BATCH_FAILURE,
    updated_at: now,
  });
  return done ? summary : replaced();
}

/**
 * Step 4 (commit): records the user's choices (mode, legal basis of the contacts) and queues the
 * batch. Refused in "all or nothing" mode when rows have errors. `inline`: the caller runs
 * `runCommit` itself (command line); otherwise a durable job does.
 */
export async function queueCommit(
  deps: ImportDeps,
  batchId: string,
  choice: { mode: ImportMode; legalBasis: LegalBasisChoice; inline?: boolean },
): Promise<repo.BatchRow> {
  const batch = await batchOrFail(deps, batchId);
  if (batch.status !== 'validated') throw new ImportError(batch.status === 'draft' ? 'imports.error.notValidated' : 'imports.error.cannotCommit', { status: batch.status });
  if (choice.mode === 'all-or-nothing' && batch.error_rows > 0) throw new ImportError('imports.error.allOrNothing', { count: batch.error_rows });
  const now = deps.clock.now().toISOString();
  await repo.updateBatch(deps.db, batchId, {
    mode: choice.mode,
    legal_basis: JSON.stringify(choice.legalBasis),
    status: 'queued',
    checkpoint_row: 0,
    processed_rows: 0,
    created_organisations: 0,
    created_contacts: 0,
    skipped_rows: 0,
    rejected_rows: 0,
    updated_at: now,
  });
  if (!choice.inline) await deps.jobs?.enqueue(COMMIT_JOB, { batchId }, { idempotencyKey: `import-commit:${batchId}:${now}` });
  return (await repo.findBatch(deps.db, batchId))!;
}

/** The stored validation report as CSV text, page by page (UTF-8 BOM first, `;`, French). */
export async function* batchReportCsv(deps: Pick<ImportDeps, 'db'>, batchId: string, level?: 'error' | 'warning'): AsyncGenerator<string> {
  await batchOrFail(deps, batchId);
  yield `\uFEFF${reportCsvLines([], true)}`;
  let after = 0;
  for (;;) {
    const page = await repo.issuesPage(deps.db, batchId, after, 2000, level);
    if (!page.length) return;
    // A row's issues never straddle two pages: the last row of a full page is read again next time.
    const lastRow = page.at(-1)!.row_number;
    const complete = page.length < 2000 ? page : page.filter((i) => i.row_number < lastRow);
    const rows = complete.length ? complete : page;
    yield reportCsvLines(
      rows.map((i) => ({
        row: i.row_number,
        ref: i.source_ref,
        level: i.level as ReportLine['level'],
        field: i.field,
        key: i.code as ReportLine['key'],
        params: storedIssueParams(i.params),
        raw: i.raw_value,
      })),
      false,
    );
    after = rows.at(-1)!.row_number;
    if (page.length < 2000) return;
  }
}

// ---------- Saved mappings ----------

/** A saved mapping's name, trimmed; `mappingName` refused when empty or over 100 characters. */
export function mappingNameOf(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw new ImportError('imports.error.mappingName');
  return trimmed;
}

export async function saveMapping(deps: Pick<ImportDeps, 'db' | 'clock'>, actor: ImportActor, name: string, mapping: unknown): Promise<void> {
  const trimmed = mappingNameOf(name);
  const parsed = parseMapping(mapping);
  const now = deps.clock.now().toISOString();
  await repo.upsertMapping(deps.db, { id: newId(), name: trimmed, mapping: JSON.stringify(parsed), created_by: actor.id, created_at: now, updated_at: now });
}

export async function findSavedMapping(deps: Pick<ImportDeps, 'db'>, name: string): Promise<MappingDocument | undefined> {
  const row = await repo.findMappingByName(deps.db, name.trim());
  return row ? parseMapping(JSON.parse(row.mapping)) : undefined;
}

export async function listSavedMappings(deps: Pick<ImportDeps, 'db'>): Promise<{ name: string; updatedAt: string; mapping: MappingDocument }[]> {
  return (await repo.listMappings(deps.db)).map((r) => ({ name: r.name, updatedAt: r.updated_at, mapping: parseMapping(JSON.parse(r.mapping)) }));
}

export { batchOrFail as findBatchOrFail };
