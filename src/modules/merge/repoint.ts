import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Journal } from './journal.js';
import * as rows from './journal-repo.js';
import { type ColumnReference, columnReferences, type MentionReference, mentionReferences } from './references.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What a repoint did: rows moved to the survivor, rows dropped because the survivor had the same. */
export interface RepointCount {
  moved: number;
  dropped: number;
}

/**
 * Moves the rows of one reference from `fromId` to `toId`. A row that would duplicate one of the
 * target's (same theme, same year, same person…) is dropped; a flag the target already carries
 * (main contact, primary email) is taken off the moved rows. Every change goes through the journal.
 */
export async function repointColumn(db: Db, journal: Journal, ref: ColumnReference, fromId: string, toId: string): Promise<RepointCount> {
  const count: RepointCount = { moved: 0, dropped: 0 };
  const found = await rows.selectRows(db, ref.table, { [ref.column]: fromId }, ref.scope);
  if (found.length === 0) return count;
  let targetHasFlag = ref.exclusiveFlag ? await rows.rowExists(db, ref.table, { [ref.column]: toId, [ref.exclusiveFlag]: 1 }) : false;
  for (const row of found) {
    const unique = ref.unique ?? [];
    const collides = unique.length > 0 && (await rows.rowExists(db, ref.table, { [ref.column]: toId, ...Object.fromEntries(unique.map((c) => [c, row[c] ?? null])) }));
    if (collides) {
      await journal.delete(ref.table, row);
      count.dropped++;
      continue;
    }
    const changes: Record<string, unknown> = { [ref.column]: toId };
    if (ref.exclusiveFlag && Number(row[ref.exclusiveFlag]) === 1) {
      if (targetHasFlag) changes[ref.exclusiveFlag] = 0;
      else targetHasFlag = true;
    }
    await journal.update(ref.table, row, changes);
    count.moved++;
  }
  return count;
}

/** Replaces the id in text columns that mention it (saved filters' query strings). */
export async function repointMentions(db: Db, journal: Journal, ref: MentionReference, fromId: string, toId: string): Promise<number> {
  const found = await rows.selectRowsMentioning(db, ref.table, ref.column, fromId);
  for (const row of found) {
    await journal.update(ref.table, row, { [ref.column]: String(row[ref.column]).split(fromId).join(toId) });
  }
  return found.length;
}

/** Repoints every registered reference of one kind of record; counts per table. */
export async function repointAll(db: Db, journal: Journal, target: 'organisation' | 'contact', fromId: string, toId: string): Promise<Record<string, RepointCount>> {
  const counts: Record<string, RepointCount> = {};
  for (const ref of columnReferences(target)) {
    const c = await repointColumn(db, journal, ref, fromId, toId);
    if (c.moved || c.dropped) counts[`${ref.table}.${ref.column}`] = c;
  }
  for (const ref of mentionReferences(target)) {
    const moved = await repointMentions(db, journal, ref, fromId, toId);
    if (moved) counts[`${ref.table}.${ref.column}`] = { moved, dropped: 0 };
  }
  return counts;
}
