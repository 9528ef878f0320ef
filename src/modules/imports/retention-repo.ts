import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** Batches still holding an uploaded file: written or undone ones, and drafts left since `before`. */
export function batchesHoldingFiles(db: Db, before: string) {
  return db
    .selectFrom('import_batches')
    .select(['id', 'file_path', 'status'])
    .where('file_path', '!=', '')
    .where((eb) => eb.or([eb('status', 'in', ['committed', 'undone']), eb.and([eb('status', 'in', ['draft', 'validating', 'validated', 'failed']), eb('updated_at', '<', before)])]))
    .execute();
}

/** Uploads never written, left at a step of the wizard (uploaded, or checked) since `before`. */
export function abandonedDrafts(db: Db, before: string) {
  return db
    .selectFrom('import_batches')
    .select(['id', 'file_path', 'file_name', 'source_name', 'status', 'total_rows', 'created_at'])
    .where('status', 'in', ['draft', 'validated'])
    .where('updated_at', '<', before)
    .execute();
}

/** Forgets a batch's file; an abandoned draft also ends, failed for the reason given. */
export async function markFileReleased(db: Db, id: string, abandoned: { error: string; error_key: string; error_params: string } | null, at: string): Promise<void> {
  await db
    .updateTable('import_batches')
    .set(abandoned ? { file_path: '', status: 'failed', ...abandoned, updated_at: at } : { file_path: '' })
    .where('id', '=', id)
    .execute();
}

/** The per-row report of batches finished or left since `before` (it quotes the file's values). */
export async function deleteOldIssues(db: Db, before: string): Promise<void> {
  await db
    .deleteFrom('import_issues')
    .where('batch_id', 'in', (eb) => eb.selectFrom('import_batches').select('id').where('updated_at', '<', before).where('status', 'not in', ['validating', 'queued', 'running']))
    .execute();
}
