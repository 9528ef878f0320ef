import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import * as repo from './repo.js';
import { emailHash } from './tokens.js';

/** Why an address is never mailed: unsubscribed from everything, hard bounce, erased (RGPD), or staff's decision. */
export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'erased' | 'staff';
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['unsubscribed', 'hard_bounce', 'erased', 'staff'];

type Db = Kysely<Database> | Transaction<Database>;

export async function suppress(db: Db, email: string, reason: SuppressionReason, detail: string | null, at: string): Promise<void> {
  await repo.insertSuppression(db, { email_hash: emailHash(email), reason, detail: detail?.slice(0, 500) ?? null, created_at: at });
}

export async function isSuppressed(db: Db, email: string): Promise<boolean> {
  return (await repo.findSuppression(db, emailHash(email))) !== undefined;
}

/** The addresses among these that must not be mailed (lower-cased). */
export async function suppressedEmails(db: Db, emails: readonly string[]): Promise<Set<string>> {
  const byHash = new Map(emails.map((e) => [emailHash(e), e.trim().toLowerCase()]));
  const hit = await repo.suppressedAmong(db, [...byHash.keys()]);
  return new Set([...hit].map((h) => byHash.get(h)!));
}

/** A new, explicit consent (a confirmed subscription) lifts the suppression. Returns the reason lifted. */
export async function liftSuppression(db: Db, email: string): Promise<string | null> {
  const hash = emailHash(email);
  const row = await repo.findSuppression(db, hash);
  if (!row) return null;
  await repo.deleteSuppression(db, hash);
  return row.reason;
}
