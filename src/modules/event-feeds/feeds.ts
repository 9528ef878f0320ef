import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { newId } from '../../kernel/ids.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { normaliseFeedUrl, readFeed, FeedRefusal } from './read-feed.js';
import * as repo from './repo.js';
import { applyItems, type FeedDeps } from './sync.js';

/** Feeds one organisation may register. */
export const MAX_FEEDS_PER_ORGANISATION = 5;

export type AddFeedResult =
  | { ok: true; id: string; count: number; proposed: number }
  | { ok: false; field: 'url'; key: MessageKey; params?: Params };

/**
 * Registers an organisation's feed. The feed is read first: an address that is refused (private,
 * not iCal, too large…) is not saved, and the refusal is logged; a valid one is saved with its
 * health and its upcoming events proposed at once.
 */
export async function addFeed(deps: FeedDeps, actor: AuditActor, input: { organisationId: string; organisationName: string; url: string }): Promise<AddFeedResult> {
  const url = normaliseFeedUrl(input.url);
  if (!/^https?:\/\//i.test(url)) return { ok: false, field: 'url', key: 'eventFeeds.error.protocol' };
  const existing = await repo.feedUrlsOfOrganisation(deps.db, input.organisationId);
  if (existing.includes(url)) return { ok: false, field: 'url', key: 'eventFeeds.error.duplicate' };
  if (existing.length >= MAX_FEEDS_PER_ORGANISATION) return { ok: false, field: 'url', key: 'eventFeeds.error.tooMany', params: { max: MAX_FEEDS_PER_ORGANISATION } };

  const now = deps.clock.now();
  let read;
  try {
    read = await readFeed(url, { allowlist: deps.allowlist, now, resolve: deps.resolve });
  } catch (error) {
    if (!(error instanceof FeedRefusal)) throw error;
    deps.logger.warn({ url, organisationId: input.organisationId, userId: actor.id, code: error.code, detail: error.message }, 'event feed refused at registration');
    return { ok: false, field: 'url', key: error.messageKey, params: error.params };
  }
  const items = read.kind === 'items' ? read.items : [];
  const id = newId(now.getTime());
  const at = now.toISOString();
  await repo.insertFeed(deps.db, {
    id,
    organisation_id: input.organisationId,
    url,
    active: 1,
    etag: null,
    last_modified: null,
    last_fetched_at: null,
    last_success_at: null,
    last_error: null,
    item_count: 0,
    created_by: actor.id,
    created_at: at,
  });
  await recordAudit(deps.db, actor, { action: 'event_feed.created', entityType: 'event_feed', entityId: id, after: { organisation_id: input.organisationId, url } }, now);
  let proposed = 0;
  try {
    proposed = await applyItems(deps, { id, organisation_id: input.organisationId, organisation_name: input.organisationName }, items);
  } catch (error) {
    // The feed stays registered with its error shown; the next read proposes the items left.
    const detail = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ feedId: id, url, detail }, 'event feed items could not be proposed');
    await repo.recordFeedFailure(deps.db, id, at, new FeedRefusal('propose', 'eventFeeds.error.propose', { detail: detail.slice(0, 200) }, detail).stored());
    return { ok: true, id, count: items.length, proposed };
  }
  await repo.recordFeedSuccess(deps.db, id, { at, etag: read.etag, lastModified: read.lastModified, itemCount: items.length });
  return { ok: true, id, count: items.length, proposed };
}

export async function removeFeed(deps: Pick<FeedDeps, 'db' | 'clock'>, actor: AuditActor, feed: repo.FeedRow): Promise<void> {
  await repo.deleteFeed(deps.db, feed.id);
  await recordAudit(deps.db, actor, { action: 'event_feed.deleted', entityType: 'event_feed', entityId: feed.id, before: { organisation_id: feed.organisation_id, url: feed.url } }, deps.clock.now());
}

/** A stored last error, translated for display. */
export function lastErrorText(stored: string | null, t: (key: MessageKey, params?: Params) => string): string | null {
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as { key?: string; params?: Params };
    if (typeof parsed.key === 'string' && parsed.key.startsWith('eventFeeds.error.')) return t(parsed.key as MessageKey, parsed.params ?? {});
  } catch {
    /* an older free-text error */
  }
  return stored;
}
