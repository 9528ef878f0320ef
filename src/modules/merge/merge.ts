import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { slugify } from '../../kernel/identifiers.js';
import { newId } from '../../kernel/ids.js';
import { draftOf, findOrganisationById, indexedColumns, type Organisation, snapshot, taxonomies, uniqueSlug } from '../organisations/index.js';
import { repointCandidates } from './candidates.js';
import { mergeContact, planContactMerge } from './contacts.js';
import type { MergeActor, MergeDeps } from './deps.js';
import { MergeError } from './errors.js';
import { chosenColumns, defaultChoices, isMergeFieldKey, type MergeChoices, type MergeFieldKey, mergedFlags, slugMadeFrom } from './fields.js';
import { Journal } from './journal.js';
import * as rows from './journal-repo.js';
import * as repo from './repo.js';
import { repointAll } from './repoint.js';

export interface MergeInput {
  /** The record that keeps its id (and its address, unless it takes the other's name). */
  survivorId: string;
  /** The record merged into it, then removed. */
  absorbedId: string;
  /** Per field, the id of the record whose value is kept; a field left out takes the default. */
  choices?: Partial<Record<MergeFieldKey, string>>;
  /** The automatic merge of a scan (recorded as such). */
  auto?: boolean;
}

export interface MergeOutcome {
  mergeId: string;
  survivor: Organisation;
  /** The candidate pair the merge decided, if the two records were one. */
  candidateId: string | null;
  contactsMerged: number;
}

function checkedChoices(input: MergeInput): Partial<MergeChoices> {
  const choices: Partial<MergeChoices> = {};
  for (const [key, id] of Object.entries(input.choices ?? {})) {
    if (!isMergeFieldKey(key) || (id !== input.survivorId && id !== input.absorbedId)) throw new MergeError('merge.error.choice');
    choices[key] = id;
  }
  return choices;
}

/**
 * The address of a survivor renamed by a merge: one of the two records' addresses when it is made
 * from the new name (the plainer), else a new one, as an edit of the name would make it.
 */
async function slugOfName(db: Transaction<Database>, name: string, survivor: Organisation, absorbed: Organisation): Promise<string> {
  return slugMadeFrom(slugify(name), [survivor.slug, absorbed.slug]) ?? (await uniqueSlug(db, name, survivor.id));
}

/**
 * Merges one organisation into another, in one transaction: the survivor takes the chosen value of
 * every field (by default the more complete, then the more recent), every registered reference of
 * the absorbed record moves to it (lists united), contacts who are the same person merge, the
 * absorbed record is removed and its address redirects to the survivor. Every change is kept in
 * the merge's journal (undoMerge) and the audit log.
 */
export async function mergeOrganisations(deps: MergeDeps, actor: MergeActor, input: MergeInput): Promise<MergeOutcome> {
  const { survivorId, absorbedId } = input;
  if (survivorId === absorbedId) throw new MergeError('merge.error.same');
  const explicit = checkedChoices(input);
  // Read before the transaction: on SQLite the transaction holds the only connection.
  const labels = await taxonomies(deps.db);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    // Merges are strictly ordered in time: an undo is refused while a later one touches the same records.
    const latest = await repo.latestMergeAt(trx);
    const clock = deps.clock.now();
    const now = latest && Date.parse(latest) >= clock.getTime() ? new Date(Date.parse(latest) + 1) : clock;
    const at = now.toISOString();
    const mergeId = newId(now.getTime());
    const locked = await rows.lockRows(trx, 'organisations', 'id', [survivorId, absorbedId]);
    if (locked.length !== 2) throw new MergeError('merge.error.gone');
    const survivorBefore = (await findOrganisationById(trx, survivorId))!;
    const absorbed = (await findOrganisationById(trx, absorbedId))!;
    const choices: MergeChoices = { ...defaultChoices(survivorBefore, absorbed), ...explicit };
    const plan = await planContactMerge(trx, survivorId, absorbedId);

    const journal = new Journal(trx);
    const candidates = await repointCandidates(trx, journal, absorbedId, survivorId);
    const repointed = await repointAll(trx, journal, 'organisation', absorbedId, survivorId);
    for (const pair of plan.pairs) await mergeContact(trx, journal, pair.absorbed.id, pair.survivor.id, at);

    // The absorbed record goes; its address, and the survivor's when a new name moves it, lead to the survivor.
    const absorbedRow = locked.find((r) => r['id'] === absorbedId)!;
    await journal.delete('organisations', absorbedRow);
    const chosen = chosenColumns(survivorBefore, absorbed, choices);
    const slug = chosen.name === undefined || chosen.name === survivorBefore.name ? survivorBefore.slug : await slugOfName(trx, chosen.name, survivorBefore, absorbed);
    if (slug !== absorbed.slug) await journal.insert('organisation_slugs', { slug: absorbed.slug, organisation_id: survivorId });
    if (slug !== survivorBefore.slug) {
      // A former address of either record, leading to the survivor since, is its own again.
      const [former] = await rows.selectRows(trx, 'organisation_slugs', { slug });
      if (former) await journal.delete('organisation_slugs', former);
      await journal.insert('organisation_slugs', { slug: survivorBefore.slug, organisation_id: survivorId });
    }

    // The survivor: chosen fields, its address, and its search text from the united lists.
    const united = (await findOrganisationById(trx, survivorId))!;
    const [survivorRow] = await rows.selectRows(trx, 'organisations', { id: survivorId });
    // An identifier kept raw by an import stays flagged with its value (the undo restores both).
    const flags = mergedFlags(survivorBefore, absorbed, choices);
    const flagPatch = flags === (survivorBefore.source_flags ?? null) ? {} : { source_flags: flags };
    await journal.update('organisations', survivorRow!, { ...chosen, slug, ...flagPatch, ...indexedColumns(draftOf({ ...united, ...chosen }), labels), updated_at: at });
    const survivorAfter = (await findOrganisationById(trx, survivorId))!;

    const involved = [survivorId, absorbedId, ...plan.pairs.flatMap((p) => [p.survivor.id, p.absorbed.id])];
    await repo.insertMerge(trx, {
      id: mergeId,
      candidate_id: candidates.decided?.id ?? null,
      kind: input.auto ? 'auto' : 'manual',
      survivor_id: survivorId,
      absorbed_id: absorbedId,
      // Both as they were known before the merge (the survivor may have taken the other's name).
      survivor_name: survivorBefore.name,
      absorbed_name: absorbed.name,
      absorbed_slug: absorbed.slug,
      absorbed_import_batch_id: absorbed.import_batch_id,
      absorbed_source_ref: absorbed.source_ref ?? null,
      score: candidates.decided?.score ?? null,
      reasons: candidates.decided?.reasons ?? null,
      contacts_merged: plan.pairs.length,
      journal: JSON.stringify(journal.entries),
      involved: JSON.stringify([...new Set(involved)]),
      merged_by: actor.id,
      merged_at: at,
    });

    await recordAudit(
      trx,
      actor,
      {
        action: input.auto ? 'organisation.auto_merged' : 'organisation.merged',
        entityType: 'organisation',
        entityId: survivorId,
        before: { survivor: snapshot(survivorBefore), absorbed: { id: absorbedId, slug: absorbed.slug, ...snapshot(absorbed) } },
        after: {
          ...snapshot(survivorAfter),
          merge_id: mergeId,
          absorbed_id: absorbedId,
          choices,
          repointed,
          candidates: { moved: candidates.moved, dropped: candidates.dropped },
          contacts_merged: plan.pairs.map((p) => ({ absorbed: p.absorbed.id, survivor: p.survivor.id, reason: p.reason })),
        },
      },
      now,
    );
    await recordAudit(trx, actor, { action: 'organisation.absorbed', entityType: 'organisation', entityId: absorbedId, before: snapshot(absorbed), after: { merged_into: survivorId, merge_id: mergeId } }, now);
    // The person's own history (RGPD export) says where the duplicate went.
    for (const pair of plan.pairs) {
      await recordAudit(
        trx,
        actor,
        {
          action: 'contact.merged',
          entityType: 'contact',
          entityId: pair.survivor.id,
          before: { absorbed: { id: pair.absorbed.id, first_name: pair.absorbed.first_name, last_name: pair.absorbed.last_name, emails: pair.absorbed.emails } },
          after: { merged_into: pair.survivor.id, reason: pair.reason, merge_id: mergeId },
        },
        now,
      );
    }
    return { mergeId, survivor: survivorAfter, candidateId: candidates.decided?.id ?? null, contactsMerged: plan.pairs.length };
  });
  return outcome;
}
