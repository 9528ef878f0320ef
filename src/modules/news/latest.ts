import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listPublic } from './repo.js';
import { articleHref, articleImageHref } from './types.js';

/** An article as the newsletter shows it. */
export interface LatestArticle {
  id: string;
  title: string;
  /** Same-site path of the article. */
  path: string;
  summary: string | null;
  /** Same-site path of its image (null: none). */
  imagePath: string | null;
  imageAlt: string | null;
  /** ISO instant of its publication. */
  publishedAt: string;
  /** Members' news: the organisation's name (null: the network's own). */
  organisationName: string | null;
}

/**
 * The latest published articles (newest first), for the newsletter: published since `since` (an ISO
 * instant) when given, members' news only when asked. `now` (default: the current time) hides
 * articles scheduled later.
 */
export async function latestNews(db: Kysely<Database>, options: { since?: string; limit: number; membersOnly?: boolean; now?: Date }): Promise<LatestArticle[]> {
  const now = (options.now ?? new Date()).toISOString();
  const { rows } = await listPublic(db, { now, since: options.since, membersOnly: options.membersOnly }, 0, Math.max(0, Math.min(options.limit, 200)));
  return rows.map((a) => ({
    id: a.id,
    title: a.title,
    path: articleHref(a.slug),
    summary: a.summary,
    imagePath: articleImageHref(a),
    imageAlt: a.image_alt,
    publishedAt: a.published_at,
    organisationName: a.organisation?.name ?? null,
  }));
}
