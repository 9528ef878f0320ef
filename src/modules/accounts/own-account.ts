import { hashPassword, passwordProblem, verifyPassword } from '../../kernel/auth/passwords.js';
import { findUserByEmail, findUserById, latestLiveToken, updateUser, useToken } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import type { Locale, MessageKey } from '../../kernel/i18n/index.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import type { AccountsDeps } from './deps.js';
import { emailChangeMail } from './mails.js';
import { findToken, issueToken } from './tokens.js';

export type ChangeResult = { ok: true } | { ok: false; field: string; error: MessageKey };

export async function changeOwnPassword(
  deps: AccountsDeps,
  actor: CurrentUser & { ip?: string },
  input: { current: string; password: string; confirm: string },
): Promise<ChangeResult> {
  const user = await findUserById(deps.db, actor.id);
  if (!user || !(await verifyPassword(user.password_hash, input.current))) {
    return { ok: false, field: 'current_password', error: 'accounts.wrongPassword' };
  }
  const problem = passwordProblem(input.password, { email: user.email });
  if (problem) return { ok: false, field: 'password', error: problem };
  if (input.password !== input.confirm) return { ok: false, field: 'password_confirm', error: 'password.mismatch' };
  await updateUser(deps.db, user.id, {
    password_hash: await hashPassword(input.password),
    updated_at: deps.clock.now().toISOString(),
  });
  await recordAudit(deps.db, actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id }, deps.clock.now());
  return { ok: true };
}

/** The new address must be confirmed from a link sent to it before it replaces the old one. */
/** The new address an email change's token carries. */
function newEmailOf(row: { payload: string | null }): string | undefined {
  const email = row.payload ? (JSON.parse(row.payload) as { email?: unknown }).email : undefined;
  return typeof email === 'string' ? email : undefined;
}

/** The address an email change waits to confirm, and until when its link works; none when no change waits. */
export async function pendingEmailChange(deps: Pick<AccountsDeps, 'db' | 'clock'>, userId: string): Promise<{ email: string; until: string } | null> {
  const row = await latestLiveToken(deps.db, userId, 'email_change', deps.clock.now().toISOString());
  const email = row ? newEmailOf(row) : undefined;
  return row && email ? { email, until: row.expires_at } : null;
}

export async function requestEmailChange(
  deps: AccountsDeps,
  actor: CurrentUser,
  input: { current: string; email: string; locale: Locale },
): Promise<ChangeResult> {
  const user = await findUserById(deps.db, actor.id);
  if (!user || !(await verifyPassword(user.password_hash, input.current))) {
    return { ok: false, field: 'current_password', error: 'accounts.wrongPassword' };
  }
  const taken = await findUserByEmail(deps.db, input.email);
  if (taken) {
    return { ok: false, field: 'email', error: taken.id === user.id ? 'accounts.sameEmail' : 'accounts.emailTaken' };
  }
  const token = await issueToken(deps, user.id, 'email_change', { email: input.email.trim() });
  const settings = await deps.settings.get();
  const mail = emailChangeMail({
    locale: input.locale,
    networkName: settings.networkName,
    link: `${deps.config.baseUrl}/confirmer-email/${token}`,
    name: user.display_name,
  });
  await deps.mail.send({ to: input.email.trim(), ...mail });
  return { ok: true };
}

export async function confirmEmailChange(
  deps: AccountsDeps,
  token: string,
  ip?: string,
): Promise<{ ok: true; email: string } | { ok: false; error: MessageKey }> {
  const row = await findToken(deps, token, 'email_change');
  const email = row ? newEmailOf(row) : undefined;
  const user = row ? await findUserById(deps.db, row.user_id) : undefined;
  if (!row || !email || !user || user.status !== 'active') return { ok: false, error: 'accounts.tokenInvalid' };
  if (await findUserByEmail(deps.db, email)) return { ok: false, error: 'accounts.emailTaken' };
  const now = deps.clock.now();
  if (!(await useToken(deps.db, row.id, now.toISOString()))) return { ok: false, error: 'accounts.tokenInvalid' };
  await updateUser(deps.db, user.id, { email, email_lower: email.toLowerCase(), updated_at: now.toISOString() });
  await recordAudit(
    deps.db,
    { id: user.id, email: user.email, ip: ip ?? null },
    { action: 'user.email_changed', entityType: 'user', entityId: user.id, before: { email: user.email }, after: { email } },
    now,
  );
  return { ok: true, email };
}
