import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// Archive search of the watch at 1,000,000 items: a page is the newest 20 matches, found without
// sorting (or counting) every match of a common word.
// - Both dialects: a partial index of kept items by date (published_at desc, id desc), walked
//   when there is no search text, or when the words are common (PostgreSQL's planner).
// - SQLite: the full-text index holds kept items only, and its rowid is a date key
//   (published second × 2^31 + a sequence), so `match … order by rowid desc limit 20` reads the
//   newest matches first and stops; prefix indexes up to 10 letters keep a prefix query from
//   merging the lists of every word it starts. The old index of every item is dropped.
// - PostgreSQL: the GIN index covers kept items only (partial), for rare words (match, then sort).

const KEY = (published: string, seq: string) =>
  `min(max(coalesce(unixepoch(${published}), 0), 0), 4294967295) * 2147483648 + (${seq}) % 2147483648`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create index watch_items_archive_date_idx on watch_items (published_at desc, id desc) where status = 'kept'`.execute(db);
    await sql`drop index watch_items_search_idx`.execute(db);
    await sql`create index watch_items_archive_search_idx on watch_items using gin (search_vector) where status = 'kept'`.execute(db);
    return;
  }
  await sql`create index watch_items_archive_date_idx on watch_items (published_at desc, id desc) where status = 'kept'`.execute(db);
  for (const trigger of ['watch_items_fts_insert', 'watch_items_fts_update', 'watch_items_fts_delete']) {
    await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
  }
  await sql`drop table if exists watch_items_fts`.execute(db);
  await sql`drop table if exists watch_items_fts_map`.execute(db);

  // Prefix indexes up to 10 letters: a prefix query reads one list, newest first, and stops.
  await sql`create virtual table watch_archive_fts using fts5(search_text, item_id unindexed, tokenize = 'unicode61', prefix = '2 3 4 5 6 7 8 9 10')`.execute(db);
  // seq: a stable sequence (rowids of watch_items may change on VACUUM); fts_rowid: the date key.
  await sql`create table watch_archive_fts_map (seq integer primary key, item_id text not null unique, fts_rowid integer not null)`.execute(db);
  const add = `
    insert into watch_archive_fts_map (seq, item_id, fts_rowid)
      select s, new.id, ${KEY('new.published_at', 's')} from (select coalesce((select max(seq) from watch_archive_fts_map), 0) + 1 as s) where new.status = 'kept';
    insert into watch_archive_fts (rowid, search_text, item_id) select fts_rowid, new.search_text, new.id from watch_archive_fts_map where item_id = new.id;`;
  const remove = `
    delete from watch_archive_fts where rowid = (select fts_rowid from watch_archive_fts_map where item_id = old.id);
    delete from watch_archive_fts_map where item_id = old.id;`;
  await sql.raw(`create trigger watch_archive_insert after insert on watch_items when new.status = 'kept' begin ${add} end`).execute(db);
  await sql
    .raw(
      `create trigger watch_archive_update after update of status, search_text, published_at on watch_items
       when (old.status = 'kept' or new.status = 'kept')
         and (old.status is not new.status or old.search_text is not new.search_text or old.published_at is not new.published_at)
       begin ${remove} ${add} end`,
    )
    .execute(db);
  await sql.raw(`create trigger watch_archive_delete after delete on watch_items when old.status = 'kept' begin ${remove} end`).execute(db);

  await sql
    .raw(
      `insert into watch_archive_fts_map (seq, item_id, fts_rowid)
       select s, id, ${KEY('published_at', 's')} from (select row_number() over (order by published_at, id) as s, id, published_at from watch_items where status = 'kept')`,
    )
    .execute(db);
  await sql`insert into watch_archive_fts (rowid, search_text, item_id) select m.fts_rowid, i.search_text, i.id from watch_archive_fts_map m join watch_items i on i.id = m.item_id`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop index if exists watch_items_archive_search_idx`.execute(db);
    await sql`create index watch_items_search_idx on watch_items using gin (search_vector)`.execute(db);
    await sql`drop index if exists watch_items_archive_date_idx`.execute(db);
    return;
  }
  for (const trigger of ['watch_archive_insert', 'watch_archive_update', 'watch_archive_delete']) await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
  await sql`drop table if exists watch_archive_fts`.execute(db);
  await sql`drop table if exists watch_archive_fts_map`.execute(db);
  await sql`drop index if exists watch_items_archive_date_idx`.execute(db);
}
