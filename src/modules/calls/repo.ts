import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, sql } from 'kysely';
import type { CallsTable, Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import type { Call, CallDocument, CallLinks, CallRow } from './types.js';

type Db = Kysely<Database>;
type CallsEb = ExpressionBuilder<Database & { c: CallsTable }, 'c'>;

const CHUNK = 200;

/** Link tables of a call and their code column. */
const LINK_TABLES = {
  kinds: ['call_kinds', 'kind_code'],
  themes: ['call_themes', 'theme_code'],
  countries: ['call_countries', 'country_code'],
  zones: ['call_zones', 'zone_code'],
  regions: ['call_regions', 'region_code'],
  departments: ['call_departments', 'department_code'],
} as const;

type LinkKey = keyof typeof LINK_TABLES;
const LINK_KEYS = Object.keys(LINK_TABLES) as LinkKey[];

// ---------- Writes ----------

async function writeLinks(db: Db, id: string, links: CallLinks): Promise<void> {
  for (const key of LINK_KEYS) {
    const [table, column] = LINK_TABLES[key];
    await db.deleteFrom(table).where('call_id', '=', id).execute();
    const codes = [...new Set(links[key])];
    // The six link tables share one shape (call_id, a code column): typed as any one of them.
    if (codes.length) await db.insertInto(table).values(codes.map((code) => ({ call_id: id, [column]: code }) as never)).execute();
  }
}

export async function insertCall(db: Db, row: Insertable<CallsTable>, links: CallLinks): Promise<void> {
  // The caller's transaction when it runs in one (a call made from a watch item marks it kept with it).
  await inTransaction(db, async (trx) => {
    await trx.insertInto('calls').values(row).execute();
    await writeLinks(trx, row.id, links);
  });
}

/** Updates the row and, when given, the links; a new slug keeps the old one as a redirect. */
export async function updateCallRow(db: Db, id: string, patch: Partial<Insertable<CallsTable>>, links?: CallLinks): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (patch.slug) {
      const current = await trx.selectFrom('calls').select('slug').where('id', '=', id).executeTakeFirst();
      if (current && current.slug !== patch.slug) {
        await trx.deleteFrom('call_slugs').where('slug', '=', patch.slug).execute();
        await trx
          .insertInto('call_slugs')
          .values({ slug: current.slug, call_id: id })
          .onConflict((oc) => oc.column('slug').doUpdateSet({ call_id: id }))
          .execute();
      }
    }
    await trx.updateTable('calls').set(patch).where('id', '=', id).execute();
    if (links) await writeLinks(trx, id, links);
  });
}

/** Deletes a call with its links, old slugs and documents; returns the stored files it held. */
export async function deleteCall(db: Db, id: string): Promise<Array<{ id: string; storage_path: string }>> {
  return db.transaction().execute(async (trx) => {
    const files = await trx
      .selectFrom('call_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['f.id', 'f.storage_path'])
      .where('d.call_id', '=', id)
      .execute();
    await trx.deleteFrom('calls').where('id', '=', id).execute();
    if (files.length) await trx.deleteFrom('files').where('id', 'in', files.map((f) => f.id)).execute();
    return files;
  });
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  const [current, old] = await Promise.all([
    db.selectFrom('calls').select('id').where('slug', '=', slug).$if(Boolean(exceptId), (q) => q.where('id', '!=', exceptId!)).executeTakeFirst(),
    db.selectFrom('call_slugs').select('call_id').where('slug', '=', slug).$if(Boolean(exceptId), (q) => q.where('call_id', '!=', exceptId!)).executeTakeFirst(),
  ]);
  return Boolean(current || old);
}

// ---------- Documents ----------

export async function insertDocument(db: Db, row: { id: string; call_id: string; file_id: string; title: string; position: number; created_at: string }): Promise<void> {
  await db.insertInto('call_documents').values(row).execute();
}

export async function nextDocumentPosition(db: Db, callId: string): Promise<number> {
  const row = await db.selectFrom('call_documents').select((eb) => eb.fn.max('position').as('p')).where('call_id', '=', callId).executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

/** A document with its file and the call's publication and slug. */
export async function findDocument(db: Db, id: string) {
  return db
    .selectFrom('call_documents as d')
    .innerJoin('files as f', 'f.id', 'd.file_id')
    .innerJoin('calls as c', 'c.id', 'd.call_id')
    .select(['d.id', 'd.call_id', 'd.title', 'd.file_id', 'f.original_name', 'f.mime', 'f.size', 'f.storage_path', 'c.status as call_status'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Removes a document of a call; returns its file (now deleted) or undefined. */
export async function deleteDocument(db: Db, callId: string, id: string): Promise<{ id: string; storage_path: string; title: string } | undefined> {
  return db.transaction().execute(async (trx) => {
    const doc = await trx
      .selectFrom('call_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['f.id', 'f.storage_path', 'd.title'])
      .where('d.id', '=', id)
      .where('d.call_id', '=', callId)
      .executeTakeFirst();
    if (!doc) return undefined;
    await trx.deleteFrom('call_documents').where('id', '=', id).execute();
    await trx.deleteFrom('files').where('id', '=', doc.id).execute();
    return doc;
  });
}

async function documentsOf(db: Db, callId: string): Promise<CallDocument[]> {
  return db
    .selectFrom('call_documents as d')
    .innerJoin('files as f', 'f.id', 'd.file_id')
    .select(['d.id', 'd.title', 'd.file_id', 'f.original_name', 'f.mime', 'f.size'])
    .where('d.call_id', '=', callId)
    .orderBy('d.position')
    .orderBy('d.id')
    .execute();
}

// ---------- Reads of one call ----------

/** Links of several calls, by call id. */
export async function linksOf(db: Db, ids: string[]): Promise<Map<string, CallLinks>> {
  const out = new Map<string, CallLinks>(ids.map((id) => [id, { kinds: [], themes: [], countries: [], zones: [], regions: [], departments: [] }]));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    for (const key of LINK_KEYS) {
      const [table, column] = LINK_TABLES[key];
      // Same shape for every link table: the code column is read under one name.
      const rows = (await db
        .selectFrom(table)
        .select(['call_id', `${column} as code`] as never)
        .where('call_id', 'in', part)
        .orderBy(column as never)
        .execute()) as unknown as Array<{ call_id: string; code: string }>;
      for (const r of rows) out.get(r.call_id)?.[key].push(r.code);
    }
  }
  return out;
}

async function withDetails(db: Db, row: CallRow): Promise<Call> {
  const [links, documents] = await Promise.all([linksOf(db, [row.id]), documentsOf(db, row.id)]);
  return { ...normalise(row), ...links.get(row.id)!, documents };
}

/** Amounts come back as numbers on both dialects (bigint on PostgreSQL is parsed by the kernel). */
function normalise<T extends Pick<CallRow, 'amount_min_cents' | 'amount_max_cents'>>(row: T): T {
  return {
    ...row,
    amount_min_cents: row.amount_min_cents === null ? null : Number(row.amount_min_cents),
    amount_max_cents: row.amount_max_cents === null ? null : Number(row.amount_max_cents),
  };
}

/** The calls made from a watch item, oldest first (its page lists them; a second promotion names them). */
export async function callsOfWatchItem(db: Db, itemId: string): Promise<Array<{ id: string; title: string; status: string }>> {
  return db.selectFrom('calls').select(['id', 'title', 'status']).where('watch_item_id', '=', itemId).orderBy('created_at').orderBy('id').execute();
}

export async function findCallById(db: Db, id: string): Promise<Call | undefined> {
  const row = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? withDetails(db, row) : undefined;
}

/** By current slug, or by an old slug (then `redirectTo` names the current one). */
export async function findCallBySlug(db: Db, slug: string): Promise<{ call: Call; redirectTo?: string } | undefined> {
  const row = await db.selectFrom('calls').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (row) return { call: await withDetails(db, row) };
  const old = await db.selectFrom('call_slugs').select('call_id').where('slug', '=', slug).executeTakeFirst();
  if (!old) return undefined;
  const call = await findCallById(db, old.call_id);
  return call ? { call, redirectTo: call.slug } : undefined;
}

// ---------- Lists ----------

/** The moment a list is read: instants and Paris dates the status conditions compare with. */
export interface ListClock {
  now: string;
  /** The last closing day that counts as "closing soon" (today + 14 days). */
  soonUntil: string;
  /** For the deadlines calendar: calls closed since this instant still appear. */
  recentSince?: string;
}

export type StatusCondition = 'current' | 'open' | 'closing_soon' | 'upcoming' | 'closed' | 'recent' | 'any';

export interface CallQueryFilter {
  tokens: string[];
  status: StatusCondition;
  /** Only published calls (visitors), or every call (staff lists). */
  publishedOnly: boolean;
  publication?: 'draft' | 'published';
  themes?: string[];
  kinds?: string[];
  /** Each entry a condition: the call names one of its countries or one of its zones. */
  places?: Array<{ countries: string[]; zones: string[] }>;
  /**
   * Territories (where the applicants are): calls open there, i.e. linked to one of these régions
   * or départements, or linked to no territory at all (a call open to the whole country).
   */
  territory?: { regions: string[]; departments: string[] };
}

export function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

function statusCondition(eb: CallsEb, status: StatusCondition, at: ListClock): Expression<SqlBool> {
  const notClosed = eb('c.closes_at', '>', at.now);
  const opened = eb.or([eb('c.opens_at', 'is', null), eb('c.opens_at', '<=', at.now)]);
  switch (status) {
    case 'current':
      return notClosed;
    case 'open':
      return eb.and([notClosed, opened]);
    case 'closing_soon':
      return eb.and([notClosed, opened, eb('c.closes_on', '<=', at.soonUntil)]);
    case 'upcoming':
      return eb.and([notClosed, eb('c.opens_at', '>', at.now)]);
    case 'closed':
      return eb('c.closes_at', '<=', at.now);
    case 'recent':
      return eb('c.closes_at', '>', at.recentSince ?? at.now);
    case 'any':
      return eb.and([]);
  }
}

/** The call has one of `codes` in a link table (the tables share one shape: typed as call_kinds). */
function linked(eb: CallsEb, table: 'call_kinds' | 'call_themes' | 'call_countries' | 'call_zones' | 'call_regions' | 'call_departments', column: string, codes: string[]) {
  return eb.exists(
    eb
      .selectFrom(`${table} as l` as 'call_kinds as l')
      .select('l.call_id')
      .whereRef('l.call_id', '=', 'c.id')
      .where(`l.${column}` as 'l.kind_code', 'in', codes),
  );
}

/** The call has at least one row in a link table. */
function anyLink(eb: CallsEb, table: 'call_regions' | 'call_departments') {
  return eb.exists(eb.selectFrom(`${table} as l` as 'call_regions as l').select('l.call_id').whereRef('l.call_id', '=', 'c.id'));
}

/** Every condition but the status. */
function filterConditions(eb: CallsEb, f: CallQueryFilter, dialect: Dialect): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = [];
  if (f.publishedOnly) list.push(eb('c.status', '=', 'published'));
  else if (f.publication) list.push(eb('c.status', '=', f.publication));
  if (f.tokens.length) {
    const q = ftsExpression(f.tokens, dialect);
    list.push(
      dialect === 'postgres'
        ? sql<SqlBool>`c.search_vector @@ to_tsquery('simple', ${q})`
        : sql<SqlBool>`c.id in (select call_id from calls_fts where calls_fts match ${q})`,
    );
  }
  if (f.themes?.length) list.push(linked(eb, 'call_themes', 'theme_code', f.themes));
  if (f.kinds?.length) list.push(linked(eb, 'call_kinds', 'kind_code', f.kinds));
  // Places: calls naming one of the countries or one of the zones (the caller expands a country to
  // its zones and a zone to its countries, from the taxonomy).
  for (const place of f.places ?? []) {
    const parts: Expression<SqlBool>[] = [];
    if (place.countries.length) parts.push(linked(eb, 'call_countries', 'country_code', place.countries));
    if (place.zones.length) parts.push(linked(eb, 'call_zones', 'zone_code', place.zones));
    list.push(eb.or(parts));
  }
  if (f.territory && (f.territory.regions.length || f.territory.departments.length)) {
    // A call that names no territory is not restricted to one: it is open in every région and département.
    const parts: Expression<SqlBool>[] = [eb.and([eb.not(anyLink(eb, 'call_regions')), eb.not(anyLink(eb, 'call_departments'))])];
    if (f.territory.regions.length) parts.push(linked(eb, 'call_regions', 'region_code', f.territory.regions));
    if (f.territory.departments.length) parts.push(linked(eb, 'call_departments', 'department_code', f.territory.departments));
    list.push(eb.or(parts));
  }
  return list;
}

export type ListedCall = Pick<
  CallRow,
  | 'id'
  | 'slug'
  | 'title'
  | 'funder'
  | 'summary'
  | 'opens_on'
  | 'closes_on'
  | 'closes_time'
  | 'amount_min_cents'
  | 'amount_max_cents'
  | 'cofinancing_rate'
  | 'link_url'
  | 'status'
  | 'description_html'
  | 'published_at'
  | 'updated_at'
  | 'created_at'
>;

const LIST_COLUMNS = [
  'c.id',
  'c.slug',
  'c.title',
  'c.funder',
  'c.summary',
  'c.opens_on',
  'c.closes_on',
  'c.closes_time',
  'c.amount_min_cents',
  'c.amount_max_cents',
  'c.cofinancing_rate',
  'c.link_url',
  'c.status',
  'c.description_html',
  'c.published_at',
  'c.updated_at',
  'c.created_at',
] as const;

export type ListSort = 'closing' | 'closing_desc' | 'recent' | 'updated';

/** One page of calls matching the filter, with the number of matches. */
export async function listCalls(
  db: Db,
  dialect: Dialect,
  f: CallQueryFilter,
  at: ListClock,
  page: { sort: ListSort; offset: number; limit: number },
): Promise<{ rows: ListedCall[]; total: number }> {
  const where = (eb: CallsEb) => eb.and([...filterConditions(eb, f, dialect), statusCondition(eb, f.status, at)]);
  let q = db.selectFrom('calls as c').select(LIST_COLUMNS).where(where);
  if (page.sort === 'closing') q = q.orderBy('c.closes_at', 'asc').orderBy('c.id', 'asc');
  else if (page.sort === 'closing_desc') q = q.orderBy('c.closes_at', 'desc').orderBy('c.id', 'desc');
  else if (page.sort === 'updated') q = q.orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc');
  else q = q.orderBy(sql`coalesce(c.published_at, c.created_at)`, 'desc').orderBy('c.id', 'desc');
  const [rows, count] = await Promise.all([
    q.offset(page.offset).limit(page.limit).execute(),
    db.selectFrom('calls as c').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}

/** How many calls match the filter in each status (the status filter of `f` is ignored). */
export async function statusCounts(db: Db, dialect: Dialect, f: CallQueryFilter, at: ListClock): Promise<Record<'current' | 'open' | 'closing_soon' | 'upcoming' | 'closed', number>> {
  const row = await db
    .selectFrom('calls as c')
    .select((eb) => {
      const count = (status: StatusCondition) => sql<number>`sum(case when ${statusCondition(eb, status, at)} then 1 else 0 end)`.as(status);
      return [count('current'), count('open'), count('closing_soon'), count('upcoming'), count('closed')];
    })
    .where((eb) => eb.and(filterConditions(eb, f, dialect)))
    .executeTakeFirstOrThrow();
  const n = (v: unknown) => Number(v ?? 0);
  return { current: n(row.current), open: n(row.open), closing_soon: n(row.closing_soon), upcoming: n(row.upcoming), closed: n(row.closed) };
}

/** Published calls closing between now and `soonUntil` (inclusive), soonest first. */
export async function closingSoon(db: Db, at: ListClock, limit: number): Promise<ListedCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .select(LIST_COLUMNS)
    .where((eb) => eb.and([eb('c.status', '=', 'published'), statusCondition(eb, 'closing_soon', at)]))
    .orderBy('c.closes_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(normalise);
}

/** Published calls closing on or after `today` and on or before `until` (dates only), soonest first. */
export async function closingBetweenDays(db: Db, today: string, until: string, limit: number): Promise<ListedCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .select(LIST_COLUMNS)
    .where('c.status', '=', 'published')
    .where('c.closes_on', '>=', today)
    .where('c.closes_on', '<=', until)
    .where((eb) => eb.or([eb('c.opens_on', 'is', null), eb('c.opens_on', '<=', today)]))
    .orderBy('c.closes_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(normalise);
}

/** Calls first published in [from, to), oldest first. */
export async function publishedBetween(db: Db, fromIso: string, toIso: string): Promise<ListedCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .select(LIST_COLUMNS)
    .where('c.status', '=', 'published')
    .where('c.published_at', '>=', fromIso)
    .where('c.published_at', '<', toIso)
    .orderBy('c.published_at')
    .orderBy('c.id')
    .execute();
  return rows.map(normalise);
}

/** Countries and zones named by the published calls in a status (the public filters offer only those). */
export async function publishedPlaceCodes(db: Db, status: StatusCondition, at: ListClock): Promise<{ countries: string[]; zones: string[] }> {
  const calls = db
    .selectFrom('calls as c')
    .select('c.id')
    .where((eb) => eb.and([eb('c.status', '=', 'published'), statusCondition(eb, status, at)]));
  const [countries, zones] = await Promise.all([
    db.selectFrom('call_countries as l').select('l.country_code as code').distinct().where('l.call_id', 'in', calls).execute(),
    db.selectFrom('call_zones as l').select('l.zone_code as code').distinct().where('l.call_id', 'in', calls).execute(),
  ]);
  return { countries: countries.map((r) => r.code), zones: zones.map((r) => r.code) };
}

/** Published calls for the sitemap. */
export async function publishedForSitemap(db: Db): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom('calls').select(['slug', 'updated_at']).where('status', '=', 'published').orderBy('closes_at', 'desc').limit(50_000).execute();
}

/** Published calls matching the words: not closed first (soonest deadline first), then closed (latest first). */
export async function searchPublished(db: Db, dialect: Dialect, tokens: string[], now: string, offset: number, limit: number): Promise<{ rows: ListedCall[]; total: number }> {
  const f: CallQueryFilter = { tokens, status: 'any', publishedOnly: true };
  const where = (eb: CallsEb) => eb.and(filterConditions(eb, f, dialect));
  const closed = sql`case when c.closes_at <= ${now} then 1 else 0 end`;
  const [rows, count] = await Promise.all([
    db
      .selectFrom('calls as c')
      .select(LIST_COLUMNS)
      .where(where)
      .orderBy(closed)
      .orderBy(sql`case when c.closes_at <= ${now} then null else c.closes_at end`, 'asc')
      .orderBy('c.closes_at', 'desc')
      .orderBy('c.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    db.selectFrom('calls as c').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}

// ---------- Version ----------

export async function readCallsVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('change_counters').select('version').where('name', '=', 'calls').executeTakeFirst();
  return String(row?.version ?? 0);
}
