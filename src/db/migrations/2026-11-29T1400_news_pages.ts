import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// News articles (the network's and its members', approved through moderation) with their themes,
// countries and old slugs, and editable static pages placed by staff in the header or footer menu.
// Both are searched in full text over normalised text (kernel/search/normalise.ts, like the watch):
// SQLite FTS5 tables kept by triggers (through a map, since rowids may change on VACUUM),
// PostgreSQL generated tsvector columns ('simple') with GIN indexes.
// Two change counters move on every change: 'news' (articles and their links) and 'pages'; page
// caches key on them and every web process reloads the page menus when 'pages' moves.

const NEWS_TABLES = ['news_articles', 'news_article_themes', 'news_article_countries'];
const COUNTERS: Array<[string, string[]]> = [
  ['news', NEWS_TABLES],
  ['pages', ['pages']],
];
const bump = (name: string) => `update change_counters set version = version + 1 where name = '${name}'`;

/** SQLite: a full-text table over `<table>.search_text`, kept by triggers through a map of rowids. */
async function sqliteFts(db: Kysely<unknown>, table: string, fts: string): Promise<void> {
  const map = `${fts}_map`;
  await sql.raw(`create virtual table ${fts} using fts5(search_text, record_id unindexed, tokenize = 'unicode61', prefix = '2 3 4')`).execute(db);
  await sql.raw(`create table ${map} (record_id text primary key, fts_rowid integer not null)`).execute(db);
  const add = `insert into ${fts} (search_text, record_id) values (new.search_text, new.id);
      insert into ${map} (record_id, fts_rowid) values (new.id, last_insert_rowid());`;
  const remove = `delete from ${fts} where rowid = (select fts_rowid from ${map} where record_id = old.id);
      delete from ${map} where record_id = old.id;`;
  await sql.raw(`create trigger ${fts}_insert after insert on ${table} begin ${add} end`).execute(db);
  await sql.raw(`create trigger ${fts}_update after update of search_text on ${table} begin ${remove} ${add} end`).execute(db);
  await sql.raw(`create trigger ${fts}_delete after delete on ${table} begin ${remove} end`).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('news_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    // The chapeau: one or two sentences shown in lists, feeds and link previews.
    .addColumn('summary', 'text')
    .addColumn('body_html', 'text')
    .addColumn('image_file_id', 'text')
    .addColumn('image_alt', 'text')
    // draft | published | archived; a published article is public once published_at has passed.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('published_at', ts)
    // Members' news: the organisation that is its author (null: the network's own news).
    .addColumn('organisation_id', 'text')
    // The staff member who wrote it (network news) or the member who proposed it.
    .addColumn('author_user_id', 'text')
    // staff | member | watch | demo
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('staff'))
    // Promoted from the watch: the item and the link to its source.
    .addColumn('watch_item_id', 'text')
    .addColumn('source_url', 'text')
    // Posting to the network's Mastodon account once public (1: asked for).
    .addColumn('mastodon_post', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mastodon_status_url', 'text')
    .addColumn('mastodon_posted_at', ts)
    .addColumn('mastodon_error', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('news_articles_public_idx').on('news_articles').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('news_articles_organisation_idx').on('news_articles').columns(['organisation_id']).execute();

  await db.schema
    .createTable('news_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('news_articles.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('news_article_themes')
    .addColumn('article_id', 'text', (c) => c.notNull().references('news_articles.id').onDelete('cascade'))
    .addColumn('theme_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('news_article_themes_pk', ['article_id', 'theme_code'])
    .execute();
  await db.schema.createIndex('news_article_themes_code_idx').on('news_article_themes').columns(['theme_code', 'article_id']).execute();
  await db.schema
    .createTable('news_article_countries')
    .addColumn('article_id', 'text', (c) => c.notNull().references('news_articles.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('news_article_countries_pk', ['article_id', 'country_code'])
    .execute();

  await db.schema
    .createTable('pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    // none | header | footer
    .addColumn('menu', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('menu_order', 'integer', (c) => c.notNull().defaultTo(0))
    // A shorter label for the menu (null: the title).
    .addColumn('menu_label', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('page_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id').onDelete('cascade'))
    .execute();

  if (isPostgres(db)) {
    for (const table of ['news_articles', 'pages']) {
      await sql.raw(`alter table ${table} add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`).execute(db);
      await sql.raw(`create index ${table}_search_idx on ${table} using gin (search_vector)`).execute(db);
    }
  } else {
    await sqliteFts(db, 'news_articles', 'news_fts');
    await sqliteFts(db, 'pages', 'pages_fts');
  }

  for (const [name, tables] of COUNTERS) {
    await db.insertInto('change_counters').values({ name, version: 0 }).execute();
    if (isPostgres(db)) {
      await sql.raw(`create function bump_${name}_version() returns trigger language plpgsql as $$ begin ${bump(name)}; return null; end $$`).execute(db);
      for (const table of tables) {
        await sql.raw(`create trigger ${table}_${name}_version after insert or update or delete or truncate on ${table} for each statement execute function bump_${name}_version()`).execute(db);
      }
    } else {
      for (const table of tables) {
        for (const event of ['insert', 'update', 'delete']) {
          await sql.raw(`create trigger ${table}_${name}_version_${event} after ${event} on ${table} begin ${bump(name)}; end`).execute(db);
        }
      }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, tables] of COUNTERS) {
    if (isPostgres(db)) {
      for (const table of tables) await sql.raw(`drop trigger ${table}_${name}_version on ${table}`).execute(db);
      await sql.raw(`drop function bump_${name}_version()`).execute(db);
    }
    await db.deleteFrom('change_counters').where('name', '=', name).execute();
  }
  if (!isPostgres(db)) {
    for (const fts of ['news_fts', 'pages_fts']) {
      await sql.raw(`drop table if exists ${fts}`).execute(db);
      await sql.raw(`drop table if exists ${fts}_map`).execute(db);
    }
  }
  for (const table of ['page_slugs', 'pages', 'news_article_countries', 'news_article_themes', 'news_slugs', 'news_articles']) {
    await db.schema.dropTable(table).execute();
  }
}
