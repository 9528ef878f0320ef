import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { directoryIndex, heldDirectoryIndex, sharedDirectoryVersion, shareVersion, versionWindow } from './directory-index-cache.js';
import { directoryVersion } from './directory-index-repo.js';
import { directoryPageRows, organisationsByIds } from './repo.js';
import type { DirectoryFilter, FacetCounts, Organisation } from './types.js';

// The directory's queries, answered by the in-memory index (same results on both dialects); only
// the page's own rows are read from the database.
//
// While the index held is current, a search costs one statement: the page's rows and the
// directory's version together, checked against the index's version afterwards (the links come
// from the index). Facets started in the same run (a directory page asks for both at once) share
// that version instead of reading their own, and are counted while the database answers. When the
// version has moved, both answer again from the rebuilt index.

export interface DirectoryPage {
  rows: Organisation[];
  total: number;
}

export async function searchDirectory(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<DirectoryPage> {
  const held = heldDirectoryIndex(db);
  if (held) {
    const { ids, links, total } = held.index.search(f, tokens);
    const window = versionWindow(db); // opened before this run makes any read
    if (ids.length) {
      const read = directoryPageRows(db, ids);
      shareVersion(window, () => read.then((r) => r.version ?? ''));
      const { rows, version } = await read;
      // Every id found at the index's version: the index's links are the rows' links.
      if (version === held.version && rows.length === ids.length) return { rows: rows.map((row, i) => ({ ...row, ...links[i]! })), total };
    } else if ((await shareVersion(window, () => directoryVersion(db))) === held.version) {
      return { rows: [], total };
    }
  }
  const { ids, total } = (await directoryIndex(db)).search(f, tokens);
  return { rows: await organisationsByIds(db, ids), total };
}

/** Resolves once the queries created in this run have been handed to the driver (a macrotask later). */
function afterPendingSends(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Counts per facet value over the filtered set, each facet ignoring its own selection. */
export async function directoryFacets(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<FacetCounts> {
  const held = heldDirectoryIndex(db);
  if (held) {
    const version = sharedDirectoryVersion(db);
    // Counted once this run's statements have been sent, while the database answers them.
    await afterPendingSends();
    const facets = held.index.facets(f, tokens);
    if ((await version) === held.version) return facets;
  }
  return (await directoryIndex(db)).facets(f, tokens);
}

/** Ids of the filtered set in name order (exports read them once, then fetch in chunks). */
export async function directoryIds(db: Kysely<Database>, _dialect: Dialect, f: DirectoryFilter, tokens: string[]): Promise<string[]> {
  return (await directoryIndex(db)).allIds(f, tokens);
}

/** Public pages that show directory data are cached until the directory changes. */
export const directoryPageCache: PageCacheConfig = { version: (kernel) => directoryVersion(kernel.db) };
