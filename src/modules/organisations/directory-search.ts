import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { directoryIndex } from './directory-index-cache.js';
import { directoryVersion } from './directory-index-repo.js';
import { organisationsByIds } from './repo.js';
import type { DirectoryFilter, FacetCounts, Organisation } from './types.js';

// The directory's queries, answered by the in-memory index (same results on both dialects); only
// the page's own rows are read from the database.

export interface DirectoryPage {
  rows: Organisation[];
  total: number;
}

export async function searchDirectory(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<DirectoryPage> {
  const { ids, total } = (await directoryIndex(db)).search(f, tokens);
  return { rows: await organisationsByIds(db, ids), total };
}

/** Counts per facet value over the filtered set, each facet ignoring its own selection. */
export async function directoryFacets(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<FacetCounts> {
  return (await directoryIndex(db)).facets(f, tokens);
}

/** Ids of the filtered set in name order (exports read them once, then fetch in chunks). */
export async function directoryIds(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<string[]> {
  return (await directoryIndex(db)).allIds(f, tokens);
}

/** Public pages that show directory data are cached until the directory changes. */
export const directoryPageCache: PageCacheConfig = { version: (kernel) => directoryVersion(kernel.db) };
