import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DirectoryIndex } from './directory-index.js';
import { directoryVersion, loadDirectoryRows } from './directory-index-repo.js';

interface Held {
  version: string;
  index: DirectoryIndex;
}

const held = new WeakMap<Kysely<Database>, Held>();
const building = new WeakMap<Kysely<Database>, Promise<Held>>();

/**
 * The directory index of a database, rebuilt when the database's directory version has moved
 * (any process, any writer: the version is kept by triggers). Checking costs one primary-key read;
 * concurrent requests share one rebuild.
 */
export async function directoryIndex(db: Kysely<Database>): Promise<DirectoryIndex> {
  const version = await directoryVersion(db);
  const current = held.get(db);
  if (current?.version === version) return current.index;
  let pending = building.get(db);
  if (!pending) {
    pending = (async () => {
      // Rows are read after the version: a change racing the load only causes one more rebuild.
      const index = DirectoryIndex.build(await loadDirectoryRows(db));
      const next = { version, index };
      held.set(db, next);
      return next;
    })().finally(() => building.delete(db));
    building.set(db, pending);
  }
  const built = await pending;
  // A rebuild already running was for an older version than this request saw: build once more.
  return Number(built.version) >= Number(version) ? built.index : directoryIndex(db);
}
