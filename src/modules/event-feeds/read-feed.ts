import { safeFetch, SafeFetchError, type Resolver } from '../../kernel/http/safe-fetch.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { FEED_LIMITS, type FeedItem, FeedParseError, parseIcalFeed } from './parse-ical.js';

/** A member feed is smaller than the watch's feeds: 5 MiB once decompressed, 20 s in all. */
export const FEED_FETCH = { maxBytes: 5 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 5 } as const;

export type FeedRead =
  | { kind: 'not_modified'; etag: string | null; lastModified: string | null }
  | { kind: 'items'; items: FeedItem[]; etag: string | null; lastModified: string | null };

/** Why a feed was refused: a catalogue message for people, a detail for the log. */
export class FeedRefusal extends Error {
  constructor(
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly params: Params,
    detail: string,
  ) {
    super(detail);
    this.name = 'FeedRefusal';
  }

  /** Stored as the feed's last error: code and parameters, translated when shown. */
  stored(): string {
    return JSON.stringify({ key: this.messageKey, params: this.params });
  }
}

export interface ReadFeedOptions {
  allowlist: readonly string[];
  etag?: string | null;
  lastModified?: string | null;
  now: Date;
  resolve?: Resolver;
}

/** `webcal://` is iCal's name for http(s); anything else is left to the fetch's checks. */
export function normaliseFeedUrl(raw: string): string {
  const trimmed = raw.trim();
  return /^webcals?:\/\//i.test(trimmed) ? trimmed.replace(/^webcals?:/i, 'https:') : trimmed;
}

/** Fetches (SSRF-safe, conditional) and parses a member's feed; throws FeedRefusal. */
export async function readFeed(url: string, options: ReadFeedOptions): Promise<FeedRead> {
  let fetched;
  try {
    fetched = await safeFetch(normaliseFeedUrl(url), {
      ...FEED_FETCH,
      allowlist: options.allowlist,
      etag: options.etag ?? null,
      lastModified: options.lastModified ?? null,
      accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1',
      resolve: options.resolve,
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      const params: Params = { status: error.status ?? 0, max: Math.round(FEED_FETCH.maxBytes / 1024 / 1024) };
      throw new FeedRefusal(error.code, `eventFeeds.error.${error.code}`, params, `${error.code}: ${error.message}`);
    }
    throw error;
  }
  if (fetched.notModified) return { kind: 'not_modified', etag: fetched.etag, lastModified: fetched.lastModified };
  try {
    return { kind: 'items', items: parseIcalFeed(fetched.body, options.now), etag: fetched.etag, lastModified: fetched.lastModified };
  } catch (error) {
    if (error instanceof FeedParseError) {
      const count = /^(\d+)/.exec(error.message)?.[1] ?? '?';
      throw new FeedRefusal(error.problem, `eventFeeds.error.${error.problem}`, { count, max: FEED_LIMITS.maxComponents }, `${error.problem}: ${error.message}`);
    }
    throw error;
  }
}
