import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, PostgresAdapter, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, OrganisationsTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import {
  type DirectoryFilter,
  EMPTY_LINKS,
  type Organisation,
  type OrganisationLinks,
  type OrganisationRow,
} from './types.js';

type Db = Kysely<Database> | Transaction<Database>;
type OrgEb = ExpressionBuilder<Database & { o: OrganisationsTable }, 'o'>;

// ---------- Taxonomies ----------

export interface TaxonomyEntry {
  code: string;
  label_fr: string;
  label_en: string;
}

export async function loadTaxonomies(db: Db) {
  const [kinds, themes, colleges, zones, sdgs, zoneCountries] = await Promise.all([
    db.selectFrom('organisation_kinds').select(['code', 'label_fr', 'label_en']).orderBy('position').execute(),
    db.selectFrom('themes').select(['code', 'label_fr', 'label_en']).orderBy('position').execute(),
    db.selectFrom('colleges').select(['code', 'label_fr', 'label_en']).orderBy('position').execute(),
    db.selectFrom('zones').select(['code', 'label_fr', 'label_en']).orderBy('position').execute(),
    db.selectFrom('sdgs').select(['code', 'label_fr', 'label_en']).orderBy('code').execute(),
    db.selectFrom('zone_countries').select(['zone_code', 'country_code']).execute(),
  ]);
  return { kinds, themes, colleges, zones, sdgs: sdgs.map((s) => ({ ...s, code: String(s.code) })), zoneCountries };
}

// ---------- Writes ----------

async function writeLinks(db: Db, id: string, links: OrganisationLinks): Promise<void> {
  await db.deleteFrom('organisation_themes').where('organisation_id', '=', id).execute();
  await db.deleteFrom('organisation_countries').where('organisation_id', '=', id).execute();
  await db.deleteFrom('organisation_zones').where('organisation_id', '=', id).execute();
  await db.deleteFrom('organisation_sdgs').where('organisation_id', '=', id).execute();
  await db.deleteFrom('organisation_colleges').where('organisation_id', '=', id).execute();
  const unique = <T>(values: T[]) => [...new Set(values)];
  if (links.themes.length)
    await db.insertInto('organisation_themes').values(unique(links.themes).map((theme_code) => ({ organisation_id: id, theme_code }))).execute();
  if (links.countries.length)
    await db.insertInto('organisation_countries').values(unique(links.countries).map((country_code) => ({ organisation_id: id, country_code }))).execute();
  if (links.zones.length)
    await db.insertInto('organisation_zones').values(unique(links.zones).map((zone_code) => ({ organisation_id: id, zone_code }))).execute();
  if (links.sdgs.length)
    await db.insertInto('organisation_sdgs').values(unique(links.sdgs).map((sdg_code) => ({ organisation_id: id, sdg_code }))).execute();
  if (links.colleges.length)
    await db.insertInto('organisation_colleges').values(unique(links.colleges).map((college_code) => ({ organisation_id: id, college_code }))).execute();
}

export async function insertOrganisation(db: Db, row: Insertable<OrganisationsTable>, links: OrganisationLinks): Promise<void> {
  await db.insertInto('organisations').values(row).execute();
  await writeLinks(db, row.id, links);
}

/** Where an organisation was before a change: its geocoding is asked again when this changes. */
export interface PlaceBefore {
  address: string | null;
  commune_code: string | null;
}

/**
 * Updates the row, and the links when given; a slug change keeps the old slug as a redirect.
 * The row is read first, and held until the caller's transaction ends on PostgreSQL (SQLite has
 * one writer at a time): returns where the organisation was before, or undefined, writing nothing,
 * when it no longer exists (deleted meanwhile, by the undo of its import…).
 */
export async function updateOrganisation(
  db: Db,
  id: string,
  patch: Updateable<OrganisationsTable>,
  links?: OrganisationLinks,
): Promise<PlaceBefore | undefined> {
  const read = db.selectFrom('organisations').select(['slug', 'address', 'commune_code']).where('id', '=', id);
  const current = await (isPostgres(db) ? read.forUpdate() : read).executeTakeFirst();
  if (!current) return undefined;
  if (patch.slug && current.slug !== patch.slug) {
    await db.deleteFrom('organisation_slugs').where('slug', '=', patch.slug).execute();
    await db
      .insertInto('organisation_slugs')
      .values({ slug: current.slug, organisation_id: id })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ organisation_id: id }))
      .execute();
  }
  if (Object.keys(patch).length) await db.updateTable('organisations').set(patch).where('id', '=', id).execute();
  if (links) await writeLinks(db, id, links);
  return { address: current.address, commune_code: current.commune_code };
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('organisations').select('id').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const [own, old] = await Promise.all([
    q.executeTakeFirst(),
    db.selectFrom('organisation_slugs').select('organisation_id').where('slug', '=', slug).executeTakeFirst(),
  ]);
  return own !== undefined || (old !== undefined && old.organisation_id !== exceptId);
}

// ---------- Reads ----------

/** The link tables, each read as one column of its organisation's row (one statement, not five). */
const LINK_COLUMNS = [
  ['themes', 'organisation_themes', 'theme_code', 'text'],
  ['countries', 'organisation_countries', 'country_code', 'text'],
  ['zones', 'organisation_zones', 'zone_code', 'text'],
  ['sdgs', 'organisation_sdgs', 'sdg_code', 'number'],
  ['colleges', 'organisation_colleges', 'college_code', 'text'],
] as const;

type LinkKey = (typeof LINK_COLUMNS)[number][0];

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Every link of the organisation `o` as columns, values in code order (byte order for text, as
 * JavaScript sorts them): a PostgreSQL array (decoded by the driver) or a SQLite JSON array
 * (decoded by `withLinkColumns`).
 */
function linkColumns(postgres: boolean) {
  return LINK_COLUMNS.map(([key, table, column, type]) =>
    postgres
      ? sql<string[] | number[]>`array(select l.${sql.ref(column)} from ${sql.table(table)} l where l.organisation_id = o.id order by l.${sql.ref(column)}${sql.raw(type === 'text' ? ' collate "C"' : '')})`.as(key)
      : sql<string>`(select json_group_array(l.${sql.ref(column)} order by l.${sql.ref(column)}) from ${sql.table(table)} l where l.organisation_id = o.id)`.as(key),
  );
}

type WithLinkColumns<R> = R & Record<LinkKey, unknown>;

function decoded(value: unknown): unknown[] {
  return typeof value === 'string' ? (JSON.parse(value) as unknown[]) : ((value as unknown[] | null) ?? []);
}

/** Splits a row read with `linkColumns` into the organisation's own fields and its links. */
function withLinkColumns<R extends object>(row: WithLinkColumns<R>): R & OrganisationLinks {
  return {
    ...row,
    themes: decoded(row.themes).map(String),
    countries: decoded(row.countries).map(String),
    zones: decoded(row.zones).map(String),
    sdgs: decoded(row.sdgs).map(Number),
    colleges: decoded(row.colleges).map(String),
  };
}

/** `o.id` among the ids: one array parameter on PostgreSQL (one statement text for any count). */
function idIn(postgres: boolean, ids: string[]) {
  return postgres ? sql<SqlBool>`o.id = any(${ids}::text[])` : sql<SqlBool>`o.id in (${sql.join(ids)})`;
}

/** An organisation's own columns: all but PostgreSQL's search vector (never shown, and costly to send). */
const ORGANISATION_COLUMNS = [
  'id', 'slug', 'name', 'acronym', 'kind_code', 'description_html', 'website', 'email', 'phone', 'social_links', 'address',
  'postcode', 'commune_code', 'commune_name', 'department_code', 'latitude', 'longitude', 'geo_precision', 'siren', 'siret',
  'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count', 'visibility', 'is_member', 'logo_file_id', 'source',
  'import_batch_id', 'search_text', 'sort_name', 'created_at', 'updated_at', 'reviewed_at', 'source_file', 'source_row',
  'source_ref', 'source_flags',
] as const satisfies readonly (keyof OrganisationsTable)[];
// A column added to OrganisationsTable but not to the list above fails type-checking here.
const everyColumnListed: [Exclude<keyof OrganisationsTable, (typeof ORGANISATION_COLUMNS)[number]>] extends [never] ? true : false = true;
void everyColumnListed;

/** Organisations with their links, read in one statement. */
function organisationsWithLinks(db: Db) {
  return db
    .selectFrom('organisations as o')
    .select(ORGANISATION_COLUMNS.map((column) => `o.${column}` as const))
    .select(linkColumns(isPostgres(db)));
}

async function linksOf(db: Db, ids: string[]): Promise<Map<string, OrganisationLinks>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations as o')
    .select('o.id')
    .select(linkColumns(isPostgres(db)))
    .where(idIn(isPostgres(db), ids))
    .execute();
  return new Map(
    rows.map((r) => {
      const { id, ...links } = withLinkColumns(r);
      return [id, links];
    }),
  );
}

export async function withLinks(db: Db, rows: OrganisationRow[]): Promise<Organisation[]> {
  const links = await linksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, ...(links.get(r.id) ?? EMPTY_LINKS) }));
}

export async function findOrganisationById(db: Db, id: string): Promise<Organisation | undefined> {
  const row = await organisationsWithLinks(db).where('o.id', '=', id).executeTakeFirst();
  return row ? withLinkColumns(row) : undefined;
}

/** By current slug, or by an old slug (then `redirectTo` names the current one). */
export async function findOrganisationBySlug(
  db: Db,
  slug: string,
): Promise<{ organisation: Organisation; redirectTo?: string } | undefined> {
  const row = await organisationsWithLinks(db).where('o.slug', '=', slug).executeTakeFirst();
  if (row) return { organisation: withLinkColumns(row) };
  const old = await db.selectFrom('organisation_slugs').select('organisation_id').where('slug', '=', slug).executeTakeFirst();
  if (!old) return undefined;
  const organisation = await findOrganisationById(db, old.organisation_id);
  return organisation ? { organisation, redirectTo: organisation.slug } : undefined;
}

/** An organisation's visibility and its logo file (undefined when it has none). */
export async function organisationLogo(db: Db, id: string) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('files as f', 'f.id', 'o.logo_file_id')
    .select(['o.visibility', 'f.id as file_id', 'f.storage_path', 'f.mime', 'f.size'])
    .where('o.id', '=', id)
    .executeTakeFirst();
}

export async function deleteOrganisationsBySource(db: Db, source: string): Promise<number> {
  const result = await db.deleteFrom('organisations').where('source', '=', source).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------- Directory search ----------

/** The FTS expression for normalised tokens: every token as a prefix, all required. */
export function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

/** Organisations and the zones they work in, explicitly or through one of their countries. */
function orgZones(db: Db) {
  return db
    .selectFrom('organisation_zones')
    .select(['organisation_id', 'zone_code'])
    .union(
      db
        .selectFrom('organisation_countries as c')
        .innerJoin('zone_countries as zc', 'zc.country_code', 'c.country_code')
        .select(['c.organisation_id', 'zc.zone_code']),
    );
}

/** The directory's filters as SQL conditions on `organisations as o` (the back office adds its own). */
export function directoryConditions(db: Db, eb: OrgEb, f: DirectoryFilter, tokens: string[], dialect: Dialect) {
  const list: Expression<SqlBool>[] = [eb('o.visibility', 'in', f.visibility)];
  if (tokens.length) {
    const q = ftsExpression(tokens, dialect);
    list.push(
      dialect === 'postgres'
        ? sql<SqlBool>`o.search_vector @@ to_tsquery('simple', ${q})`
        : eb('o.id', 'in', sql<string>`(select organisation_id from organisations_fts where organisations_fts match ${q})`),
    );
  }
  if (f.kinds.length) list.push(eb('o.kind_code', 'in', f.kinds));
  if (f.departments.length) list.push(eb('o.department_code', 'in', f.departments));
  if (f.member) list.push(eb('o.is_member', '=', f.member === 'yes' ? 1 : 0));
  if (f.themes.length) {
    list.push(eb.exists(eb.selectFrom('organisation_themes as t').select('t.organisation_id').whereRef('t.organisation_id', '=', 'o.id').where('t.theme_code', 'in', f.themes)));
  }
  if (f.countries.length) {
    list.push(eb.exists(eb.selectFrom('organisation_countries as c').select('c.organisation_id').whereRef('c.organisation_id', '=', 'o.id').where('c.country_code', 'in', f.countries)));
  }
  if (f.sdgs.length) {
    list.push(eb.exists(eb.selectFrom('organisation_sdgs as s').select('s.organisation_id').whereRef('s.organisation_id', '=', 'o.id').where('s.sdg_code', 'in', f.sdgs)));
  }
  if (f.zones.length) {
    list.push(eb.exists(eb.selectFrom(orgZones(db).as('z')).select('z.organisation_id').whereRef('z.organisation_id', '=', 'o.id').where('z.zone_code', 'in', f.zones)));
  }
  return eb.and(list);
}

/** The directory's filtered set as a query to select from (map, exports): same filters, no paging. */
export function directorySelection(db: Db, dialect: Dialect, f: DirectoryFilter, tokens: string[]) {
  return db.selectFrom('organisations as o').where((eb) => directoryConditions(db, eb, f, tokens, dialect));
}

export async function organisationsByIds(db: Db, ids: string[]): Promise<Organisation[]> {
  if (!ids.length) return [];
  const rows = await organisationsWithLinks(db).where(idIn(isPostgres(db), ids)).execute();
  return inOrder(ids, rows.map(withLinkColumns));
}

/** Rows in the order of the ids asked for. */
function inOrder<R extends { id: string }>(ids: string[], rows: R[]): R[] {
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/**
 * A directory page's rows (without their links), and the directory's version read by the same
 * statement: when that is the version the in-memory index was built at, the index's ids and links
 * are those of this snapshot. (`version` is null when the statement finds none of the ids.)
 */
export async function directoryPageRows(db: Db, ids: string[]): Promise<{ rows: OrganisationRow[]; version: string | null }> {
  const rows = await db
    .selectFrom('organisations as o')
    .select(ORGANISATION_COLUMNS.map((column) => `o.${column}` as const))
    .select((eb) => eb.selectFrom('change_counters').select('version').where('name', '=', 'directory').as('directory_version'))
    .where(idIn(isPostgres(db), ids))
    .execute();
  const version = rows[0]?.directory_version;
  return { rows: inOrder(ids, rows.map(({ directory_version: _, ...row }) => row)), version: version == null ? null : String(version) };
}

// ---------- Accounts ↔ organisations ----------

export async function linkUserToOrganisation(db: Db, userId: string, organisationId: string, at: string): Promise<void> {
  await db
    .insertInto('user_organisations')
    .values({ user_id: userId, organisation_id: organisationId, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doNothing())
    .execute();
}

export async function organisationsOfUser(db: Db, userId: string): Promise<OrganisationRow[]> {
  return db
    .selectFrom('organisations as o')
    .innerJoin('user_organisations as uo', 'uo.organisation_id', 'o.id')
    .selectAll('o')
    .where('uo.user_id', '=', userId)
    .orderBy('o.sort_name')
    .orderBy('o.id')
    .execute();
}

export async function usersOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_organisations as uo', 'uo.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.status', 'u.role'])
    .where('uo.organisation_id', '=', organisationId)
    .orderBy('u.display_name')
    .execute();
}

/** Slugs and last changes of the organisations every visitor may see (for the sitemap). */
export async function publicOrganisationPages(db: Kysely<Database>): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom('organisations').select(['slug', 'updated_at']).where('visibility', '=', 'public').orderBy('slug').execute();
}
