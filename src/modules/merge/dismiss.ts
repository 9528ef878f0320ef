import { recordAudit } from '../../kernel/audit/index.js';
import type { MergeActor, MergeDeps } from './deps.js';
import { MergeError } from './errors.js';
import * as repo from './repo.js';

/**
 * "Not a duplicate": the pair is dismissed and remembered (a scan never proposes it again).
 * Dismissing a pair already dismissed changes nothing (false).
 */
export async function dismissCandidate(deps: MergeDeps, actor: MergeActor, candidateId: string): Promise<boolean> {
  const candidate = await repo.findCandidate(deps.db, candidateId);
  if (!candidate) throw new MergeError('merge.error.candidateGone');
  if (candidate.status === 'dismissed') return false;
  if (candidate.status !== 'pending') throw new MergeError('merge.error.decided');
  const now = deps.clock.now();
  await repo.decideCandidate(deps.db, candidateId, 'dismissed', actor.id, now.toISOString());
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'duplicate.dismissed',
      entityType: 'duplicate_candidate',
      entityId: candidateId,
      before: { status: candidate.status, organisation_a_id: candidate.organisation_a_id, organisation_b_id: candidate.organisation_b_id, score: candidate.score },
      after: { status: 'dismissed' },
    },
    now,
  );
  return true;
}

/**
 * A dismissal taken back (a misclick, or evidence found since): the pair is back in the review
 * queue, as the scan left it. Restoring a pair already pending changes nothing (false).
 */
export async function restoreCandidate(deps: MergeDeps, actor: MergeActor, candidateId: string): Promise<boolean> {
  const candidate = await repo.findCandidate(deps.db, candidateId);
  if (!candidate) throw new MergeError('merge.error.candidateGone');
  if (candidate.status === 'pending') return false;
  if (candidate.status !== 'dismissed') throw new MergeError('merge.error.decided');
  const now = deps.clock.now();
  await repo.reopenCandidate(deps.db, candidateId, now.toISOString());
  await recordAudit(
    deps.db,
    actor,
    { action: 'duplicate.restored', entityType: 'duplicate_candidate', entityId: candidateId, before: { status: 'dismissed' }, after: { status: 'pending' } },
    now,
  );
  return true;
}
