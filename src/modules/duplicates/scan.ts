import type { Insertable, Kysely } from 'kysely';
import type { Database, DuplicateCandidatesTable, DuplicateStatus } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import { type CandidatePair, DETECTION_HEAP_ALLOWANCE, detectDuplicates } from './detect.js';
import type { DedupeOptions } from './options.js';
import { dedupeRecordFromOrganisation, type DedupeRecord } from './record.js';
import * as repo from './repo.js';
import { recordLastScan } from './scan-state.js';
import { WordPool } from './word-pool.js';

export interface ScanDeps {
  db: Kysely<Database>;
  clock: Clock;
  /**
   * Merges a pair (the merge service, see auto-merge.ts). Without it, `autoMerge` only lists the
   * pairs it would merge.
   */
  merge?: (pair: ScanPair) => Promise<void>;
}

export interface ScanOptions extends Partial<DedupeOptions> {
  /** Organisations read per query (5,000). */
  pageSize?: number;
  /** Stops between steps when aborted (a job's lease lost, a worker stopping). */
  signal?: AbortSignal;
}

export interface ScanPair extends CandidatePair {
  /** The stored pair's id. */
  id: string;
  status: DuplicateStatus;
}

export interface ScanResult {
  records: number;
  /** Pairs scored (what blocking let through). */
  compared: number;
  /** Pairs found, pending and decided ones alike, highest score first. */
  pairs: ScanPair[];
  inserted: number;
  updated: number;
  /** Found again but marked "not a duplicate" earlier: left as they are. */
  dismissed: number;
  /** Pending pairs no longer found, removed from the queue. */
  removed: number;
  /** Pairs above the high threshold sharing a valid identifier. */
  autoMergeable: ScanPair[];
  autoMerged: number;
  elapsedMs: number;
}

/** Reads every organisation, page by page, as the engine's records. */
export async function readAllRecords(db: Kysely<Database>, pageSize = 5000, signal?: AbortSignal, heap?: HeapCeiling): Promise<DedupeRecord[]> {
  const records: DedupeRecord[] = [];
  const pool = new WordPool();
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    heap?.check();
    const page = await repo.organisationPage(db, after, pageSize);
    for (const row of page) records.push(dedupeRecordFromOrganisation(row, pool));
    if (page.length < pageSize) return records;
    after = page.at(-1)!.id;
  }
}

function rowOf(pair: CandidatePair, at: string): Insertable<DuplicateCandidatesTable> {
  return {
    id: newId(Date.parse(at)),
    organisation_a_id: pair.a.id,
    organisation_b_id: pair.b.id,
    score: pair.score,
    reasons: JSON.stringify(pair.reasons),
    auto_mergeable: pair.autoMergeable ? 1 : 0,
    status: 'pending',
    created_at: at,
    updated_at: at,
    last_seen_at: at,
  };
}

/**
 * The full scan: every organisation compared through blocking, candidate pairs stored — new ones
 * queued, pending ones refreshed, dismissed ones ("not a duplicate") never proposed again, pending
 * ones no longer found removed. With `autoMerge`, pairs above the high threshold that share a
 * valid identifier are merged through `deps.merge`. Its end and counts are recorded (scanState).
 */
export async function scanDuplicates(deps: ScanDeps, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const at = deps.clock.now().toISOString();
  const { pageSize, signal, ...overrides } = options;
  // Each page's rows, then the detection's prepared records, are garbage once used: collected
  // before they pile up (a 50,000-organisation scan stays under 300 MB resident).
  const heap = new HeapCeiling(DETECTION_HEAP_ALLOWANCE);
  const records = await readAllRecords(deps.db, pageSize, signal, heap);
  signal?.throwIfAborted();
  const detection = detectDuplicates(records, overrides);
  heap.check();
  signal?.throwIfAborted();

  const known = await repo.knownPairs(deps.db);
  const rows: Insertable<DuplicateCandidatesTable>[] = [];
  const pairs: ScanPair[] = [];
  let inserted = 0;
  let updated = 0;
  let dismissed = 0;
  for (const pair of detection.pairs) {
    const existing = known.get(`${pair.a.id}|${pair.b.id}`);
    if (existing && existing.status !== 'pending') {
      if (existing.status === 'dismissed') dismissed++;
      else pairs.push({ ...pair, id: existing.id, status: existing.status });
      continue;
    }
    const row = rowOf(pair, at);
    if (existing) updated++;
    else inserted++;
    rows.push(row);
    pairs.push({ ...pair, id: existing?.id ?? row.id, status: 'pending' });
  }
  const removed = await deps.db.transaction().execute(async (trx) => {
    await repo.upsertPendingPairs(trx, rows);
    return repo.deleteStalePending(trx, at);
  });

  const autoMergeable = pairs.filter((p) => p.autoMergeable && p.status === 'pending');
  let autoMerged = 0;
  if (overrides.autoMerge && deps.merge) {
    for (const pair of autoMergeable) {
      signal?.throwIfAborted();
      await deps.merge(pair);
      await repo.setPairStatus(deps.db, pair.id, 'auto_merged', null, deps.clock.now().toISOString());
      pair.status = 'auto_merged';
      autoMerged++;
    }
  }
  await recordLastScan(deps.db, {
    startedAt: at,
    finishedAt: deps.clock.now().toISOString(),
    records: records.length,
    pairs: pairs.length,
    inserted,
    removed,
    autoMerged,
  });
  return {
    records: records.length,
    compared: detection.compared,
    pairs,
    inserted,
    updated,
    dismissed,
    removed,
    autoMergeable,
    autoMerged,
    elapsedMs: performance.now() - started,
  };
}
