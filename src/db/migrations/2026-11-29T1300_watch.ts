import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// The watch (veille): feed sources managed by staff, the items read from them (triaged in an
// inbox: new, kept, ignored), their tags (themes, countries, category), and keyword rules that
// tag or keep new items. Kept items are searched in full text (normalised text, like the directory).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('watch_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    // institutional | funding | mobility | studies | europe | other (null: none)
    .addColumn('category', 'text')
    .addColumn('site_url', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', ts)
    .addColumn('last_success_at', ts)
    // JSON { key, params } translated when shown.
    .addColumn('last_error', 'text')
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    // When the next read is due (interval, or backoff after errors); null: at once.
    .addColumn('next_fetch_at', ts)
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watch_sources_due_idx').on('watch_sources').columns(['active', 'next_fetch_at']).execute();

  await db.schema
    .createTable('watch_source_themes')
    .addColumn('source_id', 'text', (c) => c.notNull().references('watch_sources.id').onDelete('cascade'))
    .addColumn('theme_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_source_themes_pk', ['source_id', 'theme_code'])
    .execute();

  await db.schema
    .createTable('watch_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull().references('watch_sources.id').onDelete('cascade'))
    // Dedupe keys, in order: the feed's GUID, the normalised link, the normalised title + day.
    .addColumn('guid', 'text')
    .addColumn('link_key', 'text')
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary_html', 'text')
    .addColumn('excerpt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author', 'text')
    .addColumn('published_at', ts, (c) => c.notNull())
    // true when the feed gave no date (published_at is then the fetch time)
    .addColumn('date_missing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    // new | kept | ignored
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('category', 'text')
    .addColumn('note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', ts)
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_seen_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watch_items_guid_idx').on('watch_items').columns(['source_id', 'guid']).execute();
  await db.schema.createIndex('watch_items_link_idx').on('watch_items').columns(['source_id', 'link_key']).execute();
  await db.schema.createIndex('watch_items_title_idx').on('watch_items').columns(['source_id', 'title_key']).execute();
  await db.schema.createIndex('watch_items_status_idx').on('watch_items').columns(['status', 'published_at']).execute();

  await db.schema
    .createTable('watch_item_themes')
    .addColumn('item_id', 'text', (c) => c.notNull().references('watch_items.id').onDelete('cascade'))
    .addColumn('theme_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_item_themes_pk', ['item_id', 'theme_code'])
    .execute();
  await db.schema.createIndex('watch_item_themes_code_idx').on('watch_item_themes').columns(['theme_code', 'item_id']).execute();
  await db.schema
    .createTable('watch_item_countries')
    .addColumn('item_id', 'text', (c) => c.notNull().references('watch_items.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_item_countries_pk', ['item_id', 'country_code'])
    .execute();
  await db.schema.createIndex('watch_item_countries_code_idx').on('watch_item_countries').columns(['country_code', 'item_id']).execute();

  // Saved keyword rules: a new item whose title or text holds the keyword gets the tags, or is kept.
  await db.schema
    .createTable('watch_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addColumn('theme_code', 'text')
    .addColumn('country_code', 'text')
    .addColumn('category', 'text')
    .addColumn('auto_keep', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  if (isPostgres(db)) {
    await sql`alter table watch_items add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(db);
    await sql`create index watch_items_search_idx on watch_items using gin (search_vector)`.execute(db);
  } else {
    await sql`create virtual table watch_items_fts using fts5(search_text, item_id unindexed, tokenize = 'unicode61', prefix = '2 3 4')`.execute(db);
    await sql`create table watch_items_fts_map (item_id text primary key, fts_rowid integer not null)`.execute(db);
    await sql`create trigger watch_items_fts_insert after insert on watch_items begin
      insert into watch_items_fts (search_text, item_id) values (new.search_text, new.id);
      insert into watch_items_fts_map (item_id, fts_rowid) values (new.id, last_insert_rowid()); end`.execute(db);
    await sql`create trigger watch_items_fts_update after update of search_text on watch_items begin
      delete from watch_items_fts where rowid = (select fts_rowid from watch_items_fts_map where item_id = old.id);
      insert into watch_items_fts (search_text, item_id) values (new.search_text, new.id);
      update watch_items_fts_map set fts_rowid = last_insert_rowid() where item_id = new.id; end`.execute(db);
    await sql`create trigger watch_items_fts_delete after delete on watch_items begin
      delete from watch_items_fts where rowid = (select fts_rowid from watch_items_fts_map where item_id = old.id);
      delete from watch_items_fts_map where item_id = old.id; end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop table if exists watch_items_fts`.execute(db);
    await sql`drop table if exists watch_items_fts_map`.execute(db);
  }
  for (const table of ['watch_rules', 'watch_item_countries', 'watch_item_themes', 'watch_items', 'watch_source_themes', 'watch_sources']) {
    await db.schema.dropTable(table).execute();
  }
}
