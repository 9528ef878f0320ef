import type { FeatureModule } from '../../kernel/module.js';
import type { DuplicateFinder, ImportDeps, ImportRecord } from '../imports/index.js';
import { autoMerger, requesterOf, type ScanJobPayload } from './auto-merge.js';
import { scanDuplicates } from './scan.js';
import { DUPLICATE_SCAN_JOB } from './scan-state.js';

export { type DedupeRecord, type OrganisationLike, dedupeRecordFromOrganisation, identifiersOf, departmentOfPostcode } from './record.js';
export { normaliseName, normaliseAcronym, nameInitials, acronymMatchesName, NAME_ABBREVIATIONS, type NormalisedName } from './normalise-name.js';
export { emailKey, emailDomain, websiteHost, phoneKey, isWebmail, WEBMAIL_DOMAINS } from './normalise-contact.js';
export { prepareRecord, type PreparedRecord } from './prepare.js';
export { TokenStats } from './token-stats.js';
export { nameSimilarity } from './name-similarity.js';
export { blockingKeys, forEachCandidatePair, DEFAULT_BLOCKING, type BlockingOptions } from './blocking.js';
export { compareRecords, type Comparison } from './score.js';
export { type Reason, type ReasonCode, describeReason, describeReasons, IDENTIFIER_REASONS } from './reasons.js';
export { EVIDENCE_WEIGHTS, evidenceOf, NAME_CURVE, scoreOf, type EvidenceWeights } from './weights.js';
export { DEFAULT_DEDUPE_OPTIONS, dedupeOptions, type DedupeOptions } from './options.js';
export { detectDuplicates, prepareAll, type CandidatePair, type DetectionResult } from './detect.js';
export { evaluatePairs, baselinePairs, simpleNormalisedName, type Evaluation, type RefPair } from './evaluate.js';
export { scanDuplicates, readAllRecords, type ScanDeps, type ScanOptions, type ScanPair, type ScanResult } from './scan.js';
export { reportCsv, writeReport, REPORT_COLUMNS } from './report.js';
export { findLikelyDuplicates, forgetDraftStats, type LikelyMatch } from './match-draft.js';
export { runDedupeCommand, type DedupeCommandOptions } from './command.js';
export { pairsByStatus, countPairs, findPair, setPairStatus, type CandidateRow } from './repo.js';
export { DUPLICATE_SCAN_JOB, scanState, type ScanState, type LastScan, type PendingScan } from './scan-state.js';
export type { ScanJobPayload } from './auto-merge.js';


/**
 * What an import's validation uses to warn of possible duplicates (against the base and the file's
 * earlier rows); the base is read once per validation, when its first chunk arrives. The finder is
 * loaded then too: `maillage dedupe` loads this module without the directory it reads.
 */
export function importDuplicateFinderFor(deps: Pick<ImportDeps, 'db'>): DuplicateFinder {
  let finder: Promise<DuplicateFinder> | null = null;
  const ready = () => (finder ??= import('./import-finder.js').then((m) => m.importDuplicateFinder(deps.db)));
  return Object.assign(async (records: ImportRecord[]) => (await ready())(records), { batchRows: async () => (await (await ready()).batchRows?.()) ?? 0 });
}

/** Once a batch is written, the full scan finds every pair (in the file and against the base). */
export async function queueScanAfterImport(deps: Pick<ImportDeps, 'jobs'>, batchId: string): Promise<void> {
  await deps.jobs?.enqueue(DUPLICATE_SCAN_JOB, {}, { idempotencyKey: `${DUPLICATE_SCAN_JOB}:import:${batchId}` });
}

export const duplicatesModule: FeatureModule = {
  name: 'duplicates',
  jobs(jobs, kernel) {
    jobs.define<ScanJobPayload>({
      name: DUPLICATE_SCAN_JOB,
      // One scan of 50,000 organisations takes seconds; the heartbeat keeps the lease meanwhile.
      leaseSeconds: 300,
      maxAttempts: 3,
      async handler(payload, context) {
        const deps = { db: kernel.db, clock: kernel.clock };
        const autoMerge = payload?.autoMerge === true;
        // The same scan and merges as `maillage dedupe --auto-merge`, in the name of whoever asked from the queue.
        const result = await scanDuplicates({ ...deps, merge: autoMerge ? await autoMerger(deps, requesterOf(payload)) : undefined }, { autoMerge, signal: context.signal });
        kernel.logger.info(
          { records: result.records, pairs: result.pairs.length, inserted: result.inserted, removed: result.removed, ms: Math.round(result.elapsedMs) },
          'duplicate scan done',
        );
      },
    });
  },
};
