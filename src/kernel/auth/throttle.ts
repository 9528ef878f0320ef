import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { clearAccountThrottles, clearThrottle, countAttempt, findThrottle, giveBack, saveThrottle } from './repo.js';

interface Rule {
  key: string;
  maxFailures: number;
}

export const WINDOW_SECONDS = 15 * 60;
export const LOCK_SECONDS = 15 * 60;

/**
 * The account part of a limit's key: a hash of the address typed, so that the table of limits
 * never holds an address (attempts are also made with addresses of no account, and an erased
 * person's address must not stay there).
 */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Sign-in limits kept in the database (shared by every process): per IP, per account from one
 * IP, and per account from anywhere. Locks are soft: they expire after 15 minutes and a
 * password-reset link always works, so nobody can be locked out for good by a stranger.
 *
 * An attempt is counted when it starts, before the slow password check, so that attempts sent in
 * parallel cannot all pass the check of an unlocked account: `failures` holds the failed attempts
 * of the window plus those still in flight. A success gives its count back.
 */
export function throttleRules(email: string, ip: string): Rule[] {
  const account = accountKey(email);
  return [
    { key: `ip:${ip}`, maxFailures: 30 },
    { key: `account-ip:${account}|${ip}`, maxFailures: 5 },
    { key: `account:${account}`, maxFailures: 20 },
  ];
}

async function lockWait(db: Kysely<Database>, now: Date, rules: Rule[]): Promise<number> {
  const rows = await findThrottle(
    db,
    rules.map((r) => r.key),
  );
  let wait = 0;
  for (const row of rows) {
    if (row.locked_until) wait = Math.max(wait, Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 1000));
  }
  return Math.max(0, wait);
}

/**
 * Starts a sign-in attempt. Returns the seconds to wait when it is refused — a lock is on, or
 * attempts already under way use up a limit — and 0 when the password may be checked; the
 * attempt is then counted, and must end with `recordFailure` or `clearAccount`.
 */
export async function startAttempt(db: Kysely<Database>, clock: Clock, rules: Rule[]): Promise<number> {
  const now = clock.now();
  const wait = await lockWait(db, now, rules);
  if (wait > 0) return wait;
  const windowStart = new Date(now.getTime() - WINDOW_SECONDS * 1000);
  const counted: string[] = [];
  let overLimit = false;
  for (const rule of rules) {
    const count = await countAttempt(db, rule.key, now, windowStart);
    counted.push(rule.key);
    if (count > rule.maxFailures) overLimit = true;
  }
  if (!overLimit) return 0;
  // Refused without a password check: this attempt does not count.
  await giveBack(db, counted);
  return LOCK_SECONDS;
}

/** The password was wrong: a rule whose window is full locks its key for 15 minutes. */
export async function recordFailure(db: Kysely<Database>, clock: Clock, rules: Rule[]): Promise<void> {
  const now = clock.now();
  const rows = new Map(
    (
      await findThrottle(
        db,
        rules.map((r) => r.key),
      )
    ).map((r) => [r.key, r]),
  );
  for (const rule of rules) {
    const row = rows.get(rule.key);
    if (!row || row.failures < rule.maxFailures) continue;
    await saveThrottle(db, {
      key: rule.key,
      failures: 0,
      window_started_at: now.toISOString(),
      locked_until: new Date(now.getTime() + LOCK_SECONDS * 1000).toISOString(),
    });
  }
}

/**
 * A successful sign-in (IP given) clears the account's counters, from anywhere and from that IP,
 * and gives the IP its attempt back: the IP's counter only counts failures. A password reset (no
 * IP) proves the owner and lifts every lock on the account, whichever IP caused it. The IP's own
 * failures are never cleared: they are not the account's.
 */
export async function clearAccount(db: Kysely<Database>, email: string, ip?: string): Promise<void> {
  const account = accountKey(email);
  if (ip) {
    await clearThrottle(db, [`account:${account}`, `account-ip:${account}|${ip}`]);
    await giveBack(db, [`ip:${ip}`]);
    return;
  }
  await clearAccountThrottles(db, account);
}
