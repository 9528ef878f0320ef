import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { importBatchNamer } from './audit-names-repo.js';
import { defineImportJobs } from './jobs.js';
import { importBatchRoutes } from './routes-batch.js';
import { importMappingRoutes } from './routes-mapping.js';
import { importReadingRoutes } from './routes-reading.js';
import { importReportRoutes } from './routes-report.js';
import { importUploadRoutes } from './routes-upload.js';

// The import engine: read (CSV/XLSX, detected), map (guessed, saved), validate (report), commit
// (checkpointed chunks, resumable, idempotent), undo. The admin wizard drives it step by step:
// inspectFile → createBatch → (setBatchReading) → setBatchMapping → validateBatch / batchReportCsv →
// queueCommit → (job) runCommit, progressOf → undoBatch.
export * from './types.js';
export { ImportError, isImportError } from './errors.js';
export { IMPORT_MAX_BYTES, PREVIEW_ROWS, detectFile, dataRows, fileSha256 } from './read.js';
export { guessMapping, guessTarget } from './guess-mapping.js';
export { MappingSchema, parseMapping, checkMappingAgainst } from './mapping.js';
export { inspectFile, setBatchReading, type Inspection } from './batch-reading.js';
export {
  createBatch,
  setBatchMapping,
  validateBatch,
  queueCommit,
  batchReportCsv,
  sourceNameOf,
  saveMapping,
  findSavedMapping,
  listSavedMappings,
  findBatchOrFail,
  COMMIT_JOB,
  VALIDATE_JOB,
} from './batches.js';
export { runCommit, progressOf, ImportInterrupted, DEFAULT_CHUNK_ROWS, type CommitOptions } from './commit.js';
export { undoBatch } from './undo.js';
export { deleteBatch } from './delete.js';
export { legalBasisChoice } from './legal-basis.js';
export { provideDuplicateFinder, provideAfterImport, provideImportDuplicates, importDeps } from './jobs.js';
export { listBatches, findBatch, type BatchRow } from './repo.js';
export { runImportCommand, runUndoCommand, runListCommand } from './cli.js';

/** The import wizard (/admin/imports), a file a step: upload, file reading, mapping, report and commit, the batch's page. */
const routes: FastifyPluginAsync = async (app) => {
  await app.register(importUploadRoutes);
  await app.register(importReadingRoutes);
  await app.register(importMappingRoutes);
  await app.register(importReportRoutes);
  await app.register(importBatchRoutes);
};

export const importsModule: FeatureModule = {
  name: 'imports',
  jobs: defineImportJobs,
  routes,
  adminNav: [{ href: '/admin/imports', label: 'importWizard.nav' }],
  auditEntities: [importBatchNamer],
};
