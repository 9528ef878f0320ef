import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// Imports of files of organisations and contacts: one row per imported file (its mapping, legal
// basis, status, counts and commit checkpoint), the validation report's issues, saved mappings,
// and on every imported record the file, row and reference it came from.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text')
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    .addColumn('detection', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('valid-only'))
    .addColumn('legal_basis', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warning_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicate_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checkpoint_row', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_organisations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_contacts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_started_at', ts)
    .addColumn('run_start_processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('validated_at', ts)
    .addColumn('started_at', ts)
    .addColumn('progress_at', ts)
    .addColumn('finished_at', ts)
    .addColumn('error', 'text')
    .addColumn('undone_at', ts)
    .addColumn('undone_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_batches_file_idx').on('import_batches').columns(['file_sha256', 'source_name']).execute();
  await db.schema.createIndex('import_batches_created_idx').on('import_batches').column('created_at').execute();

  await db.schema
    .createTable('import_issues')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('params', 'text')
    .addColumn('raw_value', 'text')
    .execute();
  await db.schema.createIndex('import_issues_batch_idx').on('import_issues').columns(['batch_id', 'row_number']).execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  for (const table of ['organisations', 'contacts']) {
    await db.schema.alterTable(table).addColumn('source_file', 'text').execute();
    await db.schema.alterTable(table).addColumn('source_row', 'integer').execute();
    await db.schema.alterTable(table).addColumn('source_ref', 'text').execute();
    await db.schema.createIndex(`${table}_import_batch_idx`).on(table).columns(['import_batch_id', 'source_row']).execute();
  }
  // Fields whose value, as the source wrote it, failed its check and was kept (JSON array: ["siren"]).
  await db.schema.alterTable('organisations').addColumn('source_flags', 'text').execute();
  await db.schema.createIndex('organisations_source_ref_idx').on('organisations').column('source_ref').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisations_source_ref_idx').execute();
  await db.schema.alterTable('organisations').dropColumn('source_flags').execute();
  for (const table of ['contacts', 'organisations']) {
    await db.schema.dropIndex(`${table}_import_batch_idx`).execute();
    await db.schema.alterTable(table).dropColumn('source_ref').execute();
    await db.schema.alterTable(table).dropColumn('source_row').execute();
    await db.schema.alterTable(table).dropColumn('source_file').execute();
  }
  await db.schema.dropTable('import_mappings').execute();
  await db.schema.dropTable('import_issues').execute();
  await db.schema.dropTable('import_batches').execute();
}
