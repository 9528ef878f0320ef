import type { MessageKey } from '../../kernel/i18n/index.js';
import type { ItemRow } from './repo.js';

/**
 * SEAM (not wired yet): promoting a watch item to a news article or to a call for projects.
 * The news and calls modules do not exist yet; when they do, each registers a target here from
 * its own index.ts (or the composition root), e.g.
 *   registerWatchPromotion({ target: 'call', label: 'watch.promote.call',
 *     redirect: (item) => `/admin/appels-a-projets/nouveau?veille=${item.id}` });
 * The inbox shows one button per registered target; the route answers 404 for any other.
 */
export type PromotionTarget = 'news' | 'call';

export interface WatchPromotion {
  target: PromotionTarget;
  label: MessageKey;
  /** Where staff continue (a prefilled form of the other module), given the item. */
  redirect: (item: Pick<ItemRow, 'id' | 'title' | 'link' | 'excerpt' | 'summary_html' | 'published_at'>) => string | Promise<string>;
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
