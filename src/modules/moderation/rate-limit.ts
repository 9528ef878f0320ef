import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { countAttempt, findThrottle } from '../../kernel/auth/repo.js';
import type { Clock } from '../../kernel/clock.js';

/** Public proposals and account requests from one IP address: at most 5 an hour (kept in the database). */
export const PROPOSALS_PER_WINDOW = 5;
export const PROPOSAL_WINDOW_SECONDS = 3600;

const keyOf = (ip: string) => `proposal-ip:${ip}`;

export async function publicProposalAllowed(db: Kysely<Database>, clock: Clock, ip: string): Promise<boolean> {
  const [row] = await findThrottle(db, [keyOf(ip)]);
  if (!row) return true;
  const windowStart = clock.now().getTime() - PROPOSAL_WINDOW_SECONDS * 1000;
  return new Date(row.window_started_at).getTime() <= windowStart || row.failures < PROPOSALS_PER_WINDOW;
}

export async function countPublicProposal(db: Kysely<Database>, clock: Clock, ip: string): Promise<void> {
  const now = clock.now();
  await countAttempt(db, keyOf(ip), now, new Date(now.getTime() - PROPOSAL_WINDOW_SECONDS * 1000));
}
