import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { ItemRow } from './repo.js';

/**
 * Promoting a watch item to a news article or to a call for projects. Each of those modules
 * registers its target from its own index.ts:
 *   registerWatchPromotion({ target: 'call', label: 'watch.promote.call',
 *     redirect: (item) => `/admin/appels-a-projets/nouveau?veille=${item.id}`,
 *     existing: (db, itemId) => …the calls that name the item… });
 * The item's page shows one button per registered target and what the item already became; the
 * route answers 404 for any other target. The module that saves the call or the article marks the
 * item as kept in the same transaction (`markItemPromoted`).
 */
export type PromotionTarget = 'news' | 'call';

/** A call or an article made from a watch item, as the item's page names it. */
export interface PromotedRecord {
  target: PromotionTarget;
  id: string;
  title: string;
  /** Its page in the back office. */
  href: string;
  state: 'draft' | 'published' | 'archived';
}

export interface WatchPromotion {
  target: PromotionTarget;
  label: MessageKey;
  /** Where staff continue (a prefilled form of the other module), given the item. */
  redirect: (item: Pick<ItemRow, 'id' | 'title' | 'link' | 'excerpt' | 'summary_html' | 'published_at'>) => string | Promise<string>;
  /** The records of this target already made from the item (oldest first). */
  existing?: (db: Kysely<Database>, itemId: string) => Promise<Array<Omit<PromotedRecord, 'target'>>>;
}

const promotions = new Map<PromotionTarget, WatchPromotion>();

export function registerWatchPromotion(promotion: WatchPromotion): void {
  promotions.set(promotion.target, promotion);
}

export function watchPromotions(): WatchPromotion[] {
  return [...promotions.values()];
}

/** The redirect target for promoting `item`, or null when no module offers that target. */
export async function promoteItem(item: Parameters<WatchPromotion['redirect']>[0], target: string): Promise<string | null> {
  const promotion = promotions.get(target as PromotionTarget);
  return promotion ? promotion.redirect(item) : null;
}

/** What the item became: the calls and articles that name it, every target's. */
export async function promotedRecords(db: Kysely<Database>, itemId: string, target?: PromotionTarget): Promise<PromotedRecord[]> {
  const found: PromotedRecord[] = [];
  for (const p of promotions.values()) {
    if (!p.existing || (target && p.target !== target)) continue;
    for (const record of await p.existing(db, itemId)) found.push({ ...record, target: p.target });
  }
  return found;
}
