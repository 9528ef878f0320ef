import type { MailingBlock } from '../newsletter/index.js';
import { type BulletinBlock, type BulletinItem, readBlock } from './block-shapes.js';
import { callsFor, type ContentEnv, eventsAhead, latestWatch, memberNews, newsByIds, resourcesSince, watchByIds } from './sources.js';

// Resolving a block: finding the concrete items its ids or its parameters designate now. The
// items are stored in the block, and rendering reads them only.

export interface Resolution {
  block: BulletinBlock;
  /** Chosen items that are no longer published (deleted, unpublished, ignored). */
  missing: number;
}

async function itemsOf(env: ContentEnv, block: BulletinBlock): Promise<{ items: BulletinItem[]; missing: number } | null> {
  switch (block.type) {
    case 'editorial':
      return null;
    case 'news':
      return newsByIds(env, block.ids);
    case 'member_news':
      return { items: await memberNews(env, block.since, block.limit), missing: 0 };
    case 'events':
      return { items: await eventsAhead(env, block.weeks, block.limit), missing: 0 };
    case 'calls':
      return { items: await callsFor(env, block), missing: 0 };
    case 'watch':
      return block.mode === 'selected' ? watchByIds(env, block.ids) : { items: await latestWatch(env, block.limit), missing: 0 };
    case 'resources':
      return { items: await resourcesSince(env, block.since, block.limit), missing: 0 };
  }
}

export async function resolveBlock(env: ContentEnv, block: BulletinBlock): Promise<Resolution> {
  const found = await itemsOf(env, block);
  if (!found) return { block, missing: 0 };
  return { block: { ...block, items: found.items, resolvedAt: env.now.toISOString() }, missing: found.missing };
}

/**
 * Resolves every bulletin block of a list (other blocks, such as the core's text, are kept as
 * they are); `missing` sums the chosen items that are gone. This is what freezing a mailing's
 * content for sending runs.
 */
export async function resolveBlocks(env: ContentEnv, blocks: MailingBlock[]): Promise<{ blocks: MailingBlock[]; missing: number }> {
  const out: MailingBlock[] = [];
  let missing = 0;
  for (const raw of blocks) {
    const block = readBlock(raw);
    if (!block) {
      out.push(raw);
      continue;
    }
    const resolution = await resolveBlock(env, block);
    missing += resolution.missing;
    out.push(resolution.block);
  }
  return { blocks: out, missing };
}
