import { findUserById } from '../../kernel/auth/repo.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { importDuplicateFinderFor, queueScanAfterImport } from '../duplicates/index.js';
import { COMMIT_JOB, VALIDATE_JOB, validateBatch } from './batches.js';
import { GEOCODE_FANOUT_JOB, ImportInterrupted, refreshStatistics, runCommit } from './commit.js';
import { ImportError } from './errors.js';
import * as repo from './repo.js';
import { releaseImportFiles } from './retention.js';
import type { DuplicateFinder, ImportActor, ImportDeps } from './types.js';
import { handOverToGeocoding } from './undo.js';

const RETENTION_JOB = 'imports.retention';
const VALIDATE_ATTEMPTS = 3;

let duplicateFinderFactory: ((deps: ImportDeps) => DuplicateFinder) | null = null;

/**
 * The seam the duplicates module plugs into: the validation of imports run as jobs then warns of
 * possible duplicates. (Direct callers pass `findDuplicates` to `validateBatch` instead.)
 */
export function provideDuplicateFinder(factory: ((deps: ImportDeps) => DuplicateFinder) | null): void {
  duplicateFinderFactory = factory;
}

let afterImport: ((deps: ImportDeps, batchId: string) => Promise<void>) | null = null;

/** The second seam: what runs once a batch is committed by a job (the duplicates module queues its full scan). */
export function provideAfterImport(hook: ((deps: ImportDeps, batchId: string) => Promise<void>) | null): void {
  afterImport = hook;
}

/**
 * The duplicates module's finder and full scan, plugged into the seams above: the web's jobs and
 * `maillage import` both use them. (The duplicates module never loads this one: `maillage dedupe`
 * stays light.)
 */
export function provideImportDuplicates(): void {
  provideDuplicateFinder(importDuplicateFinderFor);
  provideAfterImport(queueScanAfterImport);
}

/** The duplicate finder for one validation, when the duplicates module provided one. */
export function duplicateFinderFor(deps: ImportDeps): DuplicateFinder | undefined {
  return duplicateFinderFactory?.(deps);
}

export function importDeps(kernel: Pick<Kernel, 'db' | 'dbHandle' | 'clock' | 'config' | 'jobs'>): ImportDeps {
  return { db: kernel.db, dialect: kernel.dbHandle.dialect, sqlite: kernel.dbHandle.sqlite, clock: kernel.clock, dataDir: kernel.config.dataDir, jobs: kernel.jobs };
}

function batchIdOf(payload: unknown): string | null {
  const id = (payload as { batchId?: unknown } | null)?.batchId;
  return typeof id === 'string' ? id : null;
}

/**
 * The web runs imports as durable jobs: a crash or a restart runs the job again, which resumes
 * the batch from its checkpoint. A refusal worded for the user (ImportError) is recorded on the
 * batch and not retried; an interruption (worker stopping) is retried.
 */
export function defineImportJobs(jobs: Jobs, kernel: Kernel): void {
  provideImportDuplicates();
  const deps = importDeps(kernel);
  jobs.define<{ batchId: string }>({
    name: VALIDATE_JOB,
    maxAttempts: VALIDATE_ATTEMPTS,
    leaseSeconds: 120,
    async handler(payload, context) {
      const id = batchIdOf(payload);
      if (!id) return;
      // Only the validation the wizard asked for: a batch changed since (new mapping, undone, check
      // started again, taken by the command line) is left alone (see validateBatch's `run`).
      const started = await repo.findBatch(deps.db, id);
      if (started?.status !== 'validating') return;
      try {
        await validateBatch(deps, id, {
          run: started.run_started_at,
          findDuplicates: duplicateFinderFor(deps),
          // An unexpected failure before the last attempt: the batch stays `validating`, the job runs again.
          retryOn: (error) => !(error instanceof ImportError) && context.attempt < VALIDATE_ATTEMPTS,
        });
      } catch (error) {
        // A refusal worded for the user (no data row, headers changed…): the batch went back to its
        // mapping step, which shows why; not retried. The last attempt of an unexpected failure too, logged.
        if (!(error instanceof ImportError)) throw error;
      }
    },
  });
  jobs.define<{ batchId: string }>({
    name: COMMIT_JOB,
    maxAttempts: 10,
    leaseSeconds: 120,
    async handler(payload, context) {
      const id = batchIdOf(payload);
      if (!id) return;
      const batch = await repo.findBatch(deps.db, id);
      if (!batch) return;
      try {
        // The journal credits the person who started the import from the web, not the worker.
        const done = await runCommit(deps, await batchCreator(deps, batch), id, { signal: context.signal });
        await refreshStatistics(deps, done);
        await releaseImportFiles(deps);
        await afterImport?.(deps, id);
      } catch (error) {
        if (error instanceof ImportInterrupted || !(error instanceof ImportError)) throw error;
      }
    },
  });
  jobs.define<{ batchId: string; fromRow: number; toRow: number }>({
    name: GEOCODE_FANOUT_JOB,
    maxAttempts: 5,
    async handler(payload) {
      const id = batchIdOf(payload);
      if (!id) return;
      await handOverToGeocoding(deps, jobs, id, { fromRow: Number(payload.fromRow) || 0, toRow: Number(payload.toRow) || 0 });
    },
  });
  jobs.define({ name: RETENTION_JOB, handler: async () => void (await releaseImportFiles(deps)) });
  jobs.every(RETENTION_JOB, 24 * 3600);
}

/** Who a web import's commit is credited to: the person who started it (the job runs it for them). */
async function batchCreator(deps: ImportDeps, batch: Pick<repo.BatchRow, 'created_by'>): Promise<ImportActor> {
  if (!batch.created_by) return { id: null, email: null };
  const user = await findUserById(deps.db, batch.created_by);
  return { id: batch.created_by, email: user?.email ?? null };
}
