import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DirectoryIndex } from './directory-index.js';
import { directoryVersion, loadDirectoryRows } from './directory-index-repo.js';

type Db = Kysely<Database>;

export interface HeldIndex {
  version: string;
  index: DirectoryIndex;
}

const held = new WeakMap<Db, HeldIndex>();
const building = new WeakMap<Db, Promise<HeldIndex>>();

/** The index last built for this database, unchecked: the caller compares its version with one it reads. */
export function heldDirectoryIndex(db: Db): HeldIndex | undefined {
  return held.get(db);
}

/** A version read that callers of the same synchronous run may share. */
export interface VersionWindow {
  version?: Promise<string>;
}

const windows = new WeakMap<Db, VersionWindow>();

/**
 * The version read shared by the callers of this synchronous run (a page's search and its facets,
 * started together). Nothing is sent to the database before the run ends, so a shared read still
 * starts after every caller asked, and sees every write that ended before they did. The window
 * closes on the next microtask, queued before any read is made.
 */
export function versionWindow(db: Db): VersionWindow {
  let window = windows.get(db);
  if (!window) {
    const opened: VersionWindow = {};
    window = opened;
    windows.set(db, opened);
    queueMicrotask(() => {
      if (windows.get(db) === opened) windows.delete(db);
    });
  }
  return window;
}

/** Keeps `read()` as the run's shared version read unless one was started already; returns the shared one. */
export function shareVersion(window: VersionWindow, read: () => Promise<string>): Promise<string> {
  if (!window.version) {
    const version = read();
    // Whoever shares it awaits it; a failure is theirs to handle, never an unhandled rejection meanwhile.
    version.catch(() => undefined);
    window.version = version;
  }
  return window.version;
}

/** This run's version read, started when no other caller of the run has started one. */
export function sharedDirectoryVersion(db: Db): Promise<string> {
  return shareVersion(versionWindow(db), () => directoryVersion(db));
}

/**
 * The directory index of a database, rebuilt when the database's directory version has moved
 * (any process, any writer: the version is kept by triggers). Checking costs one primary-key read,
 * shared by the callers of one synchronous run; concurrent requests share one rebuild.
 */
export async function directoryIndex(db: Db): Promise<DirectoryIndex> {
  const version = await sharedDirectoryVersion(db);
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
