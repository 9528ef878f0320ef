import type { JournalEntry } from './journal.js';
import type { MergeRow } from './repo.js';

/** What a merge's messages name: the kept record before and after it, and the absorbed one. */
export interface MergeNames {
  /** The kept record's name once merged (it may have taken the absorbed record's name). */
  kept: string;
  /** The kept record's name before the merge. */
  keptBefore: string;
  /** The absorbed record's name, as it was. */
  absorbed: string;
  /** Whether the merge gave the kept record another name. */
  renamed: boolean;
  /** The kept record's address before and after the merge, when its new name moved it. */
  moved?: { from: string; to: string };
}

/**
 * The names of a merge (and the kept record's move of address). The merges table keeps both names from before the merge; the name the kept
 * record took is read from the merge's journal (its change of the kept record), so merges recorded
 * before this was shown are named right too.
 */
export function mergeNames(merge: Pick<MergeRow, 'survivor_id' | 'survivor_name' | 'absorbed_name' | 'journal'>): MergeNames {
  let kept = merge.survivor_name;
  let moved: MergeNames['moved'];
  try {
    const entries = JSON.parse(merge.journal) as JournalEntry[];
    for (const entry of entries) {
      if (entry.op !== 'update' || entry.table !== 'organisations' || entry.key['id'] !== merge.survivor_id) continue;
      if (typeof entry.after['name'] === 'string') kept = entry.after['name'];
      if (typeof entry.before['slug'] === 'string' && typeof entry.after['slug'] === 'string') moved = { from: entry.before['slug'], to: entry.after['slug'] };
    }
  } catch {
    // An unreadable journal: the names recorded with the merge.
  }
  return { kept, keptBefore: merge.survivor_name, absorbed: merge.absorbed_name, renamed: kept !== merge.survivor_name, ...(moved ? { moved } : {}) };
}

/** A merge with its names worked out, as the pages show it. */
export type NamedMerge = MergeRow & { names: MergeNames };

export function withNames(merge: MergeRow): NamedMerge {
  return { ...merge, names: mergeNames(merge) };
}
