import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, type Updateable, sql } from 'kysely';
import type { Database, ResourcesTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import type { Resource, ResourceFile, ResourceRow } from './types.js';

type Db = Kysely<Database>;
const CHUNK = 200;

// ---------- Writes ----------

export async function insertResource(db: Db, row: Insertable<ResourcesTable>, tags: { themes: string[]; countries: string[] }, metaText: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.insertInto('resources').values(row).execute();
    await writeTags(trx, row.id, tags);
    await trx.insertInto('resource_search').values({ resource_id: row.id, meta_text: metaText, body_text: '' }).execute();
  });
}

async function writeTags(db: Db, id: string, tags: { themes: string[]; countries: string[] }): Promise<void> {
  await db.deleteFrom('resource_themes').where('resource_id', '=', id).execute();
  await db.deleteFrom('resource_countries').where('resource_id', '=', id).execute();
  if (tags.themes.length) await db.insertInto('resource_themes').values(tags.themes.map((theme_code) => ({ resource_id: id, theme_code }))).execute();
  if (tags.countries.length) await db.insertInto('resource_countries').values(tags.countries.map((country_code) => ({ resource_id: id, country_code }))).execute();
}

/** Changes a resource; an old slug keeps redirecting; tags and the metadata's search text are replaced when given. */
export async function updateResource(
  db: Db,
  id: string,
  patch: Updateable<ResourcesTable>,
  extra: { oldSlug?: string; tags?: { themes: string[]; countries: string[] }; metaText?: string } = {},
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('resources').set(patch).where('id', '=', id).execute();
    if (extra.oldSlug && patch.slug && extra.oldSlug !== patch.slug) {
      await trx.deleteFrom('resource_slugs').where('slug', '=', patch.slug).execute();
      await trx.insertInto('resource_slugs').values({ slug: extra.oldSlug, resource_id: id }).onConflict((oc) => oc.column('slug').doUpdateSet({ resource_id: id })).execute();
    }
    if (extra.tags) await writeTags(trx, id, extra.tags);
    if (extra.metaText !== undefined) await trx.updateTable('resource_search').set({ meta_text: extra.metaText }).where('resource_id', '=', id).execute();
  });
}

/** The words of the resource's extracted text, with the extraction's outcome. */
export async function saveExtraction(
  db: Db,
  id: string,
  outcome: { status: string; error: string | null; pages: number | null; chars: number | null; at: string | null; bodyText: string },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('resources')
      .set({ extraction_status: outcome.status, extraction_error: outcome.error, extracted_pages: outcome.pages, extracted_chars: outcome.chars, extracted_at: outcome.at })
      .where('id', '=', id)
      .execute();
    await trx.updateTable('resource_search').set({ body_text: outcome.bodyText }).where('resource_id', '=', id).execute();
  });
}

export async function deleteResource(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    // The search row first: its triggers keep SQLite's full-text index in step.
    await trx.deleteFrom('resource_search').where('resource_id', '=', id).execute();
    await trx.deleteFrom('resources').where('id', '=', id).execute();
  });
}

/** One more download; a plain increment per request. */
export async function countDownload(db: Db, id: string): Promise<void> {
  await db
    .updateTable('resources')
    .set((eb) => ({ download_count: eb('download_count', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  const live = await db
    .selectFrom('resources')
    .select('id')
    .where('slug', '=', slug)
    .$if(Boolean(exceptId), (qb) => qb.where('id', '!=', exceptId!))
    .executeTakeFirst();
  if (live) return true;
  const old = await db.selectFrom('resource_slugs').select('resource_id').where('slug', '=', slug).executeTakeFirst();
  return Boolean(old && old.resource_id !== exceptId);
}

// ---------- Reads ----------

async function withTags(db: Db, rows: ResourceRow[]): Promise<Resource[]> {
  const themes = new Map<string, string[]>();
  const countries = new Map<string, string[]>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    for (const r of await db.selectFrom('resource_themes').select(['resource_id', 'theme_code']).where('resource_id', 'in', part).orderBy('theme_code').execute()) {
      themes.set(r.resource_id, [...(themes.get(r.resource_id) ?? []), r.theme_code]);
    }
    for (const r of await db.selectFrom('resource_countries').select(['resource_id', 'country_code']).where('resource_id', 'in', part).orderBy('country_code').execute()) {
      countries.set(r.resource_id, [...(countries.get(r.resource_id) ?? []), r.country_code]);
    }
  }
  return rows.map((r) => ({ ...r, themes: themes.get(r.id) ?? [], countries: countries.get(r.id) ?? [] }));
}

export async function findResourceById(db: Db, id: string): Promise<Resource | undefined> {
  const row = await db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withTags(db, [row]))[0] : undefined;
}

/** A resource by its slug, or by an old slug (then `redirectTo` names the current one). */
export async function findResourceBySlug(db: Db, slug: string): Promise<{ resource: Resource; redirectTo?: string } | undefined> {
  const row = await db.selectFrom('resources').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (row) return { resource: (await withTags(db, [row]))[0]! };
  const old = await db.selectFrom('resource_slugs').select('resource_id').where('slug', '=', slug).executeTakeFirst();
  if (!old) return undefined;
  const resource = await findResourceById(db, old.resource_id);
  return resource ? { resource, redirectTo: resource.slug } : undefined;
}

export async function findFile(db: Db, id: string): Promise<(ResourceFile & { purpose: string }) | undefined> {
  return db.selectFrom('files').select(['id', 'original_name', 'mime', 'size', 'storage_path', 'purpose']).where('id', '=', id).executeTakeFirst();
}

export async function filesByIds(db: Db, ids: string[]): Promise<Map<string, ResourceFile>> {
  const found = new Map<string, ResourceFile>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('files').select(['id', 'original_name', 'mime', 'size', 'storage_path']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** Who uploaded a file (null: unknown or gone). */
export async function fileUploader(db: Db, fileId: string): Promise<string | null> {
  const row = await db.selectFrom('files').select('created_by').where('id', '=', fileId).executeTakeFirst();
  return row?.created_by ?? null;
}

/** Whether another resource still uses the file (a file is removed from the disk only when none does). */
export async function fileInUse(db: Db, fileId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('resources').select('id').where('file_id', '=', fileId).executeTakeFirst());
}

export async function deleteFileRow(db: Db, fileId: string): Promise<void> {
  await db.deleteFrom('files').where('id', '=', fileId).execute();
}

// ---------- Lists and search ----------

export interface ResourceFilter {
  /** Normalised search words, all required, each as a prefix. */
  tokens: string[];
  statuses: string[];
  kind?: string;
  theme?: string;
  country?: string;
  year?: number;
  organisationId?: string;
  extraction?: string;
}

type ResourceEb = ExpressionBuilder<Database & { r: ResourcesTable }, 'r'>;

/** Every token as a prefix, all required: FTS5 on SQLite, to_tsquery('simple') on PostgreSQL. Tokens are letters and digits only. */
export function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

function conditions(eb: ResourceEb, dialect: Dialect, f: ResourceFilter): Expression<SqlBool> {
  const list: Expression<SqlBool>[] = [];
  if (f.statuses.length) list.push(eb('r.status', 'in', f.statuses));
  if (f.kind) list.push(eb('r.kind', '=', f.kind));
  if (f.year) list.push(eb('r.year', '=', f.year));
  if (f.organisationId) list.push(eb('r.organisation_id', '=', f.organisationId));
  if (f.extraction) list.push(eb('r.extraction_status', '=', f.extraction));
  if (f.theme) list.push(eb.exists(eb.selectFrom('resource_themes as t').select('t.resource_id').whereRef('t.resource_id', '=', 'r.id').where('t.theme_code', '=', f.theme)));
  if (f.country) list.push(eb.exists(eb.selectFrom('resource_countries as c').select('c.resource_id').whereRef('c.resource_id', '=', 'r.id').where('c.country_code', '=', f.country)));
  if (f.tokens.length) {
    const q = ftsExpression(f.tokens, dialect);
    list.push(
      dialect === 'postgres'
        ? eb('r.id', 'in', eb.selectFrom('resource_search as s').select('s.resource_id').where(sql<SqlBool>`s.search_vector @@ to_tsquery('simple', ${q})`))
        : eb('r.id', 'in', eb.selectFrom('resources_fts').select('resources_fts.resource_id').where(sql<SqlBool>`resources_fts match ${q}`)),
    );
  }
  return eb.and(list);
}

/** One page of resources matching the filter, with the number of matches. */
export async function searchResources(
  db: Db,
  dialect: Dialect,
  filter: ResourceFilter,
  page: { offset: number; limit: number; order: 'published' | 'updated' },
): Promise<{ rows: Resource[]; total: number }> {
  const base = db.selectFrom('resources as r').where((eb) => conditions(eb, dialect, filter));
  const ordered =
    page.order === 'published'
      ? base.orderBy(sql`coalesce(r.published_at, r.created_at)`, 'desc').orderBy('r.id', 'desc')
      : base.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc');
  const [rows, count] = await Promise.all([
    ordered.selectAll('r').offset(page.offset).limit(page.limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: await withTags(db, rows), total: Number(count.n) };
}

/** Years of the published resources, newest first (the public year filter). */
export async function publishedYears(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('resources').select('year').distinct().where('status', '=', 'published').where('year', 'is not', null).orderBy('year', 'desc').execute();
  return rows.map((r) => Number(r.year));
}

/** Organisations of the published resources (the public organisation filter). */
export async function publishedOrganisationIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('resources').select('organisation_id').distinct().where('status', '=', 'published').where('organisation_id', 'is not', null).execute();
  return rows.map((r) => r.organisation_id!);
}

/** Countries named by the published resources (the public country filter). */
export async function publishedCountries(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_countries as c')
    .innerJoin('resources as r', 'r.id', 'c.resource_id')
    .select('c.country_code')
    .distinct()
    .where('r.status', '=', 'published')
    .execute();
  return rows.map((r) => r.country_code);
}

/** Published resources, newest first, published at or after `since` when given. */
export async function latestPublished(db: Db, options: { since?: string; limit: number }): Promise<ResourceRow[]> {
  return db
    .selectFrom('resources')
    .selectAll()
    .where('status', '=', 'published')
    .$if(Boolean(options.since), (qb) => qb.where('published_at', '>=', options.since!))
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

export async function publishedForSitemap(db: Db): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom('resources').select(['slug', 'updated_at']).where('status', '=', 'published').orderBy('published_at', 'desc').execute();
}

/** Published resources of the given organisations (a member's space). */
export async function resourcesOfOrganisations(db: Db, organisationIds: string[]): Promise<ResourceRow[]> {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('resources')
    .selectAll()
    .where('organisation_id', 'in', organisationIds)
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('resources').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The search words stored for a resource (tests and the staff page's word count). */
export async function searchRow(db: Db, id: string): Promise<{ meta_text: string; body_text: string } | undefined> {
  return db.selectFrom('resource_search').select(['meta_text', 'body_text']).where('resource_id', '=', id).executeTakeFirst();
}
