import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ResourceKind } from './kinds.js';
import * as repo from './repo.js';

/** A published resource as the newsletter lists it. */
export interface LatestResource {
  id: string;
  title: string;
  /** Same-site path of its page. */
  path: string;
  kind: ResourceKind;
  summary: string;
  /** ISO instant of its publication. */
  date: string;
}

/** The newest published resources (published at or after `since` when given), for the newsletter. */
export async function latestResources(db: Kysely<Database>, options: { since?: string; limit: number }): Promise<LatestResource[]> {
  const rows = await repo.latestPublished(db, { since: options.since, limit: Math.max(0, Math.min(options.limit, 200)) });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    path: `/ressources/${encodeURIComponent(r.slug)}`,
    kind: r.kind as ResourceKind,
    summary: r.summary,
    date: r.published_at ?? r.created_at,
  }));
}
