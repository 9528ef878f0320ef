import net from 'node:net';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { FetchAllowlist, isBlockedAddress } from '../../kernel/http/safe-fetch.js';
import { newId } from '../../kernel/ids.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { isCategory } from './categories.js';
import type { WatchDeps } from './deps.js';
import * as repo from './repo.js';

export interface SourceInput {
  url: string;
  name?: string | null;
  category?: string | null;
  themes?: string[];
  intervalMinutes?: number;
  active?: boolean;
}

export type SourceResult = { ok: true; id: string } | { ok: false; field: 'url' | 'name' | 'category' | 'interval'; key: MessageKey; params?: Params };

export const INTERVALS = [15, 30, 60, 180, 360, 720, 1440] as const;

/** A feed address as stored: trimmed, http(s) only, no credentials; `feed://` read as https. */
export function normaliseSourceUrl(raw: string): string | null {
  const text = raw.trim().replace(/^feed:(\/\/)?/i, 'https://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || text.length > 2000) return null;
  return url.href;
}

/**
 * The forms one feed address takes for the watch: http or https, with or without « www. », with or
 * without a trailing slash (host case and default ports are already folded by URL). Two sources at
 * any of these are the same feed.
 */
export function addressVariants(href: string | null | undefined): string[] {
  if (!href) return [];
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return [];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
  url.hash = '';
  const bare = url.hostname.replace(/^www\./, '');
  const paths = url.pathname === '/' ? ['/'] : [url.pathname.replace(/\/+$/, ''), `${url.pathname.replace(/\/+$/, '')}/`];
  const found = new Set<string>();
  for (const protocol of ['http:', 'https:']) {
    for (const host of net.isIP(bare) ? [bare] : [bare, `www.${bare}`]) {
      for (const path of paths) {
        const variant = new URL(url.href);
        variant.protocol = protocol;
        variant.hostname = host;
        variant.pathname = path;
        found.add(variant.href);
      }
    }
  }
  return [...found];
}

/** What a read says of a feed, to know it again under another address. */
export interface FeedIdentity {
  /** Where the read ended, after redirects. */
  url: string;
  selfUrl: string | null;
  key: string | null;
}

/**
 * Another source that follows the same feed as `source` would: one at the same address (in any of
 * its forms), at the address a read of it ended at, or at the feed's own address; or one whose
 * feed has the same Atom id, unless both feeds give their own addresses and these differ (a site's
 * several feeds may share an id). Null when there is none.
 */
export async function sameFeedSource(deps: Pick<WatchDeps, 'db'>, source: { id?: string; url: string }, identity?: FeedIdentity): Promise<repo.SourceRow | null> {
  const addresses = [...new Set([source.url, identity?.url, identity?.selfUrl].flatMap((a) => addressVariants(a)))];
  const candidates = await repo.sourcesOfFeed(deps.db, addresses, identity?.key ?? null, source.id);
  const known = new Set(addresses);
  const selfVariants = new Set(addressVariants(identity?.selfUrl));
  for (const other of candidates) {
    if ([other.url, other.feed_url, other.self_url].some((a) => a !== null && known.has(a))) return other;
    const bothSelves = selfVariants.size > 0 && other.self_url !== null;
    if (identity?.key && other.feed_key === identity.key && (!bothSelves || selfVariants.has(other.self_url!))) return other;
  }
  return null;
}

/** The refusal of an address whose feed `other` already follows, naming it. */
export function duplicateOf(other: repo.SourceRow): { ok: false; field: 'url'; key: MessageKey; params: Params } {
  return { ok: false, field: 'url', key: 'watch.form.error.duplicate', params: { name: other.name, url: other.url } };
}

/**
 * Whether a feed address names a local or private machine that FETCH_ALLOWLIST does not allow:
 * an IP address the SSRF-safe fetch would refuse (127.0.0.1, 192.168.…, 10.…, 169.254.…, ::1…)
 * or a `localhost` name. Host names are resolved only when read (the fetch checks every hop).
 */
export function isPrivateSourceUrl(url: string, allowlist: readonly string[]): boolean {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  const address = net.isIP(host) ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : null;
  if (!address || !isBlockedAddress(address)) return false;
  return !new FetchAllowlist(allowlist).allows(host, port, address);
}

function check(input: SourceInput, allowlist: readonly string[]): { url: string } | { ok: false; field: 'url' | 'category' | 'interval'; key: MessageKey } {
  const url = normaliseSourceUrl(input.url);
  if (!url) return { ok: false, field: 'url', key: /^\s*(file|gopher|ftp|data|javascript):/i.test(input.url) ? 'watch.error.protocol' : 'watch.form.error.url' };
  if (isPrivateSourceUrl(url, allowlist)) return { ok: false, field: 'url', key: 'watch.form.error.private' };
  if (input.category && !isCategory(input.category)) return { ok: false, field: 'category', key: 'watch.form.error.category' };
  if (input.intervalMinutes !== undefined && !(INTERVALS as readonly number[]).includes(input.intervalMinutes)) return { ok: false, field: 'interval', key: 'watch.form.error.interval' };
  return { url };
}

export async function addSource(deps: WatchDeps, actor: AuditActor, input: SourceInput): Promise<SourceResult> {
  const checked = check(input, deps.allowlist);
  if ('ok' in checked) return checked;
  const other = await sameFeedSource(deps, { url: checked.url });
  if (other) return duplicateOf(other);
  const now = deps.clock.now();
  const id = newId(now.getTime());
  const name = (input.name ?? '').trim() || new URL(checked.url).hostname;
  const themes = [...new Set(input.themes ?? [])];
  await repo.insertSource(
    deps.db,
    {
      id,
      url: checked.url,
      name: name.slice(0, 200),
      category: input.category || null,
      site_url: null,
      active: input.active === false ? 0 : 1,
      interval_minutes: input.intervalMinutes ?? 60,
      etag: null,
      last_modified: null,
      last_fetched_at: null,
      last_success_at: null,
      last_error: null,
      next_fetch_at: null,
      created_by: actor.id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    },
    themes,
  );
  await recordAudit(deps.db, actor, { action: 'watch_source.created', entityType: 'watch_source', entityId: id, after: { url: checked.url, name, category: input.category ?? null, themes } }, now);
  return { ok: true, id };
}

export async function editSource(deps: WatchDeps, actor: AuditActor, source: repo.SourceRow, input: SourceInput): Promise<SourceResult> {
  const checked = check(input, deps.allowlist);
  if ('ok' in checked) return checked;
  // A new address may be another source's feed; an unchanged one is left alone (two sources of one
  // feed added before this check stay editable: staff remove one when they see it).
  const other = checked.url === source.url ? null : await sameFeedSource(deps, { id: source.id, url: checked.url });
  if (other) return duplicateOf(other);
  const now = deps.clock.now();
  const before = { url: source.url, name: source.name, category: source.category, active: source.active, interval_minutes: source.interval_minutes, themes: await repo.sourceThemes(deps.db, source.id) };
  const after = {
    url: checked.url,
    name: ((input.name ?? '').trim() || source.name).slice(0, 200),
    category: input.category || null,
    active: input.active === false ? 0 : 1,
    interval_minutes: input.intervalMinutes ?? source.interval_minutes,
  };
  const urlChanged = checked.url !== source.url;
  await repo.updateSource(
    deps.db,
    source.id,
    { ...after, updated_at: now.toISOString(), ...(urlChanged ? { etag: null, last_modified: null, next_fetch_at: null, error_count: 0 } : {}) },
    [...new Set(input.themes ?? [])],
  );
  await recordAudit(deps.db, actor, { action: 'watch_source.updated', entityType: 'watch_source', entityId: source.id, before, after: { ...after, themes: input.themes ?? [] } }, now);
  return { ok: true, id: source.id };
}

export async function removeSource(deps: WatchDeps, actor: AuditActor, source: repo.SourceRow): Promise<void> {
  await repo.deleteSource(deps.db, source.id);
  await recordAudit(deps.db, actor, { action: 'watch_source.deleted', entityType: 'watch_source', entityId: source.id, before: { url: source.url, name: source.name, items: source.item_count } }, deps.clock.now());
}

/** A source named by its id or its exact URL. */
export async function findSourceByRef(deps: Pick<WatchDeps, 'db'>, ref: string): Promise<repo.SourceRow | undefined> {
  const byId = await repo.findSource(deps.db, ref.trim());
  if (byId) return byId;
  const url = normaliseSourceUrl(ref);
  return url ? repo.findSourceByUrl(deps.db, url) : undefined;
}
