import { type Resolver, safeFetch, SafeFetchError } from '../../kernel/http/safe-fetch.js';
import { decodeBody } from './decode.js';
import type { DutyGate } from './duty-gate.js';
import { WatchFeedError } from './errors.js';
import { type ParsedFeed, parseFeedText } from './parse-feed.js';

/** The watch's fetch limits: 15 MiB once decompressed, 20 s for the whole read, 5 redirects. */
export const WATCH_FETCH = { maxBytes: 15 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 5 } as const;

export interface ReadOptions {
  allowlist: readonly string[];
  etag?: string | null;
  lastModified?: string | null;
  now: Date;
  timeoutMs?: number;
  resolve?: Resolver;
  signal?: AbortSignal;
  /** Runs the parsing (CPU work) when given; see DutyGate. */
  gate?: DutyGate;
}

export type SourceRead =
  | { kind: 'not_modified'; etag: string | null; lastModified: string | null }
  | { kind: 'feed'; feed: ParsedFeed; url: string; etag: string | null; lastModified: string | null };

/** Fetches a source (SSRF-safe, conditional) and parses it; every failure is a WatchFeedError. */
export async function readSource(url: string, options: ReadOptions): Promise<SourceRead> {
  let fetched;
  try {
    fetched = await safeFetch(url, {
      ...WATCH_FETCH,
      timeoutMs: options.timeoutMs ?? WATCH_FETCH.timeoutMs,
      allowlist: options.allowlist,
      etag: options.etag ?? null,
      lastModified: options.lastModified ?? null,
      accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
      resolve: options.resolve,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new WatchFeedError(error.code, { status: error.status ?? 0, max: Math.round(WATCH_FETCH.maxBytes / 1024 / 1024) }, `${error.code}: ${error.message}`);
    }
    throw new WatchFeedError('internal', {}, error instanceof Error ? error.message : String(error));
  }
  if (fetched.notModified) return { kind: 'not_modified', etag: fetched.etag, lastModified: fetched.lastModified };
  const body = fetched;
  const parse = () => parseFeedText(decodeBody(body.body, body.contentType), body.url, options.now);
  const feed = options.gate ? await options.gate.run(parse) : parse();
  return { kind: 'feed', feed, url: fetched.url, etag: fetched.etag, lastModified: fetched.lastModified };
}
