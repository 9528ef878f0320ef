import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// Merges of two organisations: who merged which record into which, and a journal of every row the
// merge inserted, changed or deleted (old and new values), enough to undo it exactly. The absorbed
// record's import provenance is kept in columns so a re-import can recognise it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);
  await db.schema
    .createTable('merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('candidate_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('survivor_id', 'text', (c) => c.notNull())
    .addColumn('absorbed_id', 'text', (c) => c.notNull())
    .addColumn('survivor_name', 'text', (c) => c.notNull())
    .addColumn('absorbed_name', 'text', (c) => c.notNull())
    .addColumn('absorbed_slug', 'text', (c) => c.notNull())
    .addColumn('absorbed_import_batch_id', 'text')
    .addColumn('absorbed_source_ref', 'text')
    .addColumn('score', 'double precision')
    .addColumn('reasons', 'text')
    .addColumn('contacts_merged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('journal', 'text', (c) => c.notNull())
    .addColumn('involved', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text')
    .addColumn('merged_at', ts, (c) => c.notNull())
    .addColumn('undone_at', ts)
    .addColumn('undone_by', 'text')
    .execute();
  await db.schema.createIndex('merges_merged_at_idx').on('merges').columns(['merged_at', 'id']).execute();
  await db.schema.createIndex('merges_candidate_idx').on('merges').column('candidate_id').execute();
  await db.schema.createIndex('merges_absorbed_idx').on('merges').column('absorbed_id').execute();
  await db.schema.createIndex('merges_absorbed_ref_idx').on('merges').columns(['absorbed_import_batch_id', 'absorbed_source_ref']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('merges').execute();
}
