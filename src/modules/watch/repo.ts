import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Database, WatchItemsTable, WatchRulesTable, WatchSourcesTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';

type Db = Kysely<Database>;
export type SourceRow = Selectable<WatchSourcesTable>;
export type ItemRow = Selectable<WatchItemsTable>;
export type RuleRow = Selectable<WatchRulesTable>;
export type NewSource = Omit<SourceRow, 'active' | 'interval_minutes' | 'error_count' | 'item_count' | 'feed_url' | 'self_url' | 'feed_key'> & {
  active?: number;
  interval_minutes?: number;
  item_count?: number;
  error_count?: number;
  feed_url?: string | null;
  self_url?: string | null;
  feed_key?: string | null;
};
export type NewItem = Omit<ItemRow, 'excerpt' | 'status' | 'date_missing' | 'search_text'> & { excerpt: string; status: string; date_missing: number; search_text: string };

const CHUNK = 200;

// ---------- Sources ----------

export async function insertSource(db: Db, row: NewSource, themes: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('watch_sources').values(row).execute();
    if (themes.length) await trx.insertInto('watch_source_themes').values(themes.map((theme_code) => ({ source_id: row.id, theme_code }))).execute();
  });
}

export async function updateSource(db: Db, id: string, patch: Partial<NewSource>, themes?: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('watch_sources').set(patch).where('id', '=', id).execute();
    if (themes) {
      await trx.deleteFrom('watch_source_themes').where('source_id', '=', id).execute();
      if (themes.length) await trx.insertInto('watch_source_themes').values(themes.map((theme_code) => ({ source_id: id, theme_code }))).execute();
    }
  });
}

export async function deleteSource(db: Db, id: string): Promise<void> {
  await db.deleteFrom('watch_sources').where('id', '=', id).execute();
}

export async function findSource(db: Db, id: string): Promise<SourceRow | undefined> {
  return db.selectFrom('watch_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSourceByUrl(db: Db, url: string): Promise<SourceRow | undefined> {
  return db.selectFrom('watch_sources').selectAll().where('url', '=', url).executeTakeFirst();
}

/**
 * Sources other than `exceptId` whose address, last address read (after redirects) or feed's own
 * address is one of `addresses`, or whose feed has the Atom id `feedKey`; oldest first.
 */
export async function sourcesOfFeed(db: Db, addresses: string[], feedKey: string | null, exceptId?: string): Promise<SourceRow[]> {
  if (addresses.length === 0 && !feedKey) return [];
  return db
    .selectFrom('watch_sources')
    .selectAll()
    .where((eb) => {
      const any: Expression<SqlBool>[] = [];
      if (addresses.length) any.push(eb('url', 'in', addresses), eb('feed_url', 'in', addresses), eb('self_url', 'in', addresses));
      if (feedKey) any.push(eb('feed_key', '=', feedKey));
      return eb.or(any);
    })
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Sources by name as a French reader orders them: case and accents ignored, numbers by value
 * (« 404 », « Action… », « html listing », « Réseau… »), not by character code as the databases
 * sort. Few rows: sorted here, the same on SQLite and PostgreSQL.
 */
const NAME_ORDER = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
export function byName<T extends { name: string; id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => NAME_ORDER.compare(a.name.trim(), b.name.trim()) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function listSources(db: Db): Promise<SourceRow[]> {
  return byName(await db.selectFrom('watch_sources').selectAll().execute());
}

export async function sourceThemes(db: Db, sourceId: string): Promise<string[]> {
  const rows = await db.selectFrom('watch_source_themes').select('theme_code').where('source_id', '=', sourceId).orderBy('theme_code').execute();
  return rows.map((r) => r.theme_code);
}

/** Active sources whose next read is due, oldest first. */
export async function dueSources(db: Db, now: string, limit: number): Promise<SourceRow[]> {
  return db
    .selectFrom('watch_sources')
    .selectAll()
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('next_fetch_at', 'is', null), eb('next_fetch_at', '<=', now)]))
    .orderBy('next_fetch_at')
    .limit(limit)
    .execute();
}

export async function recordSourceSuccess(
  db: Db,
  id: string,
  health: {
    at: string;
    nextAt: string;
    etag: string | null;
    lastModified: string | null;
    siteUrl?: string | null;
    name?: string | null;
    /** What the read said of the feed (where it ended, its own address, its Atom id). */
    feed?: { url: string; selfUrl: string | null; key: string | null };
  },
): Promise<void> {
  const count = db.selectFrom('watch_items').select((eb) => eb.fn.countAll<number>().as('n')).where('source_id', '=', id);
  await db
    .updateTable('watch_sources')
    .set({
      last_fetched_at: health.at,
      last_success_at: health.at,
      last_error: null,
      error_count: 0,
      next_fetch_at: health.nextAt,
      etag: health.etag,
      last_modified: health.lastModified,
      item_count: count,
      ...(health.siteUrl ? { site_url: health.siteUrl } : {}),
      ...(health.name ? { name: health.name } : {}),
      ...(health.feed ? { feed_url: health.feed.url, self_url: health.feed.selfUrl, feed_key: health.feed.key } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function recordSourceFailure(db: Db, id: string, failure: { at: string; nextAt: string; error: string }): Promise<void> {
  await db
    .updateTable('watch_sources')
    .set((eb) => ({ last_fetched_at: failure.at, last_error: failure.error, error_count: eb('error_count', '+', 1), next_fetch_at: failure.nextAt }))
    .where('id', '=', id)
    .execute();
}

// ---------- Items: dedupe and writes ----------

export interface ItemKeys {
  id: string;
  guid: string | null;
  link_key: string | null;
  title_key: string;
  content_hash: string;
}

/** Items of a source that share a GUID, a link key or a title key with the ones read. */
export async function itemCandidates(db: Db, sourceId: string, keys: { guids: string[]; links: string[]; titles: string[] }): Promise<ItemKeys[]> {
  const found = new Map<string, ItemKeys>();
  const columns = ['id', 'guid', 'link_key', 'title_key', 'content_hash'] as const;
  const lookups: Array<['guid' | 'link_key' | 'title_key', string[]]> = [
    ['guid', keys.guids],
    ['link_key', keys.links],
    ['title_key', keys.titles],
  ];
  for (const [column, values] of lookups) {
    for (let i = 0; i < values.length; i += CHUNK) {
      const rows = await db.selectFrom('watch_items').select(columns).where('source_id', '=', sourceId).where(column, 'in', values.slice(i, i + CHUNK)).execute();
      for (const row of rows) found.set(row.id, row);
    }
  }
  return [...found.values()];
}

/**
 * The GUIDs and link keys among the given ones that items of other sources than `sourceId` already
 * hold: the same article read from another feed.
 */
export async function keysElsewhere(db: Db, sourceId: string, keys: { guids: string[]; links: string[] }): Promise<{ guids: Set<string>; links: Set<string> }> {
  const guids = new Set<string>();
  const links = new Set<string>();
  for (let i = 0; i < keys.guids.length; i += CHUNK) {
    const rows = await db.selectFrom('watch_items').select('guid').where('guid', 'in', keys.guids.slice(i, i + CHUNK)).where('source_id', '<>', sourceId).execute();
    for (const row of rows) if (row.guid) guids.add(row.guid);
  }
  for (let i = 0; i < keys.links.length; i += CHUNK) {
    const rows = await db.selectFrom('watch_items').select('link_key').where('link_key', 'in', keys.links.slice(i, i + CHUNK)).where('source_id', '<>', sourceId).execute();
    for (const row of rows) if (row.link_key) links.add(row.link_key);
  }
  return { guids, links };
}

/** New items with their tags, in multi-row statements, in one transaction. */
export async function insertItems(db: Db, items: NewItem[], themes: Array<{ item_id: string; theme_code: string }>, countries: Array<{ item_id: string; country_code: string }>): Promise<void> {
  if (items.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < items.length; i += 50) await trx.insertInto('watch_items').values(items.slice(i, i + 50)).execute();
    for (let i = 0; i < themes.length; i += CHUNK) await trx.insertInto('watch_item_themes').values(themes.slice(i, i + CHUNK)).onConflict((oc) => oc.doNothing()).execute();
    for (let i = 0; i < countries.length; i += CHUNK) await trx.insertInto('watch_item_countries').values(countries.slice(i, i + CHUNK)).onConflict((oc) => oc.doNothing()).execute();
  });
}

export type ItemContent = Pick<ItemRow, 'guid' | 'link_key' | 'title_key' | 'link' | 'title' | 'summary_html' | 'excerpt' | 'author' | 'published_at' | 'date_missing' | 'content_hash' | 'search_text' | 'updated_at'>;

/** An item changed at its source: its content is replaced, its triage and tags stay. */
export async function updateItemContent(db: Db, id: string, content: ItemContent): Promise<void> {
  await db.updateTable('watch_items').set(content).where('id', '=', id).execute();
}

// ---------- Items: triage ----------

export interface InboxFilter {
  status: 'new' | 'kept' | 'ignored' | 'all';
  sourceId?: string;
}

export type InboxItem = Pick<ItemRow, 'id' | 'title' | 'link' | 'excerpt' | 'published_at' | 'date_missing' | 'status' | 'category' | 'note'> & { source_id: string; source_name: string };

function inboxWhere(eb: ExpressionBuilder<Database & { i: WatchItemsTable }, 'i'>, filter: InboxFilter) {
  const list: Expression<SqlBool>[] = [];
  if (filter.status !== 'all') list.push(eb('i.status', '=', filter.status));
  if (filter.sourceId) list.push(eb('i.source_id', '=', filter.sourceId));
  return eb.and(list);
}

export async function listInbox(db: Db, filter: InboxFilter, offset: number, limit: number): Promise<{ items: InboxItem[]; total: number }> {
  const items = await db
    .selectFrom('watch_items as i')
    .innerJoin('watch_sources as s', 's.id', 'i.source_id')
    .select(['i.id', 'i.title', 'i.link', 'i.excerpt', 'i.published_at', 'i.date_missing', 'i.status', 'i.category', 'i.note', 'i.source_id', 's.name as source_name'])
    .where((eb) => inboxWhere(eb, filter))
    .orderBy('i.published_at', 'desc')
    .orderBy('i.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return { items, total: await countInbox(db, filter) };
}

/** How many items the inbox's filter holds. */
export async function countInbox(db: Db, filter: InboxFilter): Promise<number> {
  const total = await db
    .selectFrom('watch_items as i')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => inboxWhere(eb, filter))
    .executeTakeFirstOrThrow();
  return Number(total.n);
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('watch_items').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function findItem(db: Db, id: string): Promise<(ItemRow & { source_name: string; source_url: string }) | undefined> {
  return db
    .selectFrom('watch_items as i')
    .innerJoin('watch_sources as s', 's.id', 'i.source_id')
    .selectAll('i')
    .select(['s.name as source_name', 's.url as source_url'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** An item's status alone (the promotion's check, inside the caller's transaction). */
export async function findItemStatus(db: Db, id: string): Promise<{ status: string } | undefined> {
  return db.selectFrom('watch_items').select('status').where('id', '=', id).executeTakeFirst();
}

export async function itemTags(db: Db, ids: string[]): Promise<{ themes: Map<string, string[]>; countries: Map<string, string[]> }> {
  const themes = new Map<string, string[]>();
  const countries = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    for (const r of await db.selectFrom('watch_item_themes').select(['item_id', 'theme_code']).where('item_id', 'in', part).orderBy('theme_code').execute()) {
      themes.set(r.item_id, [...(themes.get(r.item_id) ?? []), r.theme_code]);
    }
    for (const r of await db.selectFrom('watch_item_countries').select(['item_id', 'country_code']).where('item_id', 'in', part).orderBy('country_code').execute()) {
      countries.set(r.item_id, [...(countries.get(r.item_id) ?? []), r.country_code]);
    }
  }
  return { themes, countries };
}

export async function setItemStatus(db: Db, id: string, status: string, by: string | null, at: string): Promise<void> {
  await db.updateTable('watch_items').set({ status, decided_by: by, decided_at: at }).where('id', '=', id).execute();
}

export async function saveItemTags(db: Db, id: string, tags: { status: string; category: string | null; note: string | null; themes: string[]; countries: string[]; by: string | null; at: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('watch_items').set({ status: tags.status, category: tags.category, note: tags.note, decided_by: tags.by, decided_at: tags.at }).where('id', '=', id).execute();
    await trx.deleteFrom('watch_item_themes').where('item_id', '=', id).execute();
    await trx.deleteFrom('watch_item_countries').where('item_id', '=', id).execute();
    if (tags.themes.length) await trx.insertInto('watch_item_themes').values(tags.themes.map((theme_code) => ({ item_id: id, theme_code }))).execute();
    if (tags.countries.length) await trx.insertInto('watch_item_countries').values(tags.countries.map((country_code) => ({ item_id: id, country_code }))).execute();
  });
}

// ---------- Public archive ----------

export interface ArchiveFilter {
  tokens: string[];
  theme?: string;
  country?: string;
  category?: string;
  sourceId?: string;
}

export type ArchiveItem = Pick<ItemRow, 'id' | 'title' | 'link' | 'excerpt' | 'summary_html' | 'published_at' | 'date_missing' | 'category' | 'note' | 'updated_at'> & { source_name: string };

/** The longest prefix the SQLite index holds (migration 1320: prefix = '2 3 … 10'). */
const FTS_PREFIX_MAX = 10;

/**
 * Every token as a prefix, all required (the directory's form). On SQLite a prefix longer than the
 * index's prefixes would merge the lists of every word it starts (every item for a common word),
 * so a longer token is looked up by its first FTS_PREFIX_MAX letters and checked in full by
 * `longTokens` below.
 */
export function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t.slice(0, FTS_PREFIX_MAX)}"*`).join(' AND ');
}

/** SQLite: the tokens longer than the indexed prefixes, checked as word prefixes of the indexed text. */
function longTokens(tokens: string[]): Expression<SqlBool>[] {
  // Tokens are letters and digits only (searchTokens): no LIKE wildcard in them.
  return tokens.filter((t) => t.length > FTS_PREFIX_MAX).map((t) => sql<SqlBool>`(' ' || f.search_text) like ${`% ${t}%`}`);
}

/** Counts stop beyond this: the page then says « plus de 1 000 ». */
export const ARCHIVE_COUNT_CAP = 1000;

type ArchiveEb = ExpressionBuilder<Database & { i: WatchItemsTable }, 'i'>;

/** The filters other than the words and the status. */
function archiveFilters(eb: ArchiveEb, f: ArchiveFilter): Expression<SqlBool> {
  const list: Expression<SqlBool>[] = [];
  if (f.category) list.push(eb('i.category', '=', f.category));
  if (f.sourceId) list.push(eb('i.source_id', '=', f.sourceId));
  if (f.theme) list.push(eb.exists(eb.selectFrom('watch_item_themes as t').select('t.item_id').whereRef('t.item_id', '=', 'i.id').where('t.theme_code', '=', f.theme)));
  if (f.country) list.push(eb.exists(eb.selectFrom('watch_item_countries as c').select('c.item_id').whereRef('c.item_id', '=', 'i.id').where('c.country_code', '=', f.country)));
  return eb.and(list);
}

const ARCHIVE_COLUMNS = ['i.id', 'i.title', 'i.link', 'i.excerpt', 'i.summary_html', 'i.published_at', 'i.date_missing', 'i.category', 'i.note', 'i.updated_at'] as const;

/**
 * The kept items matching the filter, newest first, as a query to page or count:
 * - SQLite with words: the full-text index of kept items, whose rowid is a date key (migration
 *   1320): `order by rowid desc` reads the newest matches first and stops at the LIMIT, however
 *   many items match; the other filters are checked on the way. Within one published second the
 *   order is the order items were kept (a page is then sorted by date and id);
 * - otherwise: kept items by the partial index (published_at desc, id desc), the words (PostgreSQL)
 *   as a filter or through the partial GIN index, as `searchPostgres` decides.
 */
function archiveQuery(db: Db, dialect: Dialect, f: ArchiveFilter) {
  if (f.tokens.length && dialect === 'sqlite') {
    return db
      .selectFrom('watch_archive_fts as f')
      .innerJoin('watch_items as i', 'i.id', 'f.item_id')
      .where(sql<SqlBool>`f.watch_archive_fts match ${ftsExpression(f.tokens, dialect)}`)
      .where((eb) => eb.and(longTokens(f.tokens)))
      .where((eb) => archiveFilters(eb, f))
      .orderBy(sql`f.rowid`, 'desc');
  }
  const q = f.tokens.length ? ftsExpression(f.tokens, dialect) : null;
  return db
    .selectFrom('watch_items as i')
    .where(sql<SqlBool>`i.status = 'kept'`) // a literal: the partial indexes apply
    .$if(q !== null, (qb) => qb.where(sql<SqlBool>`i.search_vector @@ to_tsquery('simple', ${q})`))
    .where((eb) => archiveFilters(eb, f))
    .orderBy('i.published_at', 'desc')
    .orderBy('i.id', 'desc');
}

export interface ArchivePage {
  items: ArchiveItem[];
  /** The number of matches; when `capped`, only a lower bound (at least this many). */
  total: number;
  capped: boolean;
  /** Whether there are matches after this page. */
  more: boolean;
}

type PageRef = Pick<ArchiveItem, 'id' | 'published_at'>;
const newestFirst = (a: PageRef, b: PageRef) => (a.published_at === b.published_at ? (a.id < b.id ? 1 : -1) : a.published_at < b.published_at ? 1 : -1);

/** One page, plus one row to know whether there is a next page. */
async function archivePage(db: Db, dialect: Dialect, filter: ArchiveFilter, offset: number, limit: number): Promise<{ items: ArchiveItem[]; more: boolean }> {
  const rows = await db
    .selectFrom(archiveQuery(db, dialect, filter).select([...ARCHIVE_COLUMNS, 'i.source_id']).offset(offset).limit(limit + 1).as('p'))
    .innerJoin('watch_sources as s', 's.id', 'p.source_id')
    .select(['p.id', 'p.title', 'p.link', 'p.excerpt', 'p.summary_html', 'p.published_at', 'p.date_missing', 'p.category', 'p.note', 'p.updated_at', 's.name as source_name'])
    .execute();
  rows.sort(newestFirst);
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

/** The items of the given ids, newest first. */
async function archiveItemsById(db: Db, ids: string[]): Promise<ArchiveItem[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('watch_items as i')
    .innerJoin('watch_sources as s', 's.id', 'i.source_id')
    .select([...ARCHIVE_COLUMNS, 's.name as source_name'])
    .where('i.id', 'in', ids)
    .execute();
  return rows.sort(newestFirst);
}

/**
 * Where a page's count stops: at ARCHIVE_COUNT_CAP, but an empty page past the first is counted to
 * the end, so that it is sent to the true last page; there are no more matches than its offset.
 */
function countCap(offset: number, shown: number): number {
  return shown === 0 && offset > 0 ? Math.max(ARCHIVE_COUNT_CAP, offset) : ARCHIVE_COUNT_CAP;
}

/** Matches counted up to `cap` + 1. */
async function archiveCount(db: Db, dialect: Dialect, filter: ArchiveFilter, cap: number): Promise<number> {
  const counted = await db
    .selectFrom(archiveQuery(db, dialect, filter).clearOrderBy().select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/** Newest kept items looked at first on PostgreSQL (see searchPostgres). */
const PG_WINDOW = 2000;
/** Kept items a date walk may read on PostgreSQL, at the density seen in the window. */
const PG_WALK_BUDGET = 10_000;

/**
 * PostgreSQL with words. The planner cannot know how many items a prefix matches (it assumes 2 %
 * for any `word:*`) and, LIMIT in hand, would walk every kept item by date for a word found once;
 * the GIN index, for its part, costs in proportion to the matches (a common word: every heap page).
 * So the plan is chosen here, from the words' density among the PG_WINDOW newest kept items:
 * 1. the page is in the window (common words): done; the count is the matches in the window, a
 *    lower bound ("more than");
 * 2. the density says a walk by date finds the page within PG_WALK_BUDGET items, or the words are
 *    in 1 % of the window or more (deep pages of common words): walk, the words as a filter; the
 *    count is a lower bound too;
 * 3. otherwise (rare words): match through the partial GIN index, sort, count up to the cap.
 * `set local` keeps each plan to its index for this transaction only.
 */
/** Plan 3 (rare words): the partial GIN index through a bitmap, never the date index's walk. */
async function throughGinIndex(trx: Db): Promise<void> {
  await sql`set local enable_bitmapscan = on`.execute(trx);
  await sql`set local enable_indexscan = off`.execute(trx);
}

async function searchPostgres(db: Db, filter: ArchiveFilter, offset: number, limit: number, withTotal: boolean): Promise<ArchivePage> {
  const need = offset + limit + 1;
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local jit = off`.execute(trx); // the costs of disabled plans would call for JIT compiling
    const recent = archiveQuery(trx, 'postgres', { ...filter, tokens: [] })
      .select(['i.id', 'i.published_at', sql<string>`i.search_vector`.as('search_vector')])
      .limit(PG_WINDOW)
      .as('w');
    const match = sql<SqlBool>`w.search_vector @@ to_tsquery('simple', ${ftsExpression(filter.tokens, 'postgres')})`;
    const scored = trx
      .selectFrom(recent)
      .select(['w.id', 'w.published_at', match.as('hit'), sql<number>`count(*) filter (where ${match}) over ()`.as('matched'), sql<number>`count(*) over ()`.as('scanned')])
      .as('x');
    const window = await trx.selectFrom(scored).select(['x.id', 'x.published_at', 'x.matched', 'x.scanned']).where('x.hit', '=', true).orderBy('x.published_at', 'desc').orderBy('x.id', 'desc').limit(need).execute();
    const matched = Number(window[0]?.matched ?? 0);
    if (window.length >= need) {
      // Fewer kept items than the window: it held every match.
      const exact = Number(window[0]?.scanned) < PG_WINDOW && matched <= ARCHIVE_COUNT_CAP;
      const items = await archiveItemsById(trx, window.slice(offset, offset + limit).map((r) => r.id));
      return { items, total: matched, capped: !exact, more: true };
    }
    // At 1 % or more of the recent items, the GIN index would cost more than the walk (every match).
    if (matched > 0 && ((need * PG_WINDOW) / matched <= PG_WALK_BUDGET || matched >= PG_WINDOW / 100)) {
      const { items, more } = await archivePage(trx, 'postgres', filter, offset, limit);
      if (items.length || !offset || !withTotal) return { items, total: offset + items.length + (more ? 1 : 0), capped: more, more };
      // A page past the last: its offset is no count. Counted as the rare words are, the list's end is known.
      await throughGinIndex(trx);
      const total = await archiveCount(trx, 'postgres', filter, countCap(offset, 0));
      return { items, total, capped: false, more: false };
    }
    await throughGinIndex(trx);
    const { items, more } = await archivePage(trx, 'postgres', filter, offset, limit);
    if (!withTotal) return { items, total: offset + items.length, capped: more, more };
    const cap = countCap(offset, items.length);
    const total = await archiveCount(trx, 'postgres', filter, cap);
    return { items, total, capped: total > cap, more };
  });
}

export async function searchArchive(db: Db, dialect: Dialect, filter: ArchiveFilter, offset: number, limit: number, withTotal = true): Promise<ArchivePage> {
  if (dialect === 'postgres' && filter.tokens.length) return searchPostgres(db, filter, offset, limit, withTotal);
  const { items, more } = await archivePage(db, dialect, filter, offset, limit);
  if (!withTotal) return { items, total: offset + items.length, capped: more, more };
  const cap = countCap(offset, items.length);
  const total = await archiveCount(db, dialect, filter, cap);
  return { items, total, capped: total > cap, more };
}

/** Sources with at least one kept item, for the public filter. */
export async function sourcesWithKeptItems(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom('watch_sources as s')
    .select(['s.id', 's.name'])
    .where((eb) => eb.exists(eb.selectFrom('watch_items as i').select('i.id').whereRef('i.source_id', '=', 's.id').where('i.status', '=', 'kept')))
    .execute()
    .then(byName);
}

/** Countries tagged on at least one kept item, for the public filter. */
export async function countriesWithKeptItems(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('watch_item_countries as c')
    .select('c.country_code')
    .distinct()
    .where((eb) => eb.exists(eb.selectFrom('watch_items as i').select('i.id').whereRef('i.id', '=', 'c.item_id').where('i.status', '=', 'kept')))
    .execute();
  return rows.map((r) => r.country_code);
}

// ---------- Keyword rules ----------

export async function listRules(db: Db): Promise<RuleRow[]> {
  return db.selectFrom('watch_rules').selectAll().orderBy('keyword').orderBy('id').execute();
}

export async function insertRule(db: Db, row: Omit<RuleRow, 'auto_keep'> & { auto_keep: number }): Promise<void> {
  await db.insertInto('watch_rules').values(row).execute();
}

export async function findRule(db: Db, id: string): Promise<RuleRow | undefined> {
  return db.selectFrom('watch_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteRule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('watch_rules').where('id', '=', id).execute();
}

// ---------- Taxonomy ----------

export async function themeOptions(db: Db): Promise<Array<{ code: string; label_fr: string; label_en: string }>> {
  return db.selectFrom('themes').select(['code', 'label_fr', 'label_en']).orderBy('position').execute();
}
