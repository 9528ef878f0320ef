import fs from 'node:fs';
import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import { geocodeKeyPrefix, type SearchTextMemo } from '../organisations/index.js';
import { auditBatch } from './batch-audit.js';
import { batchFilePath, parseBatch } from './batch-data.js';
import { withLargeWal } from './bulk-repo.js';
import { chunkRows, renewSlugs } from './chunk-rows.js';
import { loadContext, recordBuilder } from './context.js';
import { batchFailure, ImportError, NO_BATCH_FAILURE } from './errors.js';
import { dataRows, fileSha256 } from './read.js';
import { OrderedWrites } from './ordered-writes.js';
import * as repo from './repo.js';
import { openSpill, removeSpill, spillKey } from './spill.js';
import { IMPORT_HEAP_ALLOWANCE, type ImportActor, type ImportDeps, type ImportRecord } from './types.js';

export const GEOCODE_FANOUT_JOB = 'imports.geocode';
/** The fan-out job of one chunk of a batch (its keys share the batch's prefix: an undo cancels them). */
export const geocodeFanoutKeyPrefix = (batchId: string) => `import-geocode:${batchId}:`;
/** The geocoding job the fan-out queues for one imported organisation. */
export const importedGeocodeKey = (organisationId: string) => `${geocodeKeyPrefix(organisationId)}import`;
/**
 * Rows per transaction: a crash loses at most this many rows of work, never half of them. SQLite
 * copies every page a transaction changed into its write-ahead log at commit, and new rows land on
 * index pages all over each index (slugs, sort names): five chunks of 1,000 rows write those pages
 * five times, one chunk of 5,000 once (measured: ~10 % of the commit; +10 MB of peak memory).
 */
export const DEFAULT_CHUNK_ROWS = { sqlite: 5000, postgres: 1000 } as const;
/**
 * Unless a size is given, chunks are sized by the pace: the first of this many rows, then about a
 * second's worth of rows each (never fewer than this, never more than DEFAULT_CHUNK_ROWS), so that
 * the progress the wizard and the command line show moves at least every ~500 rows or every
 * second — a 5,000-row chunk was a 62.5 % leap on an 8,000-row file — while a fast import keeps
 * its large chunks (a chunk commits each second: a few more transactions than before, not more pages).
 */
export const MIN_CHUNK_ROWS = 500;
const CHUNK_SECONDS = 1;

/** The size of the next chunk: about CHUNK_SECONDS of rows at the pace so far, within [MIN_CHUNK_ROWS, max]. */
export function pacedChunkRows(rowsWritten: number, seconds: number, max: number): number {
  if (rowsWritten <= 0 || seconds <= 0) return Math.min(MIN_CHUNK_ROWS, max);
  return Math.max(Math.min(MIN_CHUNK_ROWS, max), Math.min(max, Math.round((rowsWritten / seconds) * CHUNK_SECONDS)));
}
/**
 * Chunks written at once on PostgreSQL: while the server writes one, it writes the next on another
 * connection (each commits after the one before it). SQLite has one writer: one at a time.
 */
const PARALLEL_CHUNKS = 2;
/** Statistics are refreshed after imports of this many organisations (the planner needs them at scale). */
const ANALYZE_AFTER = 5000;

export interface CommitOptions {
  /** Rows per transaction; by default, paced (see pacedChunkRows). */
  chunkRows?: number;
  /** Stops between two transactions (worker stopping, Ctrl-C): the batch resumes later from its checkpoint. */
  signal?: AbortSignal;
  onProgress?: (batch: repo.BatchRow) => void;
  /** Test seam: runs inside each transaction once its rows are written (a throw rolls the chunk back, as a crash would). */
  afterChunkWrite?: (chunkIndex: number) => void | Promise<void>;
  /** Another import is writing (PostgreSQL): this one waits for it to finish; told once. */
  onWait?: () => void;
}

export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
}

const RUNNABLE = new Set(['queued', 'running', 'failed']);

/** A unique-constraint failure on an organisation's slug (SQLite or PostgreSQL wording). */
function isSlugConflict(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { constraint?: string }).constraint ?? ''}` : '';
  return /UNIQUE constraint failed: organisations\.slug|organisations_slug|duplicate key value.*slug/i.test(text);
}

/**
 * Writes a validated batch: its rows in order, `chunkRows` rows per transaction, each transaction
 * also moving the batch's checkpoint and counts. A crash or kill leaves whole chunks only; run
 * again, it resumes after the checkpoint (same file, checked by its SHA-256), so nothing is written
 * twice. Rows already imported from the same source (same reference, another batch) are skipped.
 * In "all or nothing" mode a row in error stops the import and removes what it wrote.
 * On PostgreSQL it first waits for any other import to finish writing (see withImportWriteLock):
 * meanwhile the batch stays « queued », and it is read only once the wait is over.
 */
export async function runCommit(deps: ImportDeps, actor: ImportActor, batchId: string, options: CommitOptions = {}): Promise<repo.BatchRow> {
  const stop = () => {
    if (options.signal?.aborted) throw new ImportInterrupted('interrupted');
  };
  return repo.withImportWriteLock(deps.db, deps.sqlite ?? null, { onWait: options.onWait, stop }, () => commitBatch(deps, actor, batchId, options));
}

async function commitBatch(deps: ImportDeps, actor: ImportActor, batchId: string, options: CommitOptions): Promise<repo.BatchRow> {
  let batch = await repo.findBatch(deps.db, batchId);
  if (!batch) throw new ImportError('imports.error.batchNotFound', { id: batchId });
  if (batch.status === 'committed') return batch;
  if (!RUNNABLE.has(batch.status)) throw new ImportError('imports.error.cannotCommit', { status: batch.status });
  const data = parseBatch(batch);
  const file = batchFilePath(deps.dataDir, batch);
  const unusable = !fs.existsSync(file)
    ? new ImportError('imports.error.missingFile', { file: batch.file_name })
    : (await fileSha256(file)) !== batch.file_sha256
      ? new ImportError('imports.error.changedFile')
      : null;
  if (unusable) {
    // Said on the batch, so that the wizard shows why it stopped.
    await repo.updateBatch(deps.db, batchId, { status: 'failed', ...batchFailure(unusable), updated_at: deps.clock.now().toISOString() });
    throw unusable;
  }

  const context = await loadContext(deps.db);
  const start = deps.clock.now().toISOString();
  // Only from a runnable status: a batch undone since it was read is not started again.
  const started = await repo.updateBatchIn(deps.db, batchId, ['queued', 'running', 'failed'], {
    status: 'running',
    run_started_at: start,
    run_start_processed: batch.processed_rows,
    started_at: batch.started_at ?? start,
    progress_at: start,
    ...NO_BATCH_FAILURE,
    updated_at: start,
  });
  if (!started) throw new ImportError('imports.error.batchStopped');
  batch = (await repo.findBatch(deps.db, batchId))!;
  const maxChunk = DEFAULT_CHUNK_ROWS[deps.sqlite ? 'sqlite' : 'postgres'];
  let chunkSize = options.chunkRows ?? pacedChunkRows(0, 0, maxChunk);
  const pace = { started: performance.now(), rows: 0 };
  const slugs = await repo.usedSlugs(deps.db);
  const searchTextMemo: SearchTextMemo = new Map();
  let builder = recordBuilder(context, data.mapping, data.detection.headers, deps.clock.now());
  let pending: ImportRecord[] = [];
  const writes = new OrderedWrites(deps.sqlite ? 1 : PARALLEL_CHUNKS);
  let chunkIndex = 0;
  const heap = new HeapCeiling(IMPORT_HEAP_ALLOWANCE);

  const flush = async () => {
    if (!pending.length) return;
    const records = pending;
    pending = [];
    // This chunk is built while the previous one is written (on PostgreSQL, by the server meanwhile);
    // its rows then outlive the young generation of the heap, so the heap is kept down here.
    heap.check();
    const lastRow = records.at(-1)!.row;
    const valid = records.filter((r) => r.organisation);
    const errors = records.length - valid.length;
    if (errors && data.mode === 'all-or-nothing') {
      // The previous chunks' own failure (batch undone, another writer) comes first.
      await writes.drain();
      throw new ImportError('imports.error.allOrNothing', { count: errors });
    }
    const refs = valid.map((r) => r.sourceRef).filter((r): r is string => r !== null);
    const known = await repo.existingRefs(deps.db, batch!.source_name, refs, batchId);
    const fresh = valid.filter((r) => !r.sourceRef || !known.has(r.sourceRef));
    const now = deps.clock.now();
    // Only the rows stay referenced while the chunk is written, not the records they come from.
    const rows = chunkRows(fresh, {
      batchId,
      fileName: batch!.file_name,
      labels: context.labels,
      searchTextMemo,
      legalBasis: data.legalBasis,
      createdBy: batch!.created_by,
      now,
      slugs,
    });
    await writes.room();
    // The batch as the chunks before this one left it.
    const base = batch!;
    const from = base.checkpoint_row;
    const patch = {
      checkpoint_row: lastRow,
      processed_rows: base.processed_rows + records.length,
      created_organisations: base.created_organisations + rows.organisations.length,
      created_contacts: base.created_contacts + rows.contacts.length,
      skipped_rows: base.skipped_rows + (valid.length - fresh.length),
      rejected_rows: base.rejected_rows + errors,
      progress_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const index = chunkIndex++;
    const previous = writes.last;
    /** The chunk before failed: this one fails with it, and is not retried for that failure. */
    let previousFailed = false;
    /** When this chunk's write ended: the pace shown counts the writing, not only the reading. */
    let writtenAt = patch.progress_at;
    const write = () =>
      repo.transaction(deps.db, async (trx) => {
        await repo.insertChunk(trx, deps.sqlite ?? null, batchId, rows);
        // The checkpoint moves in order: the chunk before commits first (its failure rolls this one back).
        await previous?.committed.catch((error: unknown) => {
          previousFailed = true;
          throw error;
        });
        if (!(await repo.advanceCheckpoint(trx, batchId, from, patch))) {
          // Undone or cancelled meanwhile: nothing of this chunk is written and the run stops; else another process writes it.
          const current = await repo.findBatch(trx, batchId);
          throw new ImportError(current?.status === 'running' ? 'imports.error.concurrent' : 'imports.error.batchStopped');
        }
        await repo.finishChunk(trx, deps.sqlite ?? null, rows);
        // Queued with the rows it geocodes: a chunk written is a chunk geocoded, whatever fails later.
        if (deps.jobs && rows.organisations.length) {
          await deps.jobs.enqueue(GEOCODE_FANOUT_JOB, { batchId, fromRow: from, toRow: lastRow }, { idempotencyKey: `${geocodeFanoutKeyPrefix(batchId)}${lastRow}`, trx });
        }
        await options.afterChunkWrite?.(index);
        writtenAt = deps.clock.now().toISOString();
        await repo.updateBatch(trx, batchId, { progress_at: writtenAt });
      });
    const committed = (async () => {
      try {
        await write();
      } catch (error) {
        // Another writer (a person) took a slug since this run read them: read them again, give
        // the chunk's organisations free ones and write it once more (the failed transaction left nothing).
        if (previousFailed || !isSlugConflict(error)) throw error;
        for (const slug of await repo.usedSlugs(deps.db)) slugs.add(slug);
        renewSlugs(rows, slugs);
        await write();
      }
    })();
    const done = (async () => {
      await committed;
      // Progress in row order too.
      await previous?.done;
      // The next chunks are sized by the pace so far (unless a size was given).
      pace.rows += records.length;
      if (options.chunkRows === undefined) chunkSize = pacedChunkRows(pace.rows, (performance.now() - pace.started) / 1000, maxChunk);
      options.onProgress?.({ ...base, ...patch, progress_at: writtenAt });
    })();
    // Written while the next chunks are read.
    batch = { ...base, ...patch };
    writes.add({ committed, done });
  };

  const take = async (record: ImportRecord) => {
    if (record.row <= batch!.checkpoint_row) return;
    pending.push(record);
    if (pending.length >= chunkSize) {
      await flush();
      if (options.signal?.aborted) {
        await writes.drain();
        throw new ImportInterrupted('interrupted');
      }
    }
  };

  const readAndWrite = async () => {
    // The records as the validation built them, when they still hold (see spill.ts); else the file again.
    const spilled = await openSpill(deps.dataDir, batchId, spillKey(batch!, context.codes, deps.clock.now()));
    if (spilled) {
      for await (const records of spilled) for (const record of records) await take(record);
    } else {
      const rows = dataRows(file, data.detection, undefined, (headers) => {
        builder = recordBuilder(context, data.mapping, headers, deps.clock.now());
      });
      for await (const read of rows) for (const row of read) await take(builder.build(row));
    }
    await flush();
    await writes.drain();
  };

  try {
    await withLargeWal(deps.sqlite, readAndWrite);
  } catch (error) {
    // Chunks still being written settle first (their own failure, if any, changes nothing here).
    await writes.settle();
    // A batch undone or cancelled while it was written keeps that status.
    if (error instanceof ImportError && error.key === 'imports.error.batchStopped') throw error;
    // Only a refusal worded for the user is shown as it is; anything else is logged by the caller.
    const failure = batchFailure(error instanceof ImportError ? error : new ImportError(error instanceof ImportInterrupted ? 'imports.error.interrupted' : 'imports.error.unexpectedCommit'));
    const at = deps.clock.now().toISOString();
    if (error instanceof ImportError && error.key === 'imports.error.allOrNothing') {
      // Nothing stays of an all-or-nothing import that met an error.
      await repo.transaction(deps.db, async (trx) => {
        await repo.deleteBatchRecords(trx, batchId);
        await repo.updateBatchIn(trx, batchId, ['running'], { status: 'failed', ...failure, checkpoint_row: 0, processed_rows: 0, created_organisations: 0, created_contacts: 0, updated_at: at });
      });
    } else {
      await repo.updateBatchIn(deps.db, batchId, ['running'], { status: 'failed', ...failure, updated_at: at });
    }
    throw error;
  }

  const end = deps.clock.now();
  await removeSpill(deps.dataDir, batchId);
  const finished = await repo.updateBatchIn(deps.db, batchId, ['running'], { status: 'committed', finished_at: end.toISOString(), progress_at: end.toISOString(), updated_at: end.toISOString() });
  if (!finished) throw new ImportError('imports.error.batchStopped');
  const done = (await repo.findBatch(deps.db, batchId))!;
  await auditBatch(
    deps,
    actor,
    batchId,
    'import.committed',
    {
      after: {
        file: done.file_name,
        source: done.source_name,
        sha256: done.file_sha256,
        mode: done.mode,
        rows: done.processed_rows,
        organisations: done.created_organisations,
        contacts: done.created_contacts,
        skipped: done.skipped_rows,
        rejected: done.rejected_rows,
      },
    },
    end,
  );
  return done;
}

/**
 * After a large import, the planner's statistics (SQLite never renews them by itself; PostgreSQL's
 * autovacuum may be off). Run once the batch is committed, its records already in the base and
 * its progress done: ~0.6 s for 27,000 organisations on PostgreSQL.
 */
export async function refreshStatistics(deps: Pick<ImportDeps, 'db'>, batch: Pick<repo.BatchRow, 'created_organisations'>): Promise<boolean> {
  if (batch.created_organisations < ANALYZE_AFTER) return false;
  await repo.analyze(deps.db);
  return true;
}

/** Percentage, rows per second and time left of a batch, from its row (a page reload reads it again). */
export function progressOf(batch: Pick<repo.BatchRow, 'status' | 'total_rows' | 'processed_rows' | 'run_start_processed' | 'run_started_at' | 'progress_at'>) {
  const total = batch.total_rows;
  const done = batch.status === 'committed' ? total : batch.processed_rows;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 1000) / 10) : 0;
  const seconds = batch.run_started_at && batch.progress_at ? (Date.parse(batch.progress_at) - Date.parse(batch.run_started_at)) / 1000 : 0;
  const runRows = batch.processed_rows - batch.run_start_processed;
  const rowsPerSecond = seconds > 0 && runRows > 0 ? runRows / seconds : null;
  const etaSeconds = rowsPerSecond && batch.status !== 'committed' ? Math.max(0, (total - done) / rowsPerSecond) : batch.status === 'committed' ? 0 : null;
  return { total, done, percent, rowsPerSecond, etaSeconds };
}
