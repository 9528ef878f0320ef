import { type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, NewsArticlesTable, NewsStatus } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import type { Article, ArticleCard, ArticleRow } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;
export type NewArticle = Insertable<NewsArticlesTable>;
export type ArticlePatch = Updateable<NewsArticlesTable>;

// ---------- Version ----------

/** The version the database moves on every change to articles and their links (migration 1400). */
export async function readNewsVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('change_counters').select('version').where('name', '=', 'news').executeTakeFirst();
  return String(row?.version ?? '');
}

/** The latest publication date already passed: moves when a scheduled article comes out. */
export async function latestPublication(db: Db, now: string): Promise<string> {
  const row = await db
    .selectFrom('news_articles')
    .select((eb) => eb.fn.max('published_at').as('at'))
    .where('status', '=', 'published')
    .where('published_at', '<=', now)
    .executeTakeFirst();
  return row?.at ? String(row.at) : '';
}

// ---------- One article ----------

async function withLinks(db: Db, rows: ArticleRow[]): Promise<Article[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [themes, countries] = await Promise.all([
    db.selectFrom('news_article_themes').select(['article_id', 'theme_code as v']).where('article_id', 'in', ids).orderBy('theme_code').execute(),
    db.selectFrom('news_article_countries').select(['article_id', 'country_code as v']).where('article_id', 'in', ids).orderBy('country_code').execute(),
  ]);
  return rows.map((r) => ({
    ...r,
    themes: themes.filter((x) => x.article_id === r.id).map((x) => x.v),
    countries: countries.filter((x) => x.article_id === r.id).map((x) => x.v),
  }));
}

export async function findArticle(db: Db, id: string): Promise<Article | undefined> {
  const row = await db.selectFrom('news_articles').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withLinks(db, [row]))[0] : undefined;
}

/** By current slug, or by an old slug (then `redirectTo` names the current one). */
export async function findArticleBySlug(db: Db, slug: string): Promise<{ article: Article; redirectTo?: string } | undefined> {
  const row = await db.selectFrom('news_articles').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (row) return { article: (await withLinks(db, [row]))[0]! };
  const old = await db.selectFrom('news_slugs').select('article_id').where('slug', '=', slug).executeTakeFirst();
  const article = old ? await findArticle(db, old.article_id) : undefined;
  return article ? { article, redirectTo: article.slug } : undefined;
}

/** Whether a slug names another article, now or as an old address. */
/** The articles made from a watch item, oldest first (its page lists them; a second promotion names them). */
export async function articlesOfWatchItem(db: Db, itemId: string): Promise<Array<{ id: string; title: string; status: NewsStatus }>> {
  return db.selectFrom('news_articles').select(['id', 'title', 'status']).where('watch_item_id', '=', itemId).orderBy('created_at').orderBy('id').execute();
}

export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  const [own, old] = await Promise.all([
    db
      .selectFrom('news_articles')
      .select('id')
      .where('slug', '=', slug)
      .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
      .executeTakeFirst(),
    db.selectFrom('news_slugs').select('article_id').where('slug', '=', slug).executeTakeFirst(),
  ]);
  return own !== undefined || (old !== undefined && old.article_id !== exceptId);
}

/** The article's image, with its status (the image is public when the article is). */
export async function articleImage(db: Db, id: string) {
  return db
    .selectFrom('news_articles as a')
    .innerJoin('files as f', 'f.id', 'a.image_file_id')
    .select(['a.status', 'a.published_at', 'f.id as file_id', 'f.storage_path', 'f.mime'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

// ---------- Writes ----------

async function writeLinks(db: Db, id: string, links: { themes: string[]; countries: string[] }): Promise<void> {
  await db.deleteFrom('news_article_themes').where('article_id', '=', id).execute();
  await db.deleteFrom('news_article_countries').where('article_id', '=', id).execute();
  if (links.themes.length) await db.insertInto('news_article_themes').values(links.themes.map((theme_code) => ({ article_id: id, theme_code }))).execute();
  if (links.countries.length) await db.insertInto('news_article_countries').values(links.countries.map((country_code) => ({ article_id: id, country_code }))).execute();
}

export async function insertArticle(db: Kysely<Database>, row: NewArticle, links: { themes: string[]; countries: string[] }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.insertInto('news_articles').values(row).execute();
    await writeLinks(trx, row.id, links);
  });
}

/** Rewrites an article; a new slug keeps the old one redirecting (and frees the new one of any redirect). */
export async function updateArticle(db: Kysely<Database>, id: string, patch: ArticlePatch, links?: { themes: string[]; countries: string[] }): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (patch.slug) {
      const current = await trx.selectFrom('news_articles').select('slug').where('id', '=', id).executeTakeFirst();
      if (current && current.slug !== patch.slug) {
        await trx.deleteFrom('news_slugs').where('slug', '=', patch.slug).execute();
        await trx
          .insertInto('news_slugs')
          .values({ slug: current.slug, article_id: id })
          .onConflict((oc) => oc.column('slug').doUpdateSet({ article_id: id }))
          .execute();
      }
    }
    await trx.updateTable('news_articles').set(patch).where('id', '=', id).execute();
    if (links) await writeLinks(trx, id, links);
  });
}

export async function setArticleFields(db: Db, id: string, patch: ArticlePatch): Promise<void> {
  await db.updateTable('news_articles').set(patch).where('id', '=', id).execute();
}

export async function deleteArticle(db: Db, id: string): Promise<void> {
  await db.deleteFrom('news_articles').where('id', '=', id).execute();
}

// ---------- Lists ----------

export interface PublicFilter {
  now: string;
  theme?: string;
  since?: string;
  membersOnly?: boolean;
  /** Articles of these ids only (search results). */
  ids?: string[];
}

type ArticleEb = ExpressionBuilder<Database & { a: NewsArticlesTable }, 'a'>;

function listedWhere(eb: ArticleEb, f: PublicFilter) {
  const list = [eb('a.status', '=', 'published'), eb('a.published_at', '<=', f.now)];
  if (f.since) list.push(eb('a.published_at', '>=', f.since));
  if (f.membersOnly) list.push(eb('a.organisation_id', 'is not', null));
  if (f.theme) list.push(eb.exists(eb.selectFrom('news_article_themes as t').select('t.article_id').whereRef('t.article_id', '=', 'a.id').where('t.theme_code', '=', f.theme)));
  if (f.ids) list.push(eb('a.id', 'in', f.ids.length ? f.ids : ['']));
  return eb.and(list);
}

function cardQuery(db: Db) {
  return db
    .selectFrom('news_articles as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('users as u', 'u.id', 'a.author_user_id')
    .select([
      'a.id', 'a.slug', 'a.title', 'a.summary', 'a.body_html', 'a.image_file_id', 'a.image_alt', 'a.published_at', 'a.updated_at',
      'o.id as organisation_id', 'o.name as organisation_name', 'o.slug as organisation_slug', 'o.visibility as organisation_visibility', 'u.display_name as author_name',
    ]);
}

type CardRow = {
  id: string; slug: string; title: string; summary: string | null; body_html: string | null; image_file_id: string | null; image_alt: string | null;
  published_at: string | null; updated_at: string; organisation_id: string | null; organisation_name: string | null; organisation_slug: string | null;
  organisation_visibility: string | null; author_name: string | null;
};

function toCard(r: CardRow): ArticleCard {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    body_html: r.body_html,
    image_file_id: r.image_file_id,
    image_alt: r.image_alt,
    published_at: String(r.published_at),
    updated_at: r.updated_at,
    organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name ?? '', slug: r.organisation_slug ?? '', public: r.organisation_visibility === 'public' } : null,
    author_name: r.organisation_id ? null : r.author_name,
  };
}

/** Listed articles, newest first, with the total. */
export async function listPublic(db: Db, f: PublicFilter, offset: number, limit: number): Promise<{ rows: ArticleCard[]; total: number }> {
  const [rows, counted] = await Promise.all([
    cardQuery(db).where((eb) => listedWhere(eb, f)).orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').offset(offset).limit(limit).execute(),
    db.selectFrom('news_articles as a').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => listedWhere(eb, f)).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toCard), total: Number(counted.n) };
}

/** One article as a card (its organisation and author resolved). */
export async function articleCard(db: Db, id: string): Promise<ArticleCard | undefined> {
  const row = await cardQuery(db).where('a.id', '=', id).executeTakeFirst();
  return row ? toCard(row) : undefined;
}

/** Slugs and last changes of listed articles (sitemap). */
export async function listedSlugs(db: Db, now: string): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom('news_articles as a').select(['a.slug', 'a.updated_at']).where((eb) => listedWhere(eb, { now })).orderBy('a.published_at', 'desc').execute();
}

export interface AdminFilter {
  /** A status, `scheduled` (published with a date to come), or '' for all. */
  status: string;
  now: string;
  q: string;
  tokens: string[];
}

/** Every article for staff, newest change first, filtered by status and words of the title. */
export async function listAdmin(db: Db, dialect: Dialect, f: AdminFilter, offset: number, limit: number) {
  const where = (eb: ArticleEb) => {
    const list = [];
    if (f.status === 'scheduled') list.push(eb('a.status', '=', 'published'), eb('a.published_at', '>', f.now));
    else if (f.status) list.push(eb('a.status', '=', f.status as NewsStatus));
    if (f.tokens.length) list.push(ftsMatch(eb, dialect, f.tokens));
    return eb.and(list);
  };
  const [rows, counted] = await Promise.all([
    db
      .selectFrom('news_articles as a')
      .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.id', 'a.slug', 'a.title', 'a.status', 'a.published_at', 'a.updated_at', 'a.source', 'a.mastodon_status_url', 'a.mastodon_error', 'o.name as organisation_name'])
      .where(where)
      .orderBy('a.updated_at', 'desc')
      .orderBy('a.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    db.selectFrom('news_articles as a').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(counted.n) };
}

/** Articles of organisations (a member's space), newest first. */
export async function articlesOfOrganisations(db: Db, organisationIds: string[]) {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('news_articles')
    .select(['id', 'slug', 'title', 'status', 'published_at', 'organisation_id'])
    .where('organisation_id', 'in', organisationIds)
    .orderBy('published_at', 'desc')
    .limit(100)
    .execute();
}

// ---------- Full text ----------

function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

function ftsMatch(eb: ArticleEb, dialect: Dialect, tokens: string[]) {
  if (dialect === 'postgres') return sql<SqlBool>`a.search_vector @@ to_tsquery('simple', ${ftsExpression(tokens, dialect)})`;
  return eb('a.id', 'in', eb.selectFrom('news_fts').select('record_id').where(sql<SqlBool>`news_fts match ${ftsExpression(tokens, dialect)}`));
}

/** Listed articles whose normalised title, chapeau and text hold every token (as a prefix), newest first. */
export async function searchListed(db: Db, dialect: Dialect, tokens: string[], now: string, offset: number, limit: number): Promise<{ total: number; rows: ArticleCard[] }> {
  if (!tokens.length) return { total: 0, rows: [] };
  const where = (eb: ArticleEb) => eb.and([listedWhere(eb, { now }), ftsMatch(eb, dialect, tokens)]);
  const [rows, counted] = await Promise.all([
    limit > 0 ? cardQuery(db).where(where).orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').offset(offset).limit(limit).execute() : Promise.resolve([]),
    db.selectFrom('news_articles as a').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(counted.n), rows: rows.map(toCard) };
}

// ---------- Taxonomy ----------

export async function themeOptions(db: Db): Promise<Array<{ code: string; label_fr: string; label_en: string }>> {
  return db.selectFrom('themes').select(['code', 'label_fr', 'label_en']).orderBy('position').execute();
}
