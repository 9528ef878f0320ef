import { recordAudit } from '../../kernel/audit/index.js';
import type { DuplicateStatus } from '../../db/schema.js';
import type { MergeActor, MergeDeps } from './deps.js';
import { MergeError } from './errors.js';
import * as repo from './repo.js';

/**
 * Moves a pair between the review queue and the dismissed pairs, audited. Returns false when it
 * is already where it was sent (a second click changes nothing); a merged pair is refused.
 */
async function moveCandidate(deps: MergeDeps, actor: MergeActor, candidateId: string, from: DuplicateStatus, to: DuplicateStatus, action: string): Promise<boolean> {
  const candidate = await repo.findCandidate(deps.db, candidateId);
  if (!candidate) throw new MergeError('merge.error.candidateGone');
  if (candidate.status === to) return false;
  if (candidate.status !== from) throw new MergeError('merge.error.decided');
  const now = deps.clock.now();
  if (to === 'dismissed') await repo.decideCandidate(deps.db, candidateId, 'dismissed', actor.id, now.toISOString());
  else await repo.reopenCandidate(deps.db, candidateId, now.toISOString());
  await recordAudit(
    deps.db,
    actor,
    {
      action,
      entityType: 'duplicate_candidate',
      entityId: candidateId,
      before: { status: candidate.status, organisation_a_id: candidate.organisation_a_id, organisation_b_id: candidate.organisation_b_id, score: candidate.score },
      after: { status: to },
    },
    now,
  );
  return true;
}

/** "Not a duplicate": the pair is dismissed and remembered (a scan never proposes it again). */
export function dismissCandidate(deps: MergeDeps, actor: MergeActor, candidateId: string): Promise<boolean> {
  return moveCandidate(deps, actor, candidateId, 'pending', 'dismissed', 'duplicate.dismissed');
}

/** A dismissal taken back (a misclick, or evidence found since): the pair is in the review queue again. */
export function restoreCandidate(deps: MergeDeps, actor: MergeActor, candidateId: string): Promise<boolean> {
  return moveCandidate(deps, actor, candidateId, 'dismissed', 'pending', 'duplicate.restored');
}
