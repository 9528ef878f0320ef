import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// The resource library (ressources): studies, guides, capitalisation notes, members' brochures…
// Each resource has a file (stored in `files`) or an external link, metadata (kind, authors,
// organisation, year, language, themes, countries), a draft/published status and a download
// counter. Its search material lives apart (resource_search): the normalised title, summary and
// authors, and the distinct normalised words of the text extracted from its PDF, indexed in full
// text (SQLite FTS5; PostgreSQL tsvector 'simple', over text the application already normalised).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    // study | guide | capitalisation | brochure | toolkit | report | other
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('authors', 'text')
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('year', 'integer')
    // ISO 639-1 code (fr, en, es, pt, ar…) or 'other'
    .addColumn('language', 'text')
    .addColumn('file_id', 'text', (c) => c.references('files.id').onDelete('set null'))
    .addColumn('external_url', 'text')
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('published_at', ts)
    .addColumn('download_count', 'integer', (c) => c.notNull().defaultTo(0))
    // none (no PDF) | pending | done | failed
    .addColumn('extraction_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('extraction_error', 'text')
    .addColumn('extracted_pages', 'integer')
    .addColumn('extracted_chars', 'integer')
    .addColumn('extracted_at', ts)
    // staff | member | demo
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('staff'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resources_status_idx').on('resources').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('resources_organisation_idx').on('resources').column('organisation_id').execute();

  // Old slugs keep redirecting to the resource.
  await db.schema
    .createTable('resource_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('resource_themes')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('theme_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_themes_pk', ['resource_id', 'theme_code'])
    .execute();
  await db.schema.createIndex('resource_themes_code_idx').on('resource_themes').columns(['theme_code', 'resource_id']).execute();
  await db.schema
    .createTable('resource_countries')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_countries_pk', ['resource_id', 'country_code'])
    .execute();
  await db.schema.createIndex('resource_countries_code_idx').on('resource_countries').columns(['country_code', 'resource_id']).execute();

  await db.schema
    .createTable('resource_search')
    .addColumn('resource_id', 'text', (c) => c.primaryKey().references('resources.id').onDelete('cascade'))
    .addColumn('meta_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  if (isPostgres(db)) {
    await sql`alter table resource_search add column search_vector tsvector generated always as (to_tsvector('simple', meta_text || ' ' || body_text)) stored`.execute(db);
    await sql`create index resource_search_idx on resource_search using gin (search_vector)`.execute(db);
  } else {
    await sql`create virtual table resources_fts using fts5(meta_text, body_text, resource_id unindexed, tokenize = 'unicode61', prefix = '2 3 4 5 6 7 8 9 10')`.execute(db);
    await sql`create table resources_fts_map (resource_id text primary key, fts_rowid integer not null)`.execute(db);
    await sql`create trigger resources_fts_insert after insert on resource_search begin
      insert into resources_fts (meta_text, body_text, resource_id) values (new.meta_text, new.body_text, new.resource_id);
      insert into resources_fts_map (resource_id, fts_rowid) values (new.resource_id, last_insert_rowid()); end`.execute(db);
    await sql`create trigger resources_fts_update after update of meta_text, body_text on resource_search begin
      delete from resources_fts where rowid = (select fts_rowid from resources_fts_map where resource_id = old.resource_id);
      insert into resources_fts (meta_text, body_text, resource_id) values (new.meta_text, new.body_text, new.resource_id);
      update resources_fts_map set fts_rowid = last_insert_rowid() where resource_id = new.resource_id; end`.execute(db);
    await sql`create trigger resources_fts_delete after delete on resource_search begin
      delete from resources_fts where rowid = (select fts_rowid from resources_fts_map where resource_id = old.resource_id);
      delete from resources_fts_map where resource_id = old.resource_id; end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    for (const trigger of ['resources_fts_insert', 'resources_fts_update', 'resources_fts_delete']) await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
    await sql`drop table if exists resources_fts`.execute(db);
    await sql`drop table if exists resources_fts_map`.execute(db);
  }
  for (const table of ['resource_search', 'resource_countries', 'resource_themes', 'resource_slugs', 'resources']) {
    await db.schema.dropTable(table).execute();
  }
}
