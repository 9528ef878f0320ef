import type { MessageKey } from '../../kernel/i18n/index.js';

/** Categories of sources and items (stable codes; labels in the catalogue). */
export const WATCH_CATEGORIES = ['institutional', 'funding', 'mobility', 'studies', 'europe', 'other'] as const;
export type WatchCategory = (typeof WATCH_CATEGORIES)[number];

export function isCategory(value: unknown): value is WatchCategory {
  return typeof value === 'string' && (WATCH_CATEGORIES as readonly string[]).includes(value);
}

export function categoryLabelKey(code: string): MessageKey {
  return isCategory(code) ? `watch.category.${code}` : 'watch.category.other';
}

export const ITEM_STATUSES = ['new', 'kept', 'ignored'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
