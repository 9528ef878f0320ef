import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// Calls for projects: funder, dates (status computed from them, never stored), amounts in cents,
// co-financing rate, eligible kinds of actor, territories (régions, départements), themes,
// countries and zones in link tables (the newsletter matches them against people's interests),
// attached documents, old slugs that keep redirecting. Full text over normalised funder, title,
// summary and description, as the watch does. A change counter moved by the database on every
// change keys the page cache and the home page block.

// Tables whose changes move the calls' version.
const VERSIONED = ['calls', 'call_kinds', 'call_themes', 'call_countries', 'call_zones', 'call_regions', 'call_departments', 'call_documents'];
const BUMP = `update change_counters set version = version + 1 where name = 'calls'`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    // The funder as shown (free text), optionally linked to an organisation of the directory.
    .addColumn('funder', 'text', (c) => c.notNull())
    .addColumn('funder_organisation_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('summary', 'text')
    .addColumn('description_html', 'text')
    // Dates as typed (YYYY-MM-DD, Europe/Paris) and the optional closing time (HH:MM)…
    .addColumn('opens_on', 'text')
    .addColumn('closes_on', 'text', (c) => c.notNull())
    .addColumn('closes_time', 'text')
    // …and the instants they stand for (opening: local midnight; closing: the time, else the
    // midnight after the closing day), for queries. The status is computed from these and the clock.
    .addColumn('opens_at', ts)
    .addColumn('closes_at', ts, (c) => c.notNull())
    .addColumn('amount_min_cents', 'bigint')
    .addColumn('amount_max_cents', 'bigint')
    // Percent (0–100).
    .addColumn('cofinancing_rate', 'integer')
    .addColumn('link_url', 'text')
    // draft | published (publication only: open, closing soon… are computed)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    // The watch item the call was promoted from.
    .addColumn('watch_item_id', 'text', (c) => c.references('watch_items.id').onDelete('set null'))
    // staff | demo
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('staff'))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('published_at', ts)
    .execute();
  await db.schema.createIndex('calls_status_closes_idx').on('calls').columns(['status', 'closes_at']).execute();
  await db.schema.createIndex('calls_published_idx').on('calls').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('calls_funder_org_idx').on('calls').column('funder_organisation_id').execute();

  await db.schema
    .createTable('call_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .execute();

  for (const [table, column] of [
    ['call_kinds', 'kind_code'],
    ['call_themes', 'theme_code'],
    ['call_countries', 'country_code'],
    ['call_zones', 'zone_code'],
    ['call_regions', 'region_code'],
    ['call_departments', 'department_code'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['call_id', column])
      .execute();
    await db.schema.createIndex(`${table}_code_idx`).on(table).columns([column, 'call_id']).execute();
  }

  await db.schema
    .createTable('call_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_documents_call_idx').on('call_documents').columns(['call_id', 'position']).execute();

  if (isPostgres(db)) {
    await sql`alter table calls add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(db);
    await sql`create index calls_search_idx on calls using gin (search_vector)`.execute(db);
  } else {
    await sql`create virtual table calls_fts using fts5(search_text, call_id unindexed, tokenize = 'unicode61', prefix = '2 3 4 5 6 7 8 9 10')`.execute(db);
    await sql`create table calls_fts_map (call_id text primary key, fts_rowid integer not null)`.execute(db);
    await sql`create trigger calls_fts_insert after insert on calls begin
      insert into calls_fts (search_text, call_id) values (new.search_text, new.id);
      insert into calls_fts_map (call_id, fts_rowid) values (new.id, last_insert_rowid()); end`.execute(db);
    await sql`create trigger calls_fts_update after update of search_text on calls begin
      delete from calls_fts where rowid = (select fts_rowid from calls_fts_map where call_id = old.id);
      insert into calls_fts (search_text, call_id) values (new.search_text, new.id);
      update calls_fts_map set fts_rowid = last_insert_rowid() where call_id = new.id; end`.execute(db);
    await sql`create trigger calls_fts_delete after delete on calls begin
      delete from calls_fts where rowid = (select fts_rowid from calls_fts_map where call_id = old.id);
      delete from calls_fts_map where call_id = old.id; end`.execute(db);
  }

  // Moves with every change to calls and their links: page cache, feeds and the home block key on it.
  await db.insertInto('change_counters').values({ name: 'calls', version: 0 }).execute();
  if (isPostgres(db)) {
    await sql.raw(`create function bump_calls_version() returns trigger language plpgsql as $$ begin ${BUMP}; return null; end $$`).execute(db);
    for (const table of VERSIONED) {
      await sql
        .raw(`create trigger ${table}_calls_version after insert or update or delete or truncate on ${table} for each statement execute function bump_calls_version()`)
        .execute(db);
    }
    return;
  }
  for (const table of VERSIONED) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`create trigger ${table}_calls_version_${event} after ${event} on ${table} begin ${BUMP}; end`).execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of VERSIONED) await sql.raw(`drop trigger ${table}_calls_version on ${table}`).execute(db);
    await sql.raw('drop function bump_calls_version()').execute(db);
  } else {
    await sql`drop table if exists calls_fts`.execute(db);
    await sql`drop table if exists calls_fts_map`.execute(db);
  }
  await db.deleteFrom('change_counters').where('name', '=', 'calls').execute();
  for (const table of ['call_documents', 'call_departments', 'call_regions', 'call_zones', 'call_countries', 'call_themes', 'call_kinds', 'call_slugs', 'calls']) {
    await db.schema.dropTable(table).execute();
  }
}
