import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { countAttempt } from '../../kernel/auth/repo.js';
import type { Clock } from '../../kernel/clock.js';

/** Subscribe forms from one IP address: at most this many an hour (kept in the database, shared by every process). */
export const SUBSCRIPTIONS_PER_HOUR = 10;
const WINDOW_SECONDS = 3600;

/** Counts a form from this address; false once the address has sent too many this hour. */
export async function subscribeAllowed(db: Kysely<Database>, clock: Clock, ip: string): Promise<boolean> {
  const now = clock.now();
  const count = await countAttempt(db, `newsletter-ip:${ip}`, now, new Date(now.getTime() - WINDOW_SECONDS * 1000));
  return count <= SUBSCRIPTIONS_PER_HOUR;
}
