import type { Kysely } from 'kysely';
import type { Database, TokenPurpose } from '../../db/schema.js';
import { addSeconds, type Clock } from '../../kernel/clock.js';
import { findLiveToken, insertToken, type TokenRow, voidTokens } from '../../kernel/auth/repo.js';
import { hashToken, newToken } from '../../kernel/auth/tokens.js';
import { newId } from '../../kernel/ids.js';

export const TOKEN_LIFETIME_SECONDS: Record<TokenPurpose, number> = {
  reset: 3600,
  invite: 7 * 24 * 3600,
  email_change: 24 * 3600,
};

/** Issues a single-use link token, voiding the user's previous ones of the same purpose. */
export async function issueToken(
  deps: { db: Kysely<Database>; clock: Clock },
  userId: string,
  purpose: TokenPurpose,
  payload: unknown = null,
): Promise<string> {
  const now = deps.clock.now();
  await voidTokens(deps.db, userId, purpose, now.toISOString());
  const { token, hash } = newToken();
  await insertToken(deps.db, {
    id: newId(now.getTime()),
    user_id: userId,
    purpose,
    token_hash: hash,
    payload: payload === null ? null : JSON.stringify(payload),
    expires_at: addSeconds(now, TOKEN_LIFETIME_SECONDS[purpose]).toISOString(),
    created_at: now.toISOString(),
  });
  return token;
}

export function findToken(
  deps: { db: Kysely<Database>; clock: Clock },
  token: string,
  purpose: TokenPurpose,
): Promise<TokenRow | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return Promise.resolve(undefined);
  return findLiveToken(deps.db, hashToken(token), purpose, deps.clock.now().toISOString());
}
