import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Resolver } from '../../kernel/http/safe-fetch.js';
import type { Logger } from '../../kernel/logger.js';
import { feedItemValues } from './event-values.js';
import type { FeedItem } from './parse-ical.js';
import { type FeedRead, FeedRefusal, readFeed } from './read-feed.js';
import * as repo from './repo.js';

/** Who proposes a feed's events: the feed itself, named after its organisation. */
export interface FeedProposer {
  userId: string | null;
  name: string;
  email: string;
}

export type ProposeFeedEvent = (values: Record<string, unknown>, proposer: FeedProposer) => Promise<{ proposalId: string | null }>;

export interface FeedDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info'>;
  allowlist: readonly string[];
  /** The events module's `proposeEvent`, bound to the kernel (see index.ts). */
  proposeEvent: ProposeFeedEvent;
  /** Sender shown on proposals made by a feed. */
  proposerEmail: string;
  resolve?: Resolver;
}

export type SyncOutcome =
  | { ok: true; notModified: true }
  | { ok: true; notModified: false; count: number; proposed: number }
  | { ok: false; refusal: FeedRefusal };

/**
 * Proposes the items that are new or changed since the last read; each proposal is recorded with
 * its item at once, so a later read never proposes the same item twice.
 */
export async function applyItems(deps: FeedDeps, feed: { id: string; organisation_id: string; organisation_name: string }, items: FeedItem[]): Promise<number> {
  const seen = await repo.seenItems(deps.db, feed.id);
  const at = deps.clock.now().toISOString();
  const proposer: FeedProposer = { userId: null, name: `iCal · ${feed.organisation_name}`.slice(0, 200), email: deps.proposerEmail };
  const unchanged: string[] = [];
  let proposed = 0;
  for (const item of items) {
    const previous = seen.get(item.uid);
    if (previous === item.hash) {
      unchanged.push(item.uid);
      continue;
    }
    // A new item already cancelled at its source is of no interest.
    if (previous === undefined && item.cancelled) continue;
    const { proposalId } = await deps.proposeEvent(feedItemValues(item, feed), proposer);
    await repo.upsertSeenItem(deps.db, { feed_id: feed.id, uid: item.uid, content_hash: item.hash, proposal_id: proposalId, at });
    if (proposalId) proposed++;
  }
  await repo.touchSeenItems(deps.db, feed.id, unchanged, at);
  return proposed;
}

/** Reads one registered feed and records its health; a refusal is logged and stored, never thrown. */
export async function syncFeed(deps: FeedDeps, feedId: string): Promise<SyncOutcome | null> {
  const feed = await repo.findFeed(deps.db, feedId);
  if (!feed) return null;
  const now = deps.clock.now();
  let read: FeedRead;
  try {
    read = await readFeed(feed.url, { allowlist: deps.allowlist, etag: feed.etag, lastModified: feed.last_modified, now, resolve: deps.resolve });
  } catch (error) {
    const refusal = error instanceof FeedRefusal ? error : new FeedRefusal('internal', 'eventFeeds.error.network', {}, String(error));
    deps.logger.warn({ feedId, url: feed.url, code: refusal.code, detail: refusal.message }, 'event feed refused');
    await repo.recordFeedFailure(deps.db, feed.id, now.toISOString(), refusal.stored());
    return { ok: false, refusal };
  }
  if (read.kind === 'not_modified') {
    await repo.recordFeedSuccess(deps.db, feed.id, { at: now.toISOString(), etag: read.etag ?? feed.etag, lastModified: read.lastModified ?? feed.last_modified, itemCount: null });
    return { ok: true, notModified: true };
  }
  try {
    const proposed = await applyItems(deps, feed, read.items);
    await repo.recordFeedSuccess(deps.db, feed.id, { at: now.toISOString(), etag: read.etag, lastModified: read.lastModified, itemCount: read.items.length });
    deps.logger.info({ feedId, count: read.items.length, proposed }, 'event feed read');
    return { ok: true, notModified: false, count: read.items.length, proposed };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const refusal = new FeedRefusal('propose', 'eventFeeds.error.propose', { detail: detail.slice(0, 200) }, detail);
    deps.logger.warn({ feedId, url: feed.url, code: refusal.code, detail }, 'event feed items could not be proposed');
    // Validators are not kept: the next read fetches everything and retries the items left.
    await repo.recordFeedFailure(deps.db, feed.id, now.toISOString(), refusal.stored());
    return { ok: false, refusal };
  }
}
