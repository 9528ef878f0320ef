// The duplicate engine, independent of where records come from (the base, an import file, a form):
//   1. prepare: each record's comparable features (normalise-name.ts, normalise-contact.ts);
//   2. block: only records sharing a key are compared (blocking.ts), never all pairs;
//   3. score: every piece of evidence weighs in bits (weights.ts, score.ts), shown as reasons;
//      the score is the posterior probability that both are one organisation;
//   4. decide: above the review threshold a pair is queued; above the high threshold with a shared
//      valid identifier, it may merge automatically (off by default).
import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import { forEachCandidatePair } from './blocking.js';
import { type DedupeOptions, dedupeOptions } from './options.js';
import { type PreparedRecord, prepareRecord } from './prepare.js';
import type { Reason } from './reasons.js';
import type { DedupeRecord } from './record.js';
import { compareRecords } from './score.js';
import { TokenStats } from './token-stats.js';
import { WordPool } from './word-pool.js';

export interface CandidatePair {
  /** The record with the smaller id: pairs are ordered, so each pair has one identity. */
  a: DedupeRecord;
  b: DedupeRecord;
  score: number;
  evidence: number;
  reasons: Reason[];
  /** Above the high threshold with a shared valid identifier: may be merged without review. */
  autoMergeable: boolean;
}

export interface DetectionResult {
  pairs: CandidatePair[];
  /** How many pairs blocking let through to be scored (all pairs would be n·(n−1)/2). */
  compared: number;
}

/**
 * Growth of the heap during a detection after which a full collection runs (see
 * kernel/heap-ceiling.ts): preparing and comparing 50,000 records leaves garbage that V8 would
 * otherwise let pile up over the records' own ~80 MB.
 */
export const DETECTION_HEAP_ALLOWANCE = 32 * 1024 * 1024;
/** Records prepared, or pairs compared, between two looks at the heap. */
const HEAP_CHECK_EVERY = 2048;
/** Below this many records a detection's garbage is small: no forced collection (a form's check, a small base). */
const HEAP_CEILING_FROM = 5000;

/** Prepares records and the word statistics of their names, once for a whole detection run. */
export function prepareAll(records: readonly DedupeRecord[], heap?: HeapCeiling): { prepared: PreparedRecord[]; stats: TokenStats } {
  const pool = new WordPool();
  const prepared = records.map((r, i) => {
    if (i % HEAP_CHECK_EVERY === 0) heap?.check();
    return prepareRecord(r, pool);
  });
  return { prepared, stats: TokenStats.from(prepared.map((p) => p.name.tokens)) };
}

export function orderedPair(x: DedupeRecord, y: DedupeRecord): [DedupeRecord, DedupeRecord] {
  return x.id < y.id ? [x, y] : [y, x];
}

/**
 * Finds the likely duplicates among records, wherever they come from (the base, an import file,
 * both): blocking, then scoring of the blocked pairs. With `involving`, only pairs where at least
 * one record satisfies it are kept (e.g. an import file against the base and itself). Pairs come
 * sorted by score, highest first.
 */
export function detectDuplicates(
  records: readonly DedupeRecord[],
  overrides: Partial<DedupeOptions> = {},
  involving?: (record: DedupeRecord) => boolean,
): DetectionResult {
  const options = dedupeOptions(overrides);
  const heap = records.length >= HEAP_CEILING_FROM ? new HeapCeiling(DETECTION_HEAP_ALLOWANCE) : undefined;
  const { prepared, stats } = prepareAll(records, heap);
  const pairs: CandidatePair[] = [];
  let compared = 0;
  let visited = 0;
  forEachCandidatePair(prepared, stats, options.blocking, (i, j) => {
    if (++visited % HEAP_CHECK_EVERY === 0) heap?.check();
    const x = prepared[i]!;
    const y = prepared[j]!;
    if (involving && !involving(x.record) && !involving(y.record)) return;
    compared++;
    const comparison = compareRecords(x, y, stats, options.weights);
    if (comparison.score < options.reviewThreshold) return;
    const [a, b] = orderedPair(x.record, y.record);
    pairs.push({
      a,
      b,
      score: comparison.score,
      evidence: comparison.evidence,
      reasons: comparison.reasons,
      autoMergeable: comparison.identifierMatch && comparison.score >= options.highThreshold,
    });
  });
  pairs.sort((p, q) => q.score - p.score || (p.a.id < q.a.id ? -1 : p.a.id > q.a.id ? 1 : p.b.id < q.b.id ? -1 : 1));
  return { pairs, compared };
}
