import type { Selectable } from 'kysely';
import type { NewsArticlesTable, NewsStatus } from '../../db/schema.js';

export type ArticleRow = Selectable<NewsArticlesTable>;

/** An article with its themes and countries (codes, sorted). */
export interface Article extends ArticleRow {
  themes: string[];
  countries: string[];
}

/** What a public list, a feed or a card shows of an article. */
export interface ArticleCard {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  body_html: string | null;
  image_file_id: string | null;
  image_alt: string | null;
  published_at: string;
  updated_at: string;
  /** Members' news: the organisation (null: the network's own). */
  organisation: { id: string; name: string; slug: string; public: boolean } | null;
  /** The staff member who wrote it (network news). */
  author_name: string | null;
}

export const NEWS_STATUSES: readonly NewsStatus[] = ['draft', 'published', 'archived'];

/** Whether visitors may read an article now: published with a date passed, or archived (kept at its address). */
export function isReadable(a: Pick<ArticleRow, 'status' | 'published_at'>, now: Date): boolean {
  if (a.status === 'archived') return a.published_at !== null;
  return a.status === 'published' && a.published_at !== null && new Date(a.published_at).getTime() <= now.getTime();
}

/** Whether an article is listed (lists, feeds, search, sitemap, home): published with a date passed. */
export function isListed(a: Pick<ArticleRow, 'status' | 'published_at'>, now: Date): boolean {
  return a.status === 'published' && a.published_at !== null && new Date(a.published_at).getTime() <= now.getTime();
}

export function articleHref(slug: string): string {
  return `/actualites/${encodeURIComponent(slug)}`;
}

/** The public address of a readable article's image; `?v=` its file id, so that caches keep it. */
export function articleImageHref(a: { id: string; image_file_id: string | null }): string | null {
  return a.image_file_id ? `/media/actualites/${a.id}/image?v=${a.image_file_id}` : null;
}
