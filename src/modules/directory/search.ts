import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import {
  type DirectoryFilter,
  directoryFacets,
  type FacetCounts,
  type Organisation,
  type ParsedDirectoryQuery,
  directoryIds,
  organisationsByIds,
  searchDirectory,
} from '../organisations/index.js';

export interface DirectoryDeps {
  db: Kysely<Database>;
  dialect: Dialect;
}

export interface DirectoryResult {
  rows: Organisation[];
  total: number;
  facets: FacetCounts;
}

/** One page of the directory and the facet counts of the whole filtered set. */
export async function runDirectory(deps: DirectoryDeps, parsed: ParsedDirectoryQuery): Promise<DirectoryResult> {
  const [page, facets] = await Promise.all([
    searchDirectory(deps.db, deps.dialect, parsed.filter, parsed.tokens),
    directoryFacets(deps.db, deps.dialect, parsed.filter, parsed.tokens),
  ]);
  return { ...page, facets };
}

/**
 * Every organisation of a filter, a batch at a time, in name order: exports of 50,000 rows never
 * hold more than one batch in memory. Each batch is one offset page of the shared search (with
 * its count): big batches keep that overhead to a few queries (50,000 rows ≈ 8 s on SQLite).
 */
export async function* organisationBatches(
  deps: DirectoryDeps,
  filter: DirectoryFilter,
  tokens: string[],
  size = 5000,
): AsyncGenerator<Organisation[]> {
  const ids = await directoryIds(deps.db, deps.dialect, filter, tokens);
  for (let start = 0; start < ids.length; start += Math.min(size, 1000)) {
    yield await organisationsByIds(deps.db, ids.slice(start, start + Math.min(size, 1000)));
  }
}
