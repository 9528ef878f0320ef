import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import type { Database, InteractionsTable, OrganisationsTable, SavedFiltersTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { type DirectoryFilter, directoryConditions, ftsExpression } from '../organisations/index.js';

type Db = Kysely<Database>;
type OrgEb = ExpressionBuilder<Database & { o: OrganisationsTable }, 'o'>;

/** The dialect behind a Kysely instance (segments are resolved with only the db at hand). */
export function dialectOfDb(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

// ---------- Staff list of organisations ----------

export type MissingField = 'email' | 'commune' | 'coordinates' | 'themes';
export type MembershipStatusFilter = 'paid' | 'pending' | 'exempt' | 'none';

/** The directory's filters plus the staff-only ones. */
export interface StaffFilter {
  directory: DirectoryFilter;
  tokens: string[];
  visibility: ('public' | 'members' | 'staff')[];
  missing: MissingField[];
  /** Reviewed before this instant, or never. */
  reviewedBefore?: string;
  tag?: string;
  membership?: { year: number; status: MembershipStatusFilter };
  sort: 'relevance' | 'name' | 'updated' | 'reviewed';
}

function conditions(db: Db, eb: OrgEb, f: StaffFilter, dialect: Dialect) {
  const d = f.directory;
  const list: Expression<SqlBool>[] = [directoryConditions(db, eb, { ...d, visibility: f.visibility.length ? f.visibility : d.visibility }, f.tokens, dialect)];
  for (const m of f.missing) {
    if (m === 'email') list.push(eb.or([eb('o.email', 'is', null), eb('o.email', '=', '')]));
    if (m === 'commune') list.push(eb('o.commune_code', 'is', null));
    if (m === 'coordinates') list.push(eb.or([eb('o.latitude', 'is', null), eb('o.longitude', 'is', null)]));
    if (m === 'themes') list.push(eb.not(eb.exists(eb.selectFrom('organisation_themes as mt').select('mt.organisation_id').whereRef('mt.organisation_id', '=', 'o.id'))));
  }
  if (f.reviewedBefore) list.push(eb.or([eb('o.reviewed_at', 'is', null), eb('o.reviewed_at', '<', f.reviewedBefore)]));
  if (f.tag) {
    list.push(eb.exists(eb.selectFrom('organisation_tags as tg').select('tg.organisation_id').whereRef('tg.organisation_id', '=', 'o.id').where('tg.tag', '=', f.tag)));
  }
  if (f.membership) {
    const { year, status } = f.membership;
    const rows = eb.selectFrom('memberships as m').select('m.organisation_id').whereRef('m.organisation_id', '=', 'o.id').where('m.year', '=', year);
    list.push(status === 'none' ? eb.not(eb.exists(rows)) : eb.exists(rows.where('m.status', '=', status)));
  }
  return eb.and(list);
}

export async function listOrganisations(db: Db, dialect: Dialect, f: StaffFilter, page: { limit: number; offset: number }) {
  const base = db.selectFrom('organisations as o').where((eb) => conditions(db, eb, f, dialect));
  let query = base.selectAll('o');
  if (f.sort === 'relevance' && f.tokens.length) {
    const q = ftsExpression(f.tokens, dialect);
    query =
      dialect === 'postgres'
        ? query.orderBy(sql`ts_rank(o.search_vector, to_tsquery('simple', ${q}))`, 'desc')
        : query.orderBy(sql`(select bm25(organisations_fts) from organisations_fts where organisations_fts match ${q} and organisation_id = o.id)`);
  } else if (f.sort === 'updated') {
    query = query.orderBy('o.updated_at', 'desc');
  } else if (f.sort === 'reviewed') {
    // Never reviewed first, then the oldest review.
    query = query.orderBy(sql`case when o.reviewed_at is null then 0 else 1 end`).orderBy('o.reviewed_at');
  }
  query = query.orderBy('o.sort_name').orderBy('o.id');
  const [rows, count] = await Promise.all([
    query.limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The ids of the filtered set as a subquery (`… in (subquery)`): the set stays in the database. */
export function organisationIdsQuery(db: Db, dialect: Dialect, f: StaffFilter) {
  return db
    .selectFrom('organisations as o')
    .where((eb) => conditions(db, eb, f, dialect))
    .select('o.id');
}

/** Every id of the filtered set (bulk actions on the whole set, segments). */
export async function organisationIds(db: Db, dialect: Dialect, f: StaffFilter): Promise<string[]> {
  const rows = await organisationIdsQuery(db, dialect, f).orderBy('o.sort_name').orderBy('o.id').execute();
  return rows.map((r) => r.id);
}

export async function existingOrganisationIds(db: Db, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('organisations').select('id').where('id', 'in', chunk).execute();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

function chunks<T>(values: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

// ---------- Tags, colleges, memberships ----------

/** Rows of a table keyed by organisation, for many organisations (read in chunks), grouped by organisation. */
async function byOrganisation<R extends { organisation_id: string }, V>(ids: string[], read: (chunk: string[]) => Promise<R[]>, value: (row: R) => V): Promise<Map<string, V[]>> {
  const map = new Map<string, V[]>(ids.map((id) => [id, []]));
  for (const chunk of chunks(ids)) {
    for (const r of await read(chunk)) map.get(r.organisation_id)?.push(value(r));
  }
  return map;
}

export function tagsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  return byOrganisation(
    ids,
    (chunk) => db.selectFrom('organisation_tags').select(['organisation_id', 'tag']).where('organisation_id', 'in', chunk).orderBy('tag').execute(),
    (r) => r.tag,
  );
}

export async function allTags(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('organisation_tags').select('tag').distinct().orderBy('tag').execute();
  return rows.map((r) => r.tag);
}

export async function addTag(db: Db, id: string, tag: string): Promise<void> {
  await db.insertInto('organisation_tags').values({ organisation_id: id, tag }).onConflict((oc) => oc.columns(['organisation_id', 'tag']).doNothing()).execute();
}

export async function removeTag(db: Db, id: string, tag: string): Promise<void> {
  await db.deleteFrom('organisation_tags').where('organisation_id', '=', id).where('tag', '=', tag).execute();
}

export async function collegesOf(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom('organisation_colleges').select('college_code').where('organisation_id', '=', id).orderBy('college_code').execute();
  return rows.map((r) => r.college_code);
}

export async function setColleges(db: Db, id: string, colleges: string[], at: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('organisation_colleges').where('organisation_id', '=', id).execute();
    if (colleges.length) await trx.insertInto('organisation_colleges').values(colleges.map((college_code) => ({ organisation_id: id, college_code }))).execute();
    await trx.updateTable('organisations').set({ updated_at: at }).where('id', '=', id).execute();
  });
}

export type MembershipRow = Selectable<Database['memberships']>;

export function membershipsOf(db: Db, ids: string[]): Promise<Map<string, MembershipRow[]>> {
  return byOrganisation(
    ids,
    (chunk) => db.selectFrom('memberships').selectAll().where('organisation_id', 'in', chunk).orderBy('year', 'desc').execute(),
    (r) => r,
  );
}

export async function replaceMemberships(db: Db, organisationId: string, rows: Insertable<Database['memberships']>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('memberships').where('organisation_id', '=', organisationId).execute();
    if (rows.length) await trx.insertInto('memberships').values(rows).execute();
  });
}

export async function setReviewed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('organisations').set({ reviewed_at: at }).where('id', '=', id).execute();
}

export async function organisationsByIds(db: Db, ids: string[]): Promise<Selectable<OrganisationsTable>[]> {
  const out: Selectable<OrganisationsTable>[] = [];
  for (const chunk of chunks(ids)) out.push(...(await db.selectFrom('organisations').selectAll().where('id', 'in', chunk).execute()));
  const order = new Map(ids.map((id, i) => [id, i]));
  return out.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export async function linksForExport(db: Db, ids: string[]) {
  const [themes, countries, colleges] = await Promise.all([
    byOrganisation(ids, (chunk) => db.selectFrom('organisation_themes').select(['organisation_id', 'theme_code']).where('organisation_id', 'in', chunk).execute(), (r) => r.theme_code),
    byOrganisation(ids, (chunk) => db.selectFrom('organisation_countries').select(['organisation_id', 'country_code']).where('organisation_id', 'in', chunk).execute(), (r) => r.country_code),
    byOrganisation(ids, (chunk) => db.selectFrom('organisation_colleges').select(['organisation_id', 'college_code']).where('organisation_id', 'in', chunk).execute(), (r) => r.college_code),
  ]);
  return { themes, countries, colleges };
}

// ---------- Saved filters ----------

export type SavedFilterRow = Selectable<SavedFiltersTable>;

export function listSavedFilters(db: Db, scope: string): Promise<SavedFilterRow[]> {
  return db.selectFrom('saved_filters').selectAll().where('scope', '=', scope).orderBy('name').orderBy('id').execute();
}

export function findSavedFilter(db: Db, id: string): Promise<SavedFilterRow | undefined> {
  return db.selectFrom('saved_filters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSavedFilter(db: Db, row: Insertable<SavedFiltersTable>): Promise<void> {
  await db.insertInto('saved_filters').values(row).execute();
}

export async function deleteSavedFilter(db: Db, id: string): Promise<void> {
  await db.deleteFrom('saved_filters').where('id', '=', id).execute();
}

// ---------- Interactions ----------

export async function insertInteraction(db: Db, row: Insertable<InteractionsTable>): Promise<void> {
  await db.insertInto('interactions').values(row).execute();
}

export function interactionsOf(db: Db, organisationId: string) {
  return db
    .selectFrom('interactions as i')
    .leftJoin('users as u', 'u.id', 'i.author_id')
    .select(['i.id', 'i.kind', 'i.occurred_on', 'i.text', 'i.created_at', 'u.display_name as author_name', 'u.email as author_email'])
    .where('i.organisation_id', '=', organisationId)
    .orderBy('i.occurred_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .execute();
}

// ---------- Import flags ----------

/** The fields kept raw by an import although they failed their check (JSON list, null when none). */
export async function setSourceFlags(db: Db, id: string, flags: string | null): Promise<void> {
  await db.updateTable('organisations').set({ source_flags: flags }).where('id', '=', id).execute();
}
