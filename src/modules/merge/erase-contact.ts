import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { JournalEntry } from './journal.js';
import type { Row } from './journal-repo.js';
import * as repo from './repo.js';

/** Columns that identify or describe a person, per table of contact data a merge may journal. */
const PERSONAL_COLUMNS: Record<string, string[]> = {
  contacts: ['civility', 'first_name', 'last_name', 'sort_name', 'phone', 'notes'],
  contact_emails: ['email', 'email_lower'],
  contact_roles: ['function'],
  consents: ['detail', 'ip'],
};

function scrubRow(table: string, row: Row): Row {
  const personal = PERSONAL_COLUMNS[table];
  if (!personal) return row;
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, personal.includes(column) && value !== null ? '[effacé]' : value]));
}

// Every person's data in such a journal is blanked, not only the erased contact's rows: the
// contacts a merge deduplicated were the same person under other ids, and the merge can no longer
// be undone, so nothing else needs them.
function scrubEntry(entry: JournalEntry): JournalEntry {
  if (entry.op === 'delete') return { ...entry, row: scrubRow(entry.table, entry.row) };
  if (entry.op === 'update') {
    return { ...entry, key: scrubRow(entry.table, entry.key), before: scrubRow(entry.table, entry.before), after: scrubRow(entry.table, entry.after) };
  }
  return { ...entry, key: scrubRow(entry.table, entry.key) };
}

/**
 * RGPD erasure reaches the merge journals: what a merge kept of the person to undo it is blanked.
 * (Such a merge can no longer be undone: the undo refuses merges that involve an erased contact.)
 */
export async function eraseContactFromMerges(db: Kysely<Database> | Transaction<Database>, contactId: string): Promise<number> {
  const merges = await repo.mergesInvolving(db, contactId);
  for (const merge of merges) {
    const journal = (JSON.parse(merge.journal) as JournalEntry[]).map(scrubEntry);
    await repo.replaceJournal(db, merge.id, JSON.stringify(journal));
  }
  return merges.length;
}
