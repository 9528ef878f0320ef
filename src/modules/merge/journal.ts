import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import * as rows from './journal-repo.js';
import type { Row } from './journal-repo.js';
import { GENERATED_COLUMNS, keyOf } from './references.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One change a merge made, with what it takes to undo it. */
export type JournalEntry =
  /** A row inserted: undone by deleting it. */
  | { op: 'insert'; table: string; key: Row }
  /** A row changed: `key` finds it after the change; `before` and `after` hold the changed columns. */
  | { op: 'update'; table: string; key: Row; before: Row; after: Row }
  /** A row deleted, in full: undone by inserting it again. */
  | { op: 'delete'; table: string; row: Row };

function pick(row: Row, columns: readonly string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}

function withoutGenerated(table: string, row: Row): Row {
  const generated = GENERATED_COLUMNS[table];
  if (!generated) return row;
  return Object.fromEntries(Object.entries(row).filter(([c]) => !generated.includes(c)));
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/**
 * Writes the changes of a merge and remembers each of them, in order, so that `undoJournal` can
 * take them back one by one, last first.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];

  constructor(private readonly db: Db) {}

  /** Changes `changes` on a row read in full beforehand; columns already equal are left out. */
  async update(table: string, row: Row, changes: Row): Promise<void> {
    const changed = Object.fromEntries(Object.entries(changes).filter(([c, v]) => !same(row[c], v)));
    if (Object.keys(changed).length === 0) return;
    const keyColumns = keyOf(table);
    const where = pick(row, keyColumns);
    const count = await rows.updateRows(this.db, table, where, changed);
    if (count !== 1) throw new Error(`Merge: ${table} ${JSON.stringify(where)} changed ${count} rows`);
    this.entries.push({ op: 'update', table, key: { ...where, ...pick(changed, keyColumns.filter((c) => c in changed)) }, before: pick(row, Object.keys(changed)), after: changed });
  }

  /** Deletes a row read in full beforehand (every column, to insert it back on undo). */
  async delete(table: string, row: Row): Promise<void> {
    const where = pick(row, keyOf(table));
    const count = await rows.deleteRows(this.db, table, where);
    if (count !== 1) throw new Error(`Merge: ${table} ${JSON.stringify(where)} deleted ${count} rows`);
    this.entries.push({ op: 'delete', table, row: withoutGenerated(table, row) });
  }

  async insert(table: string, row: Row): Promise<void> {
    await rows.insertRow(this.db, table, row);
    this.entries.push({ op: 'insert', table, key: pick(row, keyOf(table)) });
  }
}

export interface UndoOutcome {
  /** Changes that could not be taken back because the row changed since (a later edit is kept). */
  skipped: number;
  /** Tables where a change was skipped, with the row's key. */
  conflicts: { table: string; key: Row }[];
}

/**
 * Takes a journal back, last change first: inserted rows deleted, deleted rows inserted again,
 * changed columns set back — each only where it still holds the value the merge gave it, so an
 * edit made since the merge is kept.
 */
export async function undoJournal(db: Db, entries: readonly JournalEntry[]): Promise<UndoOutcome> {
  const outcome: UndoOutcome = { skipped: 0, conflicts: [] };
  const skip = (table: string, key: Row) => {
    outcome.skipped++;
    outcome.conflicts.push({ table, key });
  };
  for (const entry of [...entries].reverse()) {
    if (entry.op === 'insert') {
      if ((await rows.deleteRows(db, entry.table, entry.key)) === 0) skip(entry.table, entry.key);
    } else if (entry.op === 'delete') {
      if ((await rows.insertRow(db, entry.table, entry.row, { ignoreConflict: true })) === 0) skip(entry.table, pick(entry.row, keyOf(entry.table)));
    } else {
      const keyColumns = keyOf(entry.table);
      // Untouched since the merge: every column back in one statement. Set one at a time, a row whose
      // columns are constrained together (a candidate pair: a < b, unique) could pass through a state
      // the constraints refuse, e.g. (b, b) on the way from (a', b') back to (a, b).
      const untouched = { ...entry.key, ...Object.fromEntries(Object.keys(entry.before).filter((c) => !keyColumns.includes(c)).map((c) => [c, entry.after[c] ?? null])) };
      if ((await rows.updateRows(db, entry.table, untouched, entry.before)) === 1) continue;
      let missed = false;
      // Other columns first, each compared with the value the merge wrote; the key last (it moves the row).
      for (const [column, value] of Object.entries(entry.before)) {
        if (keyColumns.includes(column)) continue;
        const count = await rows.updateRows(db, entry.table, { ...entry.key, [column]: entry.after[column] ?? null }, { [column]: value });
        if (count === 0) missed = true;
      }
      const keyBefore = Object.fromEntries(Object.entries(entry.before).filter(([c]) => keyColumns.includes(c)));
      if (Object.keys(keyBefore).length > 0 && (await rows.updateRows(db, entry.table, entry.key, keyBefore)) === 0) missed = true;
      if (missed) skip(entry.table, entry.key);
    }
  }
  return outcome;
}
