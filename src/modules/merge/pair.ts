import { type Organisation, organisationsByIds } from '../organisations/index.js';
import { type ContactPlan, planContactMerge } from './contacts.js';
import type { MergeDeps } from './deps.js';
import { defaultChoices, defaultSurvivor, MERGE_FIELDS, type MergeFieldKey } from './fields.js';
import * as repo from './repo.js';
import type { CandidateRow } from './repo.js';

export type Side = 'a' | 'b';

/** One record of a pair with the lists a merge unites. */
export interface PairSide {
  organisation: Organisation;
  tags: string[];
  memberships: { year: number; status: string }[];
  accounts: { id: string; display_name: string; email: string }[];
  interactions: number;
}

/** What the comparison page shows: both records, the default choices, the contacts' fate. */
export interface PairData {
  candidate: CandidateRow;
  a: PairSide;
  b: PairSide;
  defaultSurvivor: Side;
  /** Per field, the side whose value is preselected. */
  defaults: Record<MergeFieldKey, Side>;
  /** Contacts of both records, and who is the same person (planned with the default survivor). */
  contacts: ContactPlan;
}

/** A candidate pair with both records as they stand; undefined when the pair or a record is gone. */
export async function loadPair(deps: MergeDeps, candidateId: string): Promise<PairData | undefined> {
  const candidate = await repo.findCandidate(deps.db, candidateId);
  if (!candidate) return undefined;
  const ids = [candidate.organisation_a_id, candidate.organisation_b_id];
  const [organisations, tags, memberships, accounts, interactions] = await Promise.all([
    organisationsByIds(deps.db, ids),
    repo.tagsOf(deps.db, ids),
    repo.membershipsOf(deps.db, ids),
    repo.accountsOf(deps.db, ids),
    repo.interactionCounts(deps.db, ids),
  ]);
  const a = organisations.find((o) => o.id === candidate.organisation_a_id);
  const b = organisations.find((o) => o.id === candidate.organisation_b_id);
  if (!a || !b) return undefined;
  const side = (o: Organisation): PairSide => ({
    organisation: o,
    tags: tags.filter((t) => t.organisation_id === o.id).map((t) => t.tag),
    memberships: memberships.filter((m) => m.organisation_id === o.id).map((m) => ({ year: m.year, status: m.status })),
    accounts: accounts.filter((u) => u.organisation_id === o.id).map((u) => ({ id: u.id, display_name: u.display_name, email: u.email })),
    interactions: interactions.get(o.id) ?? 0,
  });
  const survivor = defaultSurvivor(a, b);
  const absorbed = survivor === a ? b : a;
  const byId = defaultChoices(survivor, absorbed);
  const defaults = Object.fromEntries(MERGE_FIELDS.map((f) => [f.key, byId[f.key] === a.id ? 'a' : 'b'])) as Record<MergeFieldKey, Side>;
  return {
    candidate,
    a: side(a),
    b: side(b),
    defaultSurvivor: survivor === a ? 'a' : 'b',
    defaults,
    contacts: await planContactMerge(deps.db, survivor.id, absorbed.id),
  };
}
