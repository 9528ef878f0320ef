import { organisationsByIds } from '../organisations/index.js';
import type { MergeActor, MergeDeps } from './deps.js';
import { MergeError } from './errors.js';
import { defaultSurvivor, type MergeFieldKey } from './fields.js';
import { mergeOrganisations, type MergeOutcome } from './merge.js';
import * as repo from './repo.js';

/** The two records of a candidate pair as they stand now, survivor first (default: defaultSurvivor). */
export async function pairRecords(deps: MergeDeps, a: string, b: string, survivorId?: string): Promise<{ survivorId: string; absorbedId: string }> {
  const found = await organisationsByIds(deps.db, [a, b]);
  if (found.length !== 2) throw new MergeError('merge.error.gone');
  const survivor = survivorId ? found.find((o) => o.id === survivorId) : defaultSurvivor(found[0]!, found[1]!);
  if (!survivor) throw new MergeError('merge.error.choice');
  return { survivorId: survivor.id, absorbedId: survivor.id === a ? b : a };
}

/**
 * Merges the two records of a pending candidate pair: the survivor chosen (by default the one whose
 * address has no added number, else the record created first), the fields chosen (by default the
 * most complete, then the most recent).
 */
export async function mergeCandidate(
  deps: MergeDeps,
  actor: MergeActor,
  candidateId: string,
  options: { survivorId?: string; choices?: Partial<Record<MergeFieldKey, string>>; auto?: boolean } = {},
): Promise<MergeOutcome> {
  const candidate = await repo.findCandidate(deps.db, candidateId);
  if (!candidate) throw new MergeError('merge.error.candidateGone');
  if (candidate.status !== 'pending') throw new MergeError('merge.error.decided');
  const pair = await pairRecords(deps, candidate.organisation_a_id, candidate.organisation_b_id, options.survivorId);
  return mergeOrganisations(deps, actor, { ...pair, choices: options.choices, auto: options.auto });
}

/** An organisation's id now: followed through the merges in force that absorbed it. */
async function currentId(deps: MergeDeps, id: string): Promise<string> {
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const next = await repo.survivorOf(deps.db, current);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** What the scan hands to its `merge` dependency. */
export interface ScannedPair {
  id: string;
  a: { id: string };
  b: { id: string };
}

/**
 * The automatic merge of the scan (`maillage dedupe --auto-merge`), with default choices. Pairs
 * merged earlier in the same scan are followed (the stored pair was repointed, or dropped: then a
 * record already absorbed stands for its survivor); a pair already decided, or whose two records
 * are already one, is left alone (null).
 */
export async function autoMergePair(deps: MergeDeps, pair: ScannedPair, actor: MergeActor = { id: null, email: null }): Promise<MergeOutcome | null> {
  const candidate = await repo.findCandidate(deps.db, pair.id);
  if (candidate) return candidate.status === 'pending' ? mergeCandidate(deps, actor, candidate.id, { auto: true }) : null;
  const [a, b] = await Promise.all([currentId(deps, pair.a.id), currentId(deps, pair.b.id)]);
  if (a === b) return null;
  const records = await pairRecords(deps, a, b);
  return mergeOrganisations(deps, actor, { ...records, auto: true });
}
