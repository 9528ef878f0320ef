import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { clearThrottle, findThrottle, saveThrottle } from './repo.js';

interface Rule {
  key: string;
  maxFailures: number;
}

export const WINDOW_SECONDS = 15 * 60;
export const LOCK_SECONDS = 15 * 60;

/**
 * Sign-in limits kept in the database (shared by every process): per IP, per account from one
 * IP, and per account from anywhere. Locks are soft: they expire after 15 minutes and a
 * password-reset link always works, so nobody can be locked out for good by a stranger.
 */
export function throttleRules(email: string, ip: string): Rule[] {
  const account = email.trim().toLowerCase();
  return [
    { key: `ip:${ip}`, maxFailures: 30 },
    { key: `account-ip:${account}|${ip}`, maxFailures: 5 },
    { key: `account:${account}`, maxFailures: 20 },
  ];
}

/** Seconds until the caller may try again, or 0 when not locked. */
export async function lockedFor(db: Kysely<Database>, clock: Clock, rules: Rule[]): Promise<number> {
  const now = clock.now().getTime();
  const rows = await findThrottle(
    db,
    rules.map((r) => r.key),
  );
  let wait = 0;
  for (const row of rows) {
    if (row.locked_until) wait = Math.max(wait, Math.ceil((new Date(row.locked_until).getTime() - now) / 1000));
  }
  return Math.max(0, wait);
}

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
    const windowOpen = row && now.getTime() - new Date(row.window_started_at).getTime() < WINDOW_SECONDS * 1000;
    const failures = windowOpen ? row.failures + 1 : 1;
    const windowStart = windowOpen ? row.window_started_at : now.toISOString();
    const locked =
      failures >= rule.maxFailures ? new Date(now.getTime() + LOCK_SECONDS * 1000).toISOString() : null;
    await saveThrottle(db, {
      key: rule.key,
      failures: locked ? 0 : failures,
      window_started_at: locked ? now.toISOString() : windowStart,
      locked_until: locked ?? (row?.locked_until && row.locked_until > now.toISOString() ? row.locked_until : null),
    });
  }
}

/** A successful sign-in or a password reset clears the account's counters (not the IP's). */
export async function clearAccount(db: Kysely<Database>, email: string, ip?: string): Promise<void> {
  const account = email.trim().toLowerCase();
  const keys = [`account:${account}`];
  if (ip) keys.push(`account-ip:${account}|${ip}`);
  await clearThrottle(db, keys);
}
