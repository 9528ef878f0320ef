import type SQLite from 'better-sqlite3';
import { type ExpressionBuilder, type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, ImportBatchesTable, ImportBatchStatus, ImportIssuesTable, ImportMappingsTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { BULK_TABLES, type BulkRow, type BulkTable, finishChunkPostgres, insertChunkPostgres, insertChunkSqlite } from './bulk-repo.js';

export type Db = Kysely<Database> | Transaction<Database>;

export type BatchRow = Selectable<ImportBatchesTable>;
export type MappingRow = Selectable<ImportMappingsTable>;
export type IssueRow = Selectable<ImportIssuesTable>;

// ---------- Batches ----------

export async function insertBatch(db: Db, row: Insertable<ImportBatchesTable>): Promise<void> {
  await db.insertInto('import_batches').values(row).execute();
}

export function findBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest batch of this file from this source that was not undone (a re-run resumes or stops there). */
export function findBatchOfFile(db: Db, sha256: string, sourceName: string): Promise<BatchRow | undefined> {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('source_name', '=', sourceName)
    .where('status', '!=', 'undone')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * The latest import of a file with this content (SHA-256) that was written and not undone, from any
 * source: the same file imported again, maybe under another source name. `exceptId`: the batch asking.
 */
export function findCommittedBatchOfFile(db: Db, sha256: string, exceptId?: string): Promise<BatchRow | undefined> {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('status', '=', 'committed')
    .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** `undo_journal`: the journal entry (`after`) of the latest undo of the batch `b`, for a select on `import_batches as b`. */
export function undoJournalColumn(eb: ExpressionBuilder<Database & { b: ImportBatchesTable }, 'b'>) {
  return eb
    .selectFrom('audit_log as a')
    .select('a.after')
    .whereRef('a.entity_id', '=', 'b.id')
    .where('a.entity_type', '=', 'import_batch')
    .where('a.action', '=', 'import.undone')
    .orderBy('a.at', 'desc')
    .limit(1)
    .as('undo_journal');
}

/** The latest batches, with the journal entry of an undone one's undo (what it removed: see undoneCounts). */
export function listBatches(db: Db, limit = 50): Promise<(BatchRow & { undo_journal: string | null })[]> {
  return db
    .selectFrom('import_batches as b')
    .selectAll('b')
    .select(undoJournalColumn)
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
}

export async function updateBatch(db: Db, id: string, patch: Updateable<ImportBatchesTable>): Promise<void> {
  await db.updateTable('import_batches').set(patch).where('id', '=', id).execute();
}

/**
 * Moves the checkpoint from `from` to the patch's, only if nobody moved it meanwhile and the batch
 * is still being written: two processes resuming the same batch cannot both commit the same rows,
 * and a batch undone or cancelled meanwhile receives no more (the caller's transaction rolls back).
 */
export async function advanceCheckpoint(trx: Db, id: string, from: number, patch: Updateable<ImportBatchesTable>): Promise<boolean> {
  const result = await trx
    .updateTable('import_batches')
    .set(patch)
    .where('id', '=', id)
    .where('checkpoint_row', '=', from)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Updates a batch only while its status is one of `statuses` (another writer may have undone it): whether it did. */
export async function updateBatchIn(db: Db, id: string, statuses: readonly ImportBatchStatus[], patch: Updateable<ImportBatchesTable>): Promise<boolean> {
  const result = await db.updateTable('import_batches').set(patch).where('id', '=', id).where('status', 'in', [...statuses]).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Updates a batch only while it is as it was read (same status, and same checkpoint unless
 * `running`: a commit taken for dead may still move it): whether it did.
 */
export async function updateBatchAsRead(db: Db, read: Pick<BatchRow, 'id' | 'status' | 'checkpoint_row'>, patch: Updateable<ImportBatchesTable>): Promise<boolean> {
  let query = db.updateTable('import_batches').set(patch).where('id', '=', read.id).where('status', '=', read.status);
  if (read.status !== 'running') query = query.where('checkpoint_row', '=', read.checkpoint_row);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Updates a batch only while nobody wrote to it since it was read (same status, same `updated_at`):
 * whether it did. A step that checked the batch, then took its time (read the file), so writes
 * nothing over a validation started meanwhile, nor over another reading or mapping saved meanwhile.
 */
export async function updateBatchUnchanged(db: Db, read: Pick<BatchRow, 'id' | 'status' | 'updated_at'>, patch: Updateable<ImportBatchesTable>): Promise<boolean> {
  const result = await db.updateTable('import_batches').set(patch).where('id', '=', read.id).where('status', '=', read.status).where('updated_at', '=', read.updated_at).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Deletes a batch that wrote nothing (see `deletable` in batch-data.ts) with its report, only if it
 * still did not when deleted (a commit may have started meanwhile): whether it did.
 */
export async function deleteUnwrittenBatch(db: Kysely<Database>, id: string, options: { untouchedSince?: string } = {}): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .deleteFrom('import_batches')
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['draft', 'validated']),
          eb.and([eb('status', '=', 'failed'), eb('checkpoint_row', '=', 0)]),
          // Committed without creating anything: every row already imported (see `deletable`).
          eb.and([eb('status', '=', 'committed'), eb('created_organisations', '=', 0), eb('created_contacts', '=', 0)]),
        ]),
      );
    // Only if nobody took it up again since (the retention sweep).
    if (options.untouchedSince !== undefined) query = query.where('updated_at', '<', options.untouchedSince);
    const result = await query
      .where((eb) => eb.not(eb.exists(eb.selectFrom('organisations').select('id').where('import_batch_id', '=', id))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contacts').select('id').where('import_batch_id', '=', id))))
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) return false;
    await trx.deleteFrom('import_issues').where('batch_id', '=', id).execute();
    return true;
  });
}

/** The journal's entry of a batch's undo (its `after`: what was removed), or null. */
export async function undoJournal(db: Db, batchId: string): Promise<string | null> {
  const row = await db.selectFrom('import_batches as b').select(undoJournalColumn).where('b.id', '=', batchId).executeTakeFirst();
  return row?.undo_journal ?? null;
}

// ---------- Issues (the validation report) ----------

/**
 * A validation takes its batch: in one transaction, the batch is updated (`patch`: marked as this
 * validation's) only if nobody wrote to it since it was `read` (updateBatchUnchanged), and its
 * report is cleared. Whether it did. Report lines of another validation, checked against the batch
 * as that one last wrote it, can no longer go in (insertIssuesUnchanged); those that went in before
 * are deleted here. On PostgreSQL the update locks the batch's row: a statement writing such lines
 * at that moment (it holds the row `for share`) is waited for, so its lines are deleted too; and of
 * two claims of the same reading, the second one finds the batch changed.
 */
export async function claimValidation(db: Kysely<Database>, read: Pick<BatchRow, 'id' | 'status' | 'updated_at'>, patch: Updateable<ImportBatchesTable>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await updateBatchUnchanged(trx, read, patch))) return false;
    await trx.deleteFrom('import_issues').where('batch_id', '=', read.id).execute();
    return true;
  });
}

const ISSUE_COLUMNS = ['batch_id', 'row_number', 'source_ref', 'level', 'field', 'code', 'params', 'raw_value'] as const;

/**
 * The lines as a table to select from. PostgreSQL: one array per column (`unnest`), a few
 * parameters whatever the count, 2 to 3 times as fast as a VALUES list. SQLite: a VALUES list (its
 * parameters typed by the columns they go to; the row number is cast for PostgreSQL's sake only).
 */
function issuesSource(dialect: Dialect, rows: Insertable<ImportIssuesTable>[]) {
  if (dialect === 'postgres') {
    const column = (name: (typeof ISSUE_COLUMNS)[number]) => sql`${rows.map((r) => r[name] ?? null)}::${sql.raw(name === 'row_number' ? 'integer[]' : 'text[]')}`;
    return sql<Insertable<ImportIssuesTable>>`unnest(${sql.join(ISSUE_COLUMNS.map(column))})`;
  }
  const values = rows.map((r) => sql`(${r.batch_id}, ${r.row_number}, ${r.source_ref ?? null}, ${r.level}, ${r.field}, ${r.code}, ${r.params ?? null}, ${r.raw_value ?? null})`);
  return sql<Insertable<ImportIssuesTable>>`(values ${sql.join(values)})`;
}

/**
 * Inserts report lines only while nobody wrote to their batch since it was `read` (the condition of
 * updateBatchUnchanged), each slice of 2,000 in one statement that checks and inserts at once:
 * `insert … select * from (the lines) where exists (the batch unchanged)`. No change to the batch
 * can land between the check and the insert: SQLite runs the statement under its single writer's
 * lock; on PostgreSQL the check locks the batch's row (`for share`), so a change waits until the
 * lines are in (and a validation started by it then clears them), and a change committed first is
 * seen (the locked row is read again as it is now). Whether every slice went in: `false` once the
 * batch changed, from which slice on nothing more is written.
 */
export async function insertIssuesUnchanged(
  db: Db,
  dialect: Dialect,
  read: Pick<BatchRow, 'id' | 'status' | 'updated_at'>,
  rows: Insertable<ImportIssuesTable>[],
): Promise<boolean> {
  // 8 columns: 2,000 rows stay far under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 2000) {
    const slice = rows.slice(i, i + 2000);
    const unchanged = db
      .selectFrom('import_batches')
      .select('id')
      .where('id', '=', read.id)
      .where('status', '=', read.status)
      .where('updated_at', '=', read.updated_at)
      .$if(dialect === 'postgres', (q) => q.forShare());
    const result = await db
      .insertInto('import_issues')
      .columns([...ISSUE_COLUMNS])
      .expression(
        db
          .selectFrom(issuesSource(dialect, slice).as('v'))
          .selectAll()
          .where(({ exists }) => exists(unchanged)),
      )
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) !== slice.length) return false;
  }
  return true;
}

/** A page of the report in row order (the report is read in pages, never whole). */
export function issuesPage(db: Db, batchId: string, afterRow: number, limit: number, level?: 'error' | 'warning'): Promise<IssueRow[]> {
  let q = db.selectFrom('import_issues').selectAll().where('batch_id', '=', batchId).where('row_number', '>', afterRow);
  if (level) q = q.where('level', '=', level);
  return q.orderBy('row_number').limit(limit).execute();
}

// ---------- Saved mappings ----------

export async function upsertMapping(db: Db, row: Insertable<ImportMappingsTable>): Promise<void> {
  await db
    .insertInto('import_mappings')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ mapping: row.mapping, updated_at: row.updated_at }))
    .execute();
}

export function findMappingByName(db: Db, name: string): Promise<MappingRow | undefined> {
  return db.selectFrom('import_mappings').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listMappings(db: Db): Promise<MappingRow[]> {
  return db.selectFrom('import_mappings').selectAll().orderBy('name').execute();
}

export async function deleteMapping(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('import_mappings').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------- Commit ----------

/** References of this source already imported by other batches (a changed file re-imported skips them). */
export async function existingRefs(db: Db, sourceName: string, refs: string[], exceptBatchId: string): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  // The first import of a source (the usual case) has nothing to look up: one glance at the few
  // batches instead of a thousand references looked up per chunk.
  const other = await db.selectFrom('import_batches').select('id').where('source_name', '=', sourceName).where('id', '!=', exceptBatchId).limit(1).executeTakeFirst();
  if (!other) return new Set();
  const rows = await db
    .selectFrom('organisations as o')
    .innerJoin('import_batches as b', 'b.id', 'o.import_batch_id')
    .select('o.source_ref')
    .where('b.source_name', '=', sourceName)
    .where('b.id', '!=', exceptBatchId)
    .where('o.source_ref', 'in', refs)
    .execute();
  // A record merged away since is still "already imported": a re-run must not bring the duplicate back.
  const absorbed = await db
    .selectFrom('merges as m')
    .innerJoin('import_batches as b', 'b.id', 'm.absorbed_import_batch_id')
    .select('m.absorbed_source_ref as source_ref')
    .where('b.source_name', '=', sourceName)
    .where('b.id', '!=', exceptBatchId)
    .where('m.undone_at', 'is', null)
    .where('m.absorbed_source_ref', 'in', refs)
    .execute();
  return new Set([...rows, ...absorbed].map((r) => r.source_ref!).filter(Boolean));
}

/** Slugs in use, current and old (redirecting) ones. */
export async function usedSlugs(db: Db): Promise<Set<string>> {
  const [current, old] = await Promise.all([
    db.selectFrom('organisations').select('slug').execute(),
    db.selectFrom('organisation_slugs').select('slug').execute(),
  ]);
  return new Set([...current, ...old].map((r) => r.slug));
}

/** Writes a chunk's records (dependants after what they reference); the caller holds the transaction. */
export async function insertChunk(trx: Transaction<Database>, sqlite: SQLite.Database | null, batchId: string, rows: Record<BulkTable, BulkRow[]>): Promise<void> {
  return sqlite ? insertChunkSqlite(sqlite, batchId, rows) : insertChunkPostgres(trx, rows);
}

/** The end of a chunk's transaction, after its checkpoint: on PostgreSQL, the directory's counter moves (SQLite moved it already). */
export async function finishChunk(trx: Transaction<Database>, sqlite: SQLite.Database | null, rows: Record<BulkTable, BulkRow[]>): Promise<void> {
  if (!sqlite) await finishChunkPostgres(trx, rows);
}

/** The PostgreSQL advisory lock under which imports write, one at a time (any constant; decision 0021). */
const IMPORT_WRITE_LOCK = 5_171_401_957;
const LOCK_POLL_MS = 500;

/**
 * PostgreSQL: runs `run` once this process holds the import write lock, on a connection of its own
 * kept for the run (the lock goes with the session, so a killed process releases it). Two imports
 * never write side by side: a chunk waiting for the chunk before it, while holding slugs another
 * import's chunk waits for, would be a wait PostgreSQL cannot see nor break. Waiting, `onWait` is
 * called once; `stop()` is asked between two polls and throws to give up. SQLite has one writer anyway.
 */
export async function withImportWriteLock<T>(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null,
  wait: { onWait?: () => void; stop: () => void },
  run: () => Promise<T>,
): Promise<T> {
  if (sqlite) return run();
  return db.connection().execute(async (conn) => {
    let told = false;
    for (;;) {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${IMPORT_WRITE_LOCK}) as locked`.execute(conn);
      if (rows[0]?.locked) break;
      if (!told) wait.onWait?.();
      told = true;
      wait.stop();
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await run();
    } finally {
      await sql`select pg_advisory_unlock(${IMPORT_WRITE_LOCK})`.execute(conn);
    }
  });
}

export function transaction<T>(db: Kysely<Database>, run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(run);
}

/** Ids of the organisations a batch created, after a row up to another (to hand them to geocoding in pages), or all of them. */
export async function batchOrganisationIds(db: Db, batchId: string, rows?: { fromRow: number; toRow: number }): Promise<string[]> {
  const found = await db
    .selectFrom('organisations')
    .select('id')
    .where('import_batch_id', '=', batchId)
    .$if(rows !== undefined, (qb) => qb.where('source_row', '>', rows!.fromRow).where('source_row', '<=', rows!.toRow))
    .execute();
  return found.map((r) => r.id);
}

// ---------- Undo ----------

export async function countBatchRecords(db: Db, batchId: string): Promise<{ organisations: number; contacts: number }> {
  const [o, c] = await Promise.all([
    db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('import_batch_id', '=', batchId).executeTakeFirstOrThrow(),
    db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('import_batch_id', '=', batchId).executeTakeFirstOrThrow(),
  ]);
  return { organisations: Number(o.n), contacts: Number(c.n) };
}

/**
 * Merges still in force that involve an organisation of the batch, as survivor (still in the
 * batch) or absorbed (gone, remembered by the merge), oldest first.
 */
export function activeMergesOfBatch(db: Db, batchId: string) {
  return db
    .selectFrom('merges')
    .select(['id', 'survivor_name', 'absorbed_name', 'merged_at'])
    .where('undone_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('absorbed_import_batch_id', '=', batchId),
        eb('survivor_id', 'in', eb.selectFrom('organisations').select('id').where('import_batch_id', '=', batchId)),
      ]),
    )
    .orderBy('merged_at')
    .execute();
}

/**
 * Removes what a batch created: its contacts (their emails, roles and consent records go with
 * them) and its organisations (links, memberships, remaining roles, slugs go with them).
 */
export async function deleteBatchRecords(trx: Db, batchId: string): Promise<{ organisations: number; contacts: number }> {
  const contacts = await trx.deleteFrom('contacts').where('import_batch_id', '=', batchId).executeTakeFirst();
  const organisations = await trx.deleteFrom('organisations').where('import_batch_id', '=', batchId).executeTakeFirst();
  return { organisations: Number(organisations.numDeletedRows), contacts: Number(contacts.numDeletedRows) };
}

/**
 * Refreshes the planner's statistics of the tables an import writes (both dialects understand
 * `analyze <table>`; the other tables did not change). Two streams: on PostgreSQL each has a
 * connection of its own and the server uses both cores (organisations, the widest table, takes
 * about as long as all the others); SQLite's single connection runs them one after the other.
 */
export async function analyze(db: Kysely<Database>): Promise<void> {
  const [widest, ...others] = Object.keys(BULK_TABLES) as BulkTable[];
  const run = (table: BulkTable) => sql`analyze ${sql.table(table)}`.execute(db);
  await Promise.all([
    run(widest!),
    (async () => {
      for (const table of others) await run(table);
    })(),
  ]);
}
