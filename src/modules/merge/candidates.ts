import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Journal } from './journal.js';
import * as repo from './repo.js';
import type { CandidateRow } from './repo.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface CandidateRepoint {
  /** The pair of the two merged records, as it was (removed with the absorbed record; back on undo). */
  decided: CandidateRow | undefined;
  moved: number;
  dropped: number;
}

/**
 * The other candidate pairs of the absorbed record now concern the survivor: each is repointed
 * (smaller id first), or dropped when the survivor already has that pair. The pair of the two
 * merged records itself is removed (it would point at a record that no longer exists); the merge
 * keeps it in its journal and the undo puts it back, pending.
 */
export async function repointCandidates(db: Db, journal: Journal, absorbedId: string, survivorId: string): Promise<CandidateRepoint> {
  const result: CandidateRepoint = { decided: undefined, moved: 0, dropped: 0 };
  for (const row of await repo.candidatesOf(db, absorbedId)) {
    const other = row.organisation_a_id === absorbedId ? row.organisation_b_id : row.organisation_a_id;
    if (other === survivorId) {
      result.decided = row;
      await journal.delete('duplicate_candidates', { ...row });
      continue;
    }
    const [a, b] = survivorId < other ? [survivorId, other] : [other, survivorId];
    if (await repo.findCandidateOfPair(db, a, b)) {
      await journal.delete('duplicate_candidates', { ...row });
      result.dropped++;
      continue;
    }
    await journal.update('duplicate_candidates', { ...row }, { organisation_a_id: a, organisation_b_id: b });
    result.moved++;
  }
  return result;
}
