import { recordAudit } from '../../kernel/audit/index.js';
import { draftOf, findOrganisationById, indexedColumns, snapshot, taxonomies } from '../organisations/index.js';
import type { MergeActor, MergeDeps } from './deps.js';
import { MergeError } from './errors.js';
import { type JournalEntry, undoJournal } from './journal.js';
import * as rows from './journal-repo.js';
import * as repo from './repo.js';

export interface UndoResult {
  survivorId: string;
  absorbedId: string;
  candidateId: string | null;
  /** Changes not taken back because the row was edited since the merge (the edit is kept). */
  skipped: number;
}

const idsOf = (json: string): string[] => JSON.parse(json) as string[];

/**
 * Undoes a merge: both organisations come back as they were (same ids, the absorbed one's address
 * back), every moved row returns, merged contacts are separated again, and the candidate pair is
 * pending again. Refused while a later merge in force touches the same records (undo that first),
 * and once a merged person has been erased (RGPD): the journal would bring their data back.
 */
export async function undoMerge(deps: MergeDeps, actor: MergeActor, mergeId: string): Promise<UndoResult> {
  const labels = await taxonomies(deps.db);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const merge = await repo.lockMerge(trx, mergeId, rows.isPostgres(trx));
    if (!merge) throw new MergeError('merge.error.notFound');
    if (merge.undone_at) throw new MergeError('merge.error.alreadyUndone');
    const involved = new Set(idsOf(merge.involved));
    const later = (await repo.laterActiveMerges(trx, merge)).find((m) => idsOf(m.involved).some((id) => involved.has(id)));
    if (later) {
      // Named by the records' names before it, as its own page names it; `laterId` leads there.
      throw new MergeError('merge.error.laterMerge', { absorbed: later.absorbed_name, survivor: later.survivor_name, laterId: later.id });
    }
    // A person erased since (RGPD) must not come back from the journal.
    if ((await repo.erasedContacts(trx, [...involved])).length > 0) throw new MergeError('merge.error.contactErased');
    const present = await rows.lockRows(trx, 'organisations', 'id', [merge.survivor_id, merge.absorbed_id]);
    if (!present.some((r) => r['id'] === merge.survivor_id)) throw new MergeError('merge.error.survivorGone');
    if (present.some((r) => r['id'] === merge.absorbed_id)) throw new MergeError('merge.error.absorbedBack');
    const before = (await findOrganisationById(trx, merge.survivor_id))!;

    const outcome = await undoJournal(trx, JSON.parse(merge.journal) as JournalEntry[]);
    if (outcome.conflicts.some((c) => c.table === 'organisations' && c.key['id'] === merge.survivor_id)) {
      // The survivor was edited since: its search text follows what it holds now.
      const current = (await findOrganisationById(trx, merge.survivor_id))!;
      await rows.updateRows(trx, 'organisations', { id: merge.survivor_id }, indexedColumns(draftOf(current), labels));
    }
    await repo.markUndone(trx, merge.id, at, actor.id);

    const [survivor, absorbed] = await Promise.all([findOrganisationById(trx, merge.survivor_id), findOrganisationById(trx, merge.absorbed_id)]);
    await recordAudit(
      trx,
      actor,
      {
        action: 'organisation.merge_undone',
        entityType: 'organisation',
        entityId: merge.survivor_id,
        before: { ...snapshot(before), merge_id: merge.id, absorbed_id: merge.absorbed_id },
        after: { survivor: survivor ? snapshot(survivor) : null, restored: absorbed ? { id: absorbed.id, slug: absorbed.slug, ...snapshot(absorbed) } : null, skipped: outcome.conflicts },
      },
      now,
    );
    await recordAudit(trx, actor, { action: 'organisation.restored', entityType: 'organisation', entityId: merge.absorbed_id, after: { merge_id: merge.id, split_from: merge.survivor_id } }, now);
    return { survivorId: merge.survivor_id, absorbedId: merge.absorbed_id, candidateId: merge.candidate_id, skipped: outcome.skipped };
  });
}
