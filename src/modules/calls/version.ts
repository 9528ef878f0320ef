import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { readCallsVersion } from './repo.js';
import { parisToday } from './status.js';

/**
 * The calls' version: moved by the database on every change to calls, their links and documents,
 * and by the day (Europe/Paris: days left and statuses move at midnight). What passes within a day
 * (a call closing at noon) shows within the page cache's 30-second lifetime.
 */
export async function callsVersion(kernel: { db: Kysely<Database>; clock: Clock }): Promise<string> {
  return `${await readCallsVersion(kernel.db)}@${parisToday(kernel.clock.now())}`;
}

/** Public pages showing calls are cached until the calls (or the day) change. */
export const callsPageCache: PageCacheConfig = { version: callsVersion };
