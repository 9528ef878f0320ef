import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// Faster imports.
// - Three indexes of organisations that no query needs: `visibility` alone is the first column of
//   the facets and visible-sort indexes (which serve every query filtering on it), nothing filters
//   or sorts on `name` any more (name order uses `sort_name`), and `source` (a handful of values)
//   is only read by the rare removal of seeded data, a scan either way.
// - SQLite: while a transaction of an import holds a row in `import_bulk_writes`, the row-level
//   triggers that copy each new organisation into the full-text index and bump the directory's
//   change counter for each new row stand aside: the import fills the full-text index for its whole
//   chunk in one statement and bumps the counter once, in the same transaction. The row is deleted
//   before the transaction commits, so no other transaction ever sees it (and another connection's
//   triggers always run). PostgreSQL's search vector is a generated column and its counter trigger
//   is per statement already.
const VERSION_TABLES = ['organisations', 'organisation_themes', 'organisation_countries', 'organisation_zones', 'organisation_sdgs'];
const BUMP = `update change_counters set version = version + 1 where name = 'directory'`;
const QUIET = `when not exists (select 1 from import_bulk_writes)`;
const DROPPED = [
  ['organisations_visibility_idx', 'visibility'],
  ['organisations_name_idx', 'name'],
  ['organisations_source_idx', 'source'],
] as const;

const FTS_INSERT = `insert into organisations_fts (search_text, organisation_id) values (new.search_text, new.id);
      insert into organisations_fts_map (organisation_id, fts_rowid) values (new.id, last_insert_rowid());`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name] of DROPPED) await db.schema.dropIndex(name).execute();
  if (isPostgres(db)) return;
  await db.schema.createTable('import_bulk_writes').addColumn('batch_id', 'text', (c) => c.notNull()).execute();
  await sql`drop trigger organisations_fts_insert`.execute(db);
  await sql.raw(`create trigger organisations_fts_insert after insert on organisations ${QUIET} begin
      ${FTS_INSERT} end`).execute(db);
  for (const table of VERSION_TABLES) {
    await sql.raw(`drop trigger ${table}_directory_version_insert`).execute(db);
    await sql.raw(`create trigger ${table}_directory_version_insert after insert on ${table} ${QUIET} begin ${BUMP}; end`).execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    for (const table of VERSION_TABLES) {
      await sql.raw(`drop trigger ${table}_directory_version_insert`).execute(db);
      await sql.raw(`create trigger ${table}_directory_version_insert after insert on ${table} begin ${BUMP}; end`).execute(db);
    }
    await sql`drop trigger organisations_fts_insert`.execute(db);
    await sql.raw(`create trigger organisations_fts_insert after insert on organisations begin
      ${FTS_INSERT} end`).execute(db);
    await db.schema.dropTable('import_bulk_writes').execute();
  }
  for (const [name, column] of DROPPED) await db.schema.createIndex(name).on('organisations').column(column).execute();
}
