import { type Insertable, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Database, PagesTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';

type Db = Kysely<Database>;
export type PageRow = Selectable<PagesTable>;
export type NewPage = Insertable<PagesTable>;

const COLUMNS = ['id', 'slug', 'title', 'body_html', 'status', 'menu', 'menu_order', 'menu_label', 'search_text', 'created_by', 'created_at', 'updated_at'] as const;

/** The pages' version: moved by the database on every change to a page (migration 1400). */
export async function readPagesVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('change_counters').select('version').where('name', '=', 'pages').executeTakeFirst();
  return String(row?.version ?? '');
}

export async function findPage(db: Db, id: string): Promise<PageRow | undefined> {
  return db.selectFrom('pages').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findPageBySlug(db: Db, slug: string): Promise<PageRow | undefined> {
  return db.selectFrom('pages').select(COLUMNS).where('slug', '=', slug).executeTakeFirst();
}

/** The page an old slug of it now names. */
export async function pageIdOfOldSlug(db: Db, slug: string): Promise<string | undefined> {
  return (await db.selectFrom('page_slugs').select('page_id').where('slug', '=', slug).executeTakeFirst())?.page_id;
}

/** Whether a slug is used by another page, now or as an old address. */
export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  const current = await db
    .selectFrom('pages')
    .select('id')
    .where('slug', '=', slug)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (current) return true;
  const old = await db
    .selectFrom('page_slugs')
    .select('page_id')
    .where('slug', '=', slug)
    .$if(exceptId !== undefined, (q) => q.where('page_id', '<>', exceptId!))
    .executeTakeFirst();
  return Boolean(old);
}

export async function listPages(db: Db): Promise<PageRow[]> {
  return db.selectFrom('pages').select(COLUMNS).orderBy('title').orderBy('id').execute();
}

export async function insertPage(db: Db, row: NewPage): Promise<void> {
  await db.insertInto('pages').values(row).execute();
}

/** Rewrites a page; a new slug keeps the old one redirecting (and frees the new one of any redirect of its own). */
export async function updatePage(db: Db, id: string, patch: Partial<NewPage>, oldSlug: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('pages').set(patch).where('id', '=', id).execute();
    if (patch.slug && patch.slug !== oldSlug) {
      await trx.deleteFrom('page_slugs').where('slug', '=', patch.slug).execute();
      await trx.insertInto('page_slugs').values({ slug: oldSlug, page_id: id }).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}

export async function deletePage(db: Db, id: string): Promise<void> {
  await db.deleteFrom('pages').where('id', '=', id).execute();
}

/** Published pages placed in a menu, in menu order. */
export async function menuPages(db: Db): Promise<Array<Pick<PageRow, 'slug' | 'title' | 'menu' | 'menu_label'>>> {
  return db
    .selectFrom('pages')
    .select(['slug', 'title', 'menu', 'menu_label'])
    .where('status', '=', 'published')
    .where('menu', 'in', ['header', 'footer'])
    .orderBy('menu_order')
    .orderBy('title')
    .execute();
}

/** Published pages for the sitemap. */
export async function publishedPages(db: Db): Promise<Array<Pick<PageRow, 'slug' | 'updated_at'>>> {
  return db.selectFrom('pages').select(['slug', 'updated_at']).where('status', '=', 'published').orderBy('slug').execute();
}

export type PageHit = Pick<PageRow, 'slug' | 'title' | 'body_html' | 'updated_at'>;

/** Every token as a prefix, all required. */
function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

function matching(db: Db, dialect: Dialect, tokens: string[]) {
  const base = db.selectFrom('pages as p').where('p.status', '=', 'published');
  if (dialect === 'postgres') return base.where(sql<SqlBool>`p.search_vector @@ to_tsquery('simple', ${ftsExpression(tokens, dialect)})`);
  return base.where((eb) =>
    eb('p.id', 'in', eb.selectFrom('pages_fts').select('record_id').where(sql<SqlBool>`pages_fts match ${ftsExpression(tokens, dialect)}`)),
  );
}

/** Published pages whose normalised title and text hold every token (as a prefix), by title. */
export async function searchPublishedPages(db: Db, dialect: Dialect, tokens: string[], offset: number, limit: number): Promise<{ total: number; hits: PageHit[] }> {
  if (!tokens.length) return { total: 0, hits: [] };
  const [counted, hits] = await Promise.all([
    matching(db, dialect, tokens).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    limit > 0 ? matching(db, dialect, tokens).select(['p.slug', 'p.title', 'p.body_html', 'p.updated_at']).orderBy('p.title').orderBy('p.id').offset(offset).limit(limit).execute() : Promise.resolve([]),
  ]);
  return { total: Number(counted.n), hits };
}
