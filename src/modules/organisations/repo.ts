import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
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

/** Updates the row, and the links when given; a slug change keeps the old slug as a redirect. */
export async function updateOrganisation(
  db: Db,
  id: string,
  patch: Updateable<OrganisationsTable>,
  links?: OrganisationLinks,
): Promise<void> {
  if (patch.slug) {
    const current = await db.selectFrom('organisations').select('slug').where('id', '=', id).executeTakeFirst();
    if (current && current.slug !== patch.slug) {
      await db.deleteFrom('organisation_slugs').where('slug', '=', patch.slug).execute();
      await db
        .insertInto('organisation_slugs')
        .values({ slug: current.slug, organisation_id: id })
        .onConflict((oc) => oc.column('slug').doUpdateSet({ organisation_id: id }))
        .execute();
    }
  }
  if (Object.keys(patch).length) await db.updateTable('organisations').set(patch).where('id', '=', id).execute();
  if (links) await writeLinks(db, id, links);
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

async function linksOf(db: Db, ids: string[]): Promise<Map<string, OrganisationLinks>> {
  const map = new Map<string, OrganisationLinks>(ids.map((id) => [id, { themes: [], countries: [], zones: [], sdgs: [], colleges: [] }]));
  if (ids.length === 0) return map;
  const [themes, countries, zones, sdgs, colleges] = await Promise.all([
    db.selectFrom('organisation_themes').select(['organisation_id', 'theme_code as v']).where('organisation_id', 'in', ids).execute(),
    db.selectFrom('organisation_countries').select(['organisation_id', 'country_code as v']).where('organisation_id', 'in', ids).execute(),
    db.selectFrom('organisation_zones').select(['organisation_id', 'zone_code as v']).where('organisation_id', 'in', ids).execute(),
    db.selectFrom('organisation_sdgs').select(['organisation_id', 'sdg_code as v']).where('organisation_id', 'in', ids).orderBy('sdg_code').execute(),
    db.selectFrom('organisation_colleges').select(['organisation_id', 'college_code as v']).where('organisation_id', 'in', ids).execute(),
  ]);
  for (const r of themes) map.get(r.organisation_id)?.themes.push(r.v);
  for (const r of countries) map.get(r.organisation_id)?.countries.push(r.v);
  for (const r of zones) map.get(r.organisation_id)?.zones.push(r.v);
  for (const r of sdgs) map.get(r.organisation_id)?.sdgs.push(Number(r.v));
  for (const r of colleges) map.get(r.organisation_id)?.colleges.push(r.v);
  return map;
}

export async function withLinks(db: Db, rows: OrganisationRow[]): Promise<Organisation[]> {
  const links = await linksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, ...(links.get(r.id) ?? EMPTY_LINKS) }));
}

export async function findOrganisationById(db: Db, id: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withLinks(db, [row]))[0] : undefined;
}

/** By current slug, or by an old slug (then `redirectTo` names the current one). */
export async function findOrganisationBySlug(
  db: Db,
  slug: string,
): Promise<{ organisation: Organisation; redirectTo?: string } | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (row) return { organisation: (await withLinks(db, [row]))[0]! };
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
  const order = new Map(ids.map((id, i) => [id, i]));
  const rows = await db.selectFrom('organisations').selectAll().where('id', 'in', ids).execute();
  return withLinks(
    db,
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
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
