import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import type { Kernel } from '../../kernel/http/types.js';
import { latestPublication, readNewsVersion } from './repo.js';

/**
 * The news' version: moved by the database on every change to articles (migration 1400), and by
 * the time a scheduled article comes out (the latest publication date already passed).
 */
export async function newsVersion(kernel: Pick<Kernel, 'db' | 'clock'>): Promise<string> {
  const [counter, latest] = await Promise.all([readNewsVersion(kernel.db), latestPublication(kernel.db, kernel.clock.now().toISOString())]);
  return `${counter}:${latest}`;
}

/** Public news pages are cached until an article changes or comes out. */
export const newsPageCache: PageCacheConfig = { version: newsVersion };
