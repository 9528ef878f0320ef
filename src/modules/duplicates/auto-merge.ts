import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuditActor } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { ScanPair } from './scan.js';

/**
 * The merge service for a scan's automatic merges, made in the name of `actor` when staff asked
 * for them from the queue (the command line's and an import's scan: nobody). Loaded when needed:
 * the merge module itself reads this module's reasons and job name, so a static import would make
 * a cycle.
 */
export async function autoMerger(deps: { db: Kysely<Database>; clock: Clock }, actor?: AuditActor): Promise<(pair: ScanPair) => Promise<void>> {
  const { autoMergePair } = await import('../merge/index.js');
  return async (pair) => {
    await autoMergePair(deps, pair, actor);
  };
}

/** The payload of the scan job (`duplicates.scan`): with `autoMerge`, the safe pairs are merged, by `by` if staff asked. */
export interface ScanJobPayload {
  autoMerge?: boolean;
  by?: { id: string; email: string | null };
}

/** Who asked for a scan job's merges, read from its payload (nobody when it does not say). */
export function requesterOf(payload: ScanJobPayload | undefined): AuditActor | undefined {
  const by = payload?.by;
  return by && typeof by.id === 'string' ? { id: by.id, email: typeof by.email === 'string' ? by.email : null } : undefined;
}
