import { verifyPassword, dummyPasswordHash } from '../../kernel/auth/passwords.js';
import { findUserByEmail, findUserById, type UserRow, updateUser } from '../../kernel/auth/repo.js';
import { clearAccount, recordFailure, startAttempt, throttleRules } from '../../kernel/auth/throttle.js';
import type { AccountsDeps } from './deps.js';

export type SignInResult =
  /** `user` as it was before this sign-in (its `last_login_at` is the previous one); `at` is this one. */
  | { kind: 'ok'; user: UserRow; at: string }
  | { kind: 'invalid' }
  | { kind: 'locked'; seconds: number };

export async function signIn(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  input: { email: string; password: string; ip: string },
): Promise<SignInResult> {
  const rules = throttleRules(input.email, input.ip);
  const wait = await startAttempt(deps.db, deps.clock, rules);
  if (wait > 0) return { kind: 'locked', seconds: wait };
  const user = await findUserByEmail(deps.db, input.email);
  const hash = user?.password_hash ?? (await dummyPasswordHash());
  const passwordOk = await verifyPassword(hash, input.password);
  if (!user || user.status !== 'active' || !passwordOk) {
    await recordFailure(deps.db, deps.clock, rules);
    return { kind: 'invalid' };
  }
  await clearAccount(deps.db, input.email, input.ip);
  const at = deps.clock.now().toISOString();
  await updateUser(deps.db, user.id, { last_login_at: at });
  return { kind: 'ok', user, at };
}

/**
 * The sign-in that follows an accepted invitation: the person has just chosen their password with
 * the link (proof enough), so they are not asked for it again. Recorded as any sign-in
 * (`last_login_at`); undefined when the account is not active.
 */
export async function signInActivated(deps: Pick<AccountsDeps, 'db' | 'clock'>, userId: string): Promise<{ user: UserRow; at: string } | undefined> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.status !== 'active') return undefined;
  const at = deps.clock.now().toISOString();
  await updateUser(deps.db, user.id, { last_login_at: at });
  return { user, at };
}
