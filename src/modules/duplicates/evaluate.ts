import { foldText } from '../../kernel/search/normalise.js';
import { emailKey } from './normalise-contact.js';
import type { DedupeRecord } from './record.js';

/** Precision, recall and F1 of predicted pairs against the pairs known to be the same organisation. */
export interface Evaluation {
  predicted: number;
  truth: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export type RefPair = readonly [string, string];

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export function evaluatePairs(predicted: Iterable<RefPair>, truth: Iterable<RefPair>): Evaluation {
  const truthKeys = new Set<string>();
  for (const [a, b] of truth) if (a !== b) truthKeys.add(pairKey(a, b));
  const predictedKeys = new Set<string>();
  for (const [a, b] of predicted) if (a !== b) predictedKeys.add(pairKey(a, b));
  let truePositives = 0;
  for (const key of predictedKeys) if (truthKeys.has(key)) truePositives++;
  const falsePositives = predictedKeys.size - truePositives;
  const falseNegatives = truthKeys.size - truePositives;
  const precision = predictedKeys.size ? truePositives / predictedKeys.size : 1;
  const recall = truthKeys.size ? truePositives / truthKeys.size : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { predicted: predictedKeys.size, truth: truthKeys.size, truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}

/** A CRM's name normalisation: case, accents, punctuation and spaces only. */
export function simpleNormalisedName(name: string): string {
  return foldText(name).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The rule many CRMs ship, as a baseline: two records are the same organisation when their
 * normalised names (case, accents, punctuation, spaces) are equal or their e-mail addresses are
 * (case-insensitively).
 */
export function baselinePairs(records: readonly DedupeRecord[], ref: (r: DedupeRecord) => string = (r) => r.id): RefPair[] {
  const groups = new Map<string, string[]>();
  const add = (key: string, value: string) => {
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  };
  for (const r of records) {
    const name = simpleNormalisedName(r.name);
    if (name) add(`n:${name}`, ref(r));
    const email = emailKey(r.email);
    if (email) add(`e:${email}`, ref(r));
  }
  const pairs = new Map<string, RefPair>();
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i] !== list[j]) pairs.set(pairKey(list[i]!, list[j]!), [list[i]!, list[j]!]);
      }
    }
  }
  return [...pairs.values()];
}
