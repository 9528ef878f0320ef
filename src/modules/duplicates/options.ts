import { type BlockingOptions, DEFAULT_BLOCKING } from './blocking.js';
import { EVIDENCE_WEIGHTS, type EvidenceWeights } from './weights.js';

export interface DedupeOptions {
  /** Pairs scoring at least this go to the review queue (posterior probability). */
  reviewThreshold: number;
  /** Pairs scoring at least this, sharing a valid identifier, may merge without review. */
  highThreshold: number;
  /** Merge the pairs above the high threshold automatically (off by default). */
  autoMerge: boolean;
  weights: EvidenceWeights;
  blocking: BlockingOptions;
}

export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  reviewThreshold: 0.5,
  highThreshold: 0.995,
  autoMerge: false,
  weights: EVIDENCE_WEIGHTS,
  blocking: DEFAULT_BLOCKING,
};

export function dedupeOptions(overrides: Partial<DedupeOptions> = {}): DedupeOptions {
  return { ...DEFAULT_DEDUPE_OPTIONS, ...overrides };
}
