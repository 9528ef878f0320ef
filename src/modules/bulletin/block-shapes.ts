import { randomBytes } from 'node:crypto';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { MailingBlock } from '../newsletter/index.js';

// The bulletin's blocks as they are stored in a mailing's block list (JSON). A block of selected
// items keeps their ids; an automatic block keeps its parameters. Both keep `items`, the concrete
// content found when the block was last resolved: what the preview, the test send, the send and
// the web version all render, so that what was previewed is what is sent.

export const BULLETIN_TYPES = ['editorial', 'news', 'events', 'calls', 'watch', 'resources', 'member_news'] as const;
export type BulletinType = (typeof BULLETIN_TYPES)[number];

/** The core's own block (free text), which the editor also edits and moves. */
export const TEXT_TYPE = 'text';

export function isBulletinType(value: unknown): value is BulletinType {
  return typeof value === 'string' && (BULLETIN_TYPES as readonly string[]).includes(value);
}

/** One thing a block shows: an article, an event, a call… as it was when the block was resolved. */
export interface BulletinItem {
  /** The record's id (or its path when the source gives none). */
  id: string;
  title: string;
  /** Same-site path, or the absolute http(s) address of a watch item's original. */
  href: string;
  /** Short facts (date, place, funder…), already written out. */
  meta: string[];
  summary: string | null;
  /** A short mark before the title (« Nouveau »). */
  tag: string | null;
}

interface Resolved {
  items: BulletinItem[];
  /** ISO instant of the last resolution (null: never resolved). */
  resolvedAt: string | null;
}

export type CallsMode = 'closing' | 'new' | 'both';
export type WatchMode = 'latest' | 'selected';

export interface EditorialBlock extends MailingBlock {
  type: 'editorial';
  key: string;
  title: string;
  html: string;
}
export interface NewsBlock extends MailingBlock, Resolved {
  type: 'news';
  key: string;
  title: string;
  ids: string[];
}
export interface MemberNewsBlock extends MailingBlock, Resolved {
  type: 'member_news';
  key: string;
  title: string;
  /** YYYY-MM-DD (Europe/Paris): published on or after this day. */
  since: string;
  limit: number;
}
export interface EventsBlock extends MailingBlock, Resolved {
  type: 'events';
  key: string;
  title: string;
  weeks: number;
  limit: number;
}
export interface CallsBlock extends MailingBlock, Resolved {
  type: 'calls';
  key: string;
  title: string;
  mode: CallsMode;
  /** Closing within this many days. */
  days: number;
  /** Newly published since this day (YYYY-MM-DD). */
  since: string;
  limit: number;
}
export interface WatchBlock extends MailingBlock, Resolved {
  type: 'watch';
  key: string;
  title: string;
  mode: WatchMode;
  ids: string[];
  limit: number;
}
export interface ResourcesBlock extends MailingBlock, Resolved {
  type: 'resources';
  key: string;
  title: string;
  since: string;
  limit: number;
}

export type BulletinBlock = EditorialBlock | NewsBlock | MemberNewsBlock | EventsBlock | CallsBlock | WatchBlock | ResourcesBlock;
export type ResolvableBlock = Exclude<BulletinBlock, EditorialBlock>;

export const LIMITS = {
  limit: { min: 1, max: 20 },
  weeks: { min: 1, max: 26 },
  days: { min: 1, max: 120 },
  /** Items a block of selected items may hold. */
  selected: 30,
} as const;

export const DEFAULTS = { limit: 5, eventsLimit: 10, weeks: 6, days: 30 } as const;

export function newBlockKey(): string {
  return randomBytes(4).toString('hex');
}

export const KEY_PATTERN = /^[0-9a-f]{8}$/;

/** The label of a block type in the editor. */
export function typeLabelKey(type: string): MessageKey {
  return isBulletinType(type) ? `bulletin.type.${type}` : type === TEXT_TYPE ? 'bulletin.type.text' : 'bulletin.type.unknown';
}

/** The section title a new block of that type gets. */
export function defaultTitleKey(type: BulletinType): MessageKey {
  return `bulletin.title.${type}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function clamp(value: unknown, range: { min: number; max: number }, fallback: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) ? Math.min(range.max, Math.max(range.min, Math.trunc(n))) : fallback;
}

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string' && v.length <= 60))].slice(0, LIMITS.selected) : [];
}

function items(value: unknown): BulletinItem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    .filter((v) => typeof v['title'] === 'string' && typeof v['href'] === 'string')
    .map((v) => ({
      id: text(v['id'], 300),
      title: text(v['title'], 500),
      href: text(v['href'], 2000),
      meta: Array.isArray(v['meta']) ? v['meta'].filter((m): m is string => typeof m === 'string').map((m) => m.slice(0, 300)) : [],
      summary: typeof v['summary'] === 'string' ? v['summary'].slice(0, 1000) : null,
      tag: typeof v['tag'] === 'string' ? v['tag'].slice(0, 40) : null,
    }));
}

function resolved(raw: MailingBlock): Resolved {
  return { items: items(raw['items']), resolvedAt: typeof raw['resolvedAt'] === 'string' ? raw['resolvedAt'] : null };
}

/** A stored block read defensively (anything missing gets its default); null when not a bulletin block. */
export function readBlock(raw: MailingBlock): BulletinBlock | null {
  const base = { key: KEY_PATTERN.test(String(raw['key'] ?? '')) ? String(raw['key']) : newBlockKey(), title: text(raw['title'], 120) };
  const since = DATE.test(String(raw['since'] ?? '')) ? String(raw['since']) : '';
  const limit = clamp(raw['limit'], LIMITS.limit, DEFAULTS.limit);
  switch (raw.type) {
    case 'editorial':
      return { type: 'editorial', ...base, html: text(raw['html'], 100_000) };
    case 'news':
      return { type: 'news', ...base, ids: ids(raw['ids']), ...resolved(raw) };
    case 'member_news':
      return { type: 'member_news', ...base, since, limit, ...resolved(raw) };
    case 'events':
      return { type: 'events', ...base, weeks: clamp(raw['weeks'], LIMITS.weeks, DEFAULTS.weeks), limit: clamp(raw['limit'], LIMITS.limit, DEFAULTS.eventsLimit), ...resolved(raw) };
    case 'calls': {
      const mode = raw['mode'] === 'closing' || raw['mode'] === 'new' ? raw['mode'] : 'both';
      return { type: 'calls', ...base, mode, days: clamp(raw['days'], LIMITS.days, DEFAULTS.days), since, limit, ...resolved(raw) };
    }
    case 'watch':
      return { type: 'watch', ...base, mode: raw['mode'] === 'selected' ? 'selected' : 'latest', ids: ids(raw['ids']), limit, ...resolved(raw) };
    case 'resources':
      return { type: 'resources', ...base, since, limit, ...resolved(raw) };
    default:
      return null;
  }
}

/** Whether a block shows the items someone chose (rather than what its parameters find). */
export function isSelection(block: BulletinBlock): boolean {
  return block.type === 'news' || (block.type === 'watch' && block.mode === 'selected');
}
