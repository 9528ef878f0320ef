import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { contactSortNameOf, draftOf, findOrganisationById, indexedColumns, snapshot, taxonomies } from '../organisations/index.js';
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

/** A contact the undo puts back, and the one it had been merged into (unknown if the journal no longer says). */
interface RestoredContact {
  restored: string;
  split_from: string | null;
}

/**
 * The contacts a merge deleted as duplicates (the journal's deleted `contacts` rows, which the undo
 * inserts again), each with the contact kept in its place, read from the merge's `contact.merged`
 * entries (the journal's rows do not tie one to the other).
 */
async function restoredContacts(db: Transaction<Database>, merge: repo.MergeRow, entries: readonly JournalEntry[]): Promise<RestoredContact[]> {
  const deleted = entries.flatMap((e) => (e.op === 'delete' && e.table === 'contacts' && typeof e.row['id'] === 'string' ? [e.row['id']] : []));
  if (deleted.length === 0) return [];
  const organisations = new Set([merge.survivor_id, merge.absorbed_id]);
  const kept = new Map<string, string>();
  for (const row of await repo.contactMergeEntries(db, idsOf(merge.involved).filter((id) => !organisations.has(id)))) {
    const before = JSON.parse(row.before ?? 'null') as { absorbed?: { id?: unknown } } | null;
    const after = JSON.parse(row.after ?? 'null') as { merge_id?: unknown } | null;
    if (after?.merge_id === merge.id && typeof before?.absorbed?.id === 'string' && row.entity_id) kept.set(before.absorbed.id, row.entity_id);
  }
  return deleted.map((id) => ({ restored: id, split_from: kept.get(id) ?? null }));
}

/** The survivor's address before the merge, if the merge moved it (a new name). */
function survivorSlugBefore(entries: readonly JournalEntry[], survivorId: string): string | undefined {
  for (const entry of entries) {
    if (entry.op === 'update' && entry.table === 'organisations' && entry.key['id'] === survivorId && typeof entry.before['slug'] === 'string') return entry.before['slug'];
  }
  return undefined;
}

/**
 * Why a merge in force cannot be undone now, or undefined when it can: a later merge in force
 * touches the same records (undo that first), a merged person was erased since (RGPD: the journal
 * would bring their data back), the kept record was deleted, or the absorbed one exists again.
 * `lock`: the organisations are locked until the caller's transaction ends (the undo itself);
 * without it the answer is what the merge's page tells before anyone asks.
 */
export async function undoRefusal(db: Kysely<Database> | Transaction<Database>, merge: repo.MergeRow, lock = false): Promise<MergeError | undefined> {
  const involved = new Set(idsOf(merge.involved));
  const later = (await repo.laterActiveMerges(db, merge)).find((m) => idsOf(m.involved).some((id) => involved.has(id)));
  if (later) {
    // Named by the records' names before it, as its own page names it; `laterId` leads there.
    return new MergeError('merge.error.laterMerge', { absorbed: later.absorbed_name, survivor: later.survivor_name, laterId: later.id });
  }
  // A person erased since (RGPD) must not come back from the journal.
  if ((await repo.erasedContacts(db, [...involved])).length > 0) return new MergeError('merge.error.contactErased');
  const ids = [merge.survivor_id, merge.absorbed_id];
  const present = lock ? (await rows.lockRows(db, 'organisations', 'id', ids)).map((r) => r['id']) : await repo.organisationsPresent(db, ids);
  if (!present.includes(merge.survivor_id)) return new MergeError('merge.error.survivorGone');
  if (present.includes(merge.absorbed_id)) return new MergeError('merge.error.absorbedBack');
  return undefined;
}

/**
 * Undoes a merge: both organisations come back as they were (same ids, same addresses, the former
 * ones redirecting as before), every moved row returns, merged contacts are separated again, and
 * the candidate pair is pending again. Refused while a later merge in force touches the same records (undo that first),
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
    const refusal = await undoRefusal(trx, merge, true);
    if (refusal) throw refusal;
    const before = (await findOrganisationById(trx, merge.survivor_id))!;

    const entries = JSON.parse(merge.journal) as JournalEntry[];
    const contacts = await restoredContacts(trx, merge, entries);
    const outcome = await undoJournal(trx, entries);
    if (outcome.conflicts.some((c) => c.table === 'organisations' && c.key['id'] === merge.survivor_id)) {
      // The survivor was edited since: its search text follows what it holds now.
      const current = (await findOrganisationById(trx, merge.survivor_id))!;
      await rows.updateRows(trx, 'organisations', { id: merge.survivor_id }, indexedColumns(draftOf(current), labels));
      // Renamed since, it keeps its new address; the one it had before the merge leads to it again,
      // and the restored record's own address leads nowhere else.
      const slugBefore = survivorSlugBefore(entries, merge.survivor_id);
      if (slugBefore !== undefined && slugBefore !== current.slug) {
        await rows.insertRow(trx, 'organisation_slugs', { slug: slugBefore, organisation_id: merge.survivor_id }, { ignoreConflict: true });
      }
      await rows.deleteRows(trx, 'organisation_slugs', { slug: merge.absorbed_slug });
    }
    // A merged person edited since keeps the edit: their sort key follows the names they hold now.
    for (const conflict of outcome.conflicts.filter((c) => c.table === 'contacts')) {
      const [contact] = await rows.selectRows(trx, 'contacts', conflict.key);
      if (!contact) continue;
      const names = { first_name: (contact['first_name'] as string | null) ?? null, last_name: String(contact['last_name']) };
      await rows.updateRows(trx, 'contacts', conflict.key, { sort_name: contactSortNameOf(names) });
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
        after: {
          survivor: survivor ? snapshot(survivor) : null,
          restored: absorbed ? { id: absorbed.id, slug: absorbed.slug, ...snapshot(absorbed) } : null,
          contacts_restored: contacts,
          skipped: outcome.conflicts,
        },
      },
      now,
    );
    await recordAudit(trx, actor, { action: 'organisation.restored', entityType: 'organisation', entityId: merge.absorbed_id, after: { merge_id: merge.id, split_from: merge.survivor_id } }, now);
    // Each person separated again has it in their own history (RGPD export), as the merge wrote `contact.merged`.
    for (const contact of contacts) {
      await recordAudit(
        trx,
        actor,
        { action: 'contact.restored', entityType: 'contact', entityId: contact.restored, after: { merge_id: merge.id, split_from: contact.split_from, organisation_id: merge.absorbed_id } },
        now,
      );
    }
    return { survivorId: merge.survivor_id, absorbedId: merge.absorbed_id, candidateId: merge.candidate_id, skipped: outcome.skipped };
  });
}
