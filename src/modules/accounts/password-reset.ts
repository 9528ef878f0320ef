import { hashPassword, passwordProblem } from '../../kernel/auth/passwords.js';
import { findUserById, findUserByEmail, updateUser, useToken } from '../../kernel/auth/repo.js';
import { deleteSessionsOfUser } from '../../kernel/auth/session-repo.js';
import { clearAccount } from '../../kernel/auth/throttle.js';
import { recordAudit } from '../../kernel/audit/index.js';
import type { Locale, MessageKey } from '../../kernel/i18n/index.js';
import type { AccountsDeps } from './deps.js';
import { resetMail } from './mails.js';
import { findToken, issueToken } from './tokens.js';

/** Sends a reset link when the address belongs to an active account; says nothing either way. */
export async function requestPasswordReset(deps: AccountsDeps, email: string, locale: Locale): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.status !== 'active') return;
  const token = await issueToken(deps, user.id, 'reset');
  const settings = await deps.settings.get();
  const mail = resetMail({
    locale,
    networkName: settings.networkName,
    link: `${deps.config.baseUrl}/reinitialiser/${token}`,
    name: user.display_name,
  });
  await deps.mail.send({ to: user.email, ...mail });
}

export type SetPasswordResult = { ok: true; userId: string; email: string } | { ok: false; field: string; error: MessageKey };

/** Sets a new password through a single-use link; used for resets and accepted invitations. */
export async function setPasswordWithToken(
  deps: AccountsDeps,
  input: { token: string; purpose: 'reset' | 'invite'; password: string; confirm: string; ip?: string },
): Promise<SetPasswordResult> {
  const row = await findToken(deps, input.token, input.purpose);
  if (!row) return { ok: false, field: 'token', error: 'accounts.tokenInvalid' };
  const user = await findUserById(deps.db, row.user_id);
  if (!user || user.status === 'deactivated') return { ok: false, field: 'token', error: 'accounts.tokenInvalid' };
  const problem = passwordProblem(input.password, { email: user.email });
  if (problem) return { ok: false, field: 'password', error: problem };
  if (input.password !== input.confirm) return { ok: false, field: 'password_confirm', error: 'password.mismatch' };
  const now = deps.clock.now();
  if (!(await useToken(deps.db, row.id, now.toISOString()))) {
    return { ok: false, field: 'token', error: 'accounts.tokenInvalid' };
  }
  const passwordHash = await hashPassword(input.password);
  await updateUser(deps.db, user.id, { password_hash: passwordHash, status: 'active', updated_at: now.toISOString() });
  await deleteSessionsOfUser(deps.db, user.id);
  await clearAccount(deps.db, user.email);
  await recordAudit(
    deps.db,
    { id: user.id, email: user.email, ip: input.ip ?? null },
    {
      action: input.purpose === 'reset' ? 'user.password_reset' : 'user.invitation_accepted',
      entityType: 'user',
      entityId: user.id,
      before: { status: user.status },
      after: { status: 'active' },
    },
    now,
  );
  return { ok: true, userId: user.id, email: user.email };
}
