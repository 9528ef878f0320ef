import type { WatchDeps } from './deps.js';
import { WatchFeedError } from './errors.js';
import { type IngestCounts, ingestItems } from './ingest.js';
import { readSource } from './read-source.js';
import * as repo from './repo.js';
import { sameFeedSource } from './sources.js';

export type FetchOutcome =
  | ({ status: 'not_modified' } & IngestCounts)
  | ({ status: 'ok' } & IngestCounts)
  | ({ status: 'error'; error: WatchFeedError } & IngestCounts);

const ZERO: IngestCounts = { new: 0, updated: 0, unchanged: 0 };
/** Longest wait after repeated errors. */
export const MAX_BACKOFF_MINUTES = 24 * 60;

/** Minutes before the next read after `errors` consecutive failures: the interval, doubled each time. */
export function backoffMinutes(intervalMinutes: number, errors: number): number {
  return Math.min(intervalMinutes * 2 ** Math.min(errors, 10), MAX_BACKOFF_MINUTES);
}

/**
 * The feed's title as the source's name, when the source was never read and only carries its
 * address's host (the name given by default when staff leave it empty): « Région Bretagne —
 * Actualités » rather than « 127.0.0.1 ». Null to keep the name.
 */
export function nameFromFeed(source: Pick<repo.SourceRow, 'name' | 'url' | 'last_success_at'>, title: string | null): string | null {
  if (source.last_success_at || !title) return null;
  let host: string;
  try {
    host = new URL(source.url).hostname;
  } catch {
    return null;
  }
  const name = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  return source.name === host && name ? name : null;
}

/**
 * Reads one source and stores its items; the source's health (last success, last error, item
 * count, next read) is recorded whatever happens. Never throws for a bad feed.
 */
export async function fetchSource(deps: WatchDeps, source: repo.SourceRow, options: { signal?: AbortSignal } = {}): Promise<FetchOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const nextAt = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  try {
    const read = await readSource(source.url, {
      allowlist: deps.allowlist,
      etag: source.etag,
      lastModified: source.last_modified,
      now,
      timeoutMs: deps.fetchTimeoutMs,
      resolve: deps.resolve,
      signal: options.signal,
      gate: deps.gate,
    });
    if (read.kind === 'not_modified') {
      await repo.recordSourceSuccess(deps.db, source.id, { at, nextAt: nextAt(source.interval_minutes), etag: read.etag ?? source.etag, lastModified: read.lastModified ?? source.last_modified });
      return { status: 'not_modified', ...ZERO };
    }
    const identity = { url: read.url, selfUrl: read.feed.selfUrl, key: read.feed.feedId };
    // A source never read yet that turns out to follow a feed another source already follows (under
    // another host name, through a redirect, by the feed's own address or id) is not read: its items
    // would be the other's. Its error names the other source.
    if (!source.last_success_at) {
      const other = await sameFeedSource(deps, source, identity);
      if (other) throw new WatchFeedError('duplicate', { name: other.name, url: other.url }, `same feed as source ${other.id}`);
    }
    const themes = await repo.sourceThemes(deps.db, source.id);
    const ingest = () => ingestItems(deps, { id: source.id, category: source.category, themes }, read.feed.items, now);
    const counts = deps.gate ? await deps.gate.run(ingest) : await ingest();
    await repo.recordSourceSuccess(deps.db, source.id, {
      at,
      nextAt: nextAt(source.interval_minutes),
      etag: read.etag,
      lastModified: read.lastModified,
      siteUrl: source.site_url ? null : read.feed.siteUrl,
      name: nameFromFeed(source, read.feed.title),
      feed: identity,
    });
    return { status: 'ok', ...counts };
  } catch (caught) {
    const error = caught instanceof WatchFeedError ? caught : new WatchFeedError('internal', {}, caught instanceof Error ? caught.message : String(caught));
    deps.logger.warn({ sourceId: source.id, url: source.url, code: error.code, detail: error.message }, 'watch source refused');
    try {
      await repo.recordSourceFailure(deps.db, source.id, { at, nextAt: nextAt(backoffMinutes(source.interval_minutes, source.error_count + 1)), error: error.stored() });
    } catch (recordError) {
      deps.logger.warn({ sourceId: source.id, detail: String(recordError) }, 'watch source error could not be recorded');
    }
    return { status: 'error', error, ...ZERO };
  }
}

export interface SweepResult {
  sources: number;
  notModified: number;
  ok: number;
  errors: number;
  new: number;
  updated: number;
  unchanged: number;
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function inPool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Reads the given sources with bounded concurrency; `onResult` sees each outcome. */
export async function fetchSources(
  deps: WatchDeps,
  sources: repo.SourceRow[],
  options: { concurrency: number; signal?: AbortSignal; onResult?: (source: repo.SourceRow, outcome: FetchOutcome) => void },
): Promise<SweepResult> {
  const result: SweepResult = { sources: 0, notModified: 0, ok: 0, errors: 0, new: 0, updated: 0, unchanged: 0 };
  await inPool(
    sources,
    options.concurrency,
    async (source) => {
      const outcome = await fetchSource(deps, source, { signal: options.signal });
      result.sources++;
      if (outcome.status === 'not_modified') result.notModified++;
      else if (outcome.status === 'ok') result.ok++;
      else result.errors++;
      result.new += outcome.new;
      result.updated += outcome.updated;
      result.unchanged += outcome.unchanged;
      options.onResult?.(source, outcome);
    },
    options.signal,
  );
  return result;
}

/** Sources read per sweep at most, and in parallel. */
export const SWEEP = { batch: 5000, concurrency: 16 } as const;

/** One sweep: every active source whose next read is due. */
export async function sweepDue(deps: WatchDeps, options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<SweepResult> {
  const due = await repo.dueSources(deps.db, deps.clock.now().toISOString(), SWEEP.batch);
  return fetchSources(deps, due, { concurrency: options.concurrency ?? SWEEP.concurrency, signal: options.signal });
}
