import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { ScanPair } from './scan.js';

/**
 * The merge service for a scan's automatic merges. Loaded when needed: the merge module itself
 * reads this module's reasons and job name, so a static import would make a cycle.
 */
export async function autoMerger(deps: { db: Kysely<Database>; clock: Clock }): Promise<(pair: ScanPair) => Promise<void>> {
  const { autoMergePair } = await import('../merge/index.js');
  return async (pair) => {
    await autoMergePair(deps, pair);
  };
}
