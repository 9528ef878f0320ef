import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type BatchRow, type IssueRow, undoJournalColumn } from './repo.js';

export type BatchListRow = BatchRow & { author: string | null; undo_journal: string | null };

/** A page of the imports, latest first, with who started each and, for one undone, what its undo removed (its journal entry). */
export async function listBatchPage(db: Kysely<Database>, limit: number, offset: number): Promise<{ rows: BatchListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('import_batches as b')
      .select(undoJournalColumn)
      .leftJoin('users as u', 'u.id', 'b.created_by')
      .selectAll('b')
      .select('u.display_name as author')
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db.selectFrom('import_batches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** A page of a batch's validation report, in row order. */
export async function issuePage(db: Kysely<Database>, batchId: string, limit: number, offset: number): Promise<{ rows: IssueRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.selectFrom('import_issues').selectAll().where('batch_id', '=', batchId).orderBy('row_number').orderBy('level').limit(limit).offset(offset).execute(),
    db.selectFrom('import_issues').select((eb) => eb.fn.countAll<number>().as('n')).where('batch_id', '=', batchId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
