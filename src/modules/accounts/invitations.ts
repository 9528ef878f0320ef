import type { Role } from '../../db/schema.js';
import { findUserByEmail, findUserById, insertUser } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import type { Locale, MessageKey } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { organisationsOfUser } from '../organisations/index.js';
import type { AccountsDeps } from './deps.js';
import { inviteMail, type StaffInvitation } from './mails.js';
import { canInvite, canManage } from './policy.js';
import { issueToken } from './tokens.js';

export type InviteResult = { ok: true; userId: string } | { ok: false; field: string; error: MessageKey };

/**
 * Creates an invited account and emails it a link to choose a password (valid 7 days). With
 * `byStaff` the mail names the staff member who invites the person (and the organisation they are
 * invited for); without it, the mail answers the person's own request for an account.
 */
export async function inviteUser(
  deps: AccountsDeps,
  actor: CurrentUser & { ip?: string },
  input: { email: string; displayName: string; role: Role; locale: Locale; byStaff?: { organisation?: string } },
): Promise<InviteResult> {
  if (!canInvite(actor, input.role)) throw new AppError('forbidden');
  if (await findUserByEmail(deps.db, input.email)) return { ok: false, field: 'email', error: 'accounts.emailTaken' };
  const now = deps.clock.now();
  const user = {
    id: newId(now.getTime()),
    email: input.email.trim(),
    email_lower: input.email.trim().toLowerCase(),
    display_name: input.displayName.trim(),
    role: input.role,
    status: 'invited' as const,
    password_hash: null,
    locale: input.locale,
    source: 'manual',
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await insertUser(deps.db, user);
  await recordAudit(
    deps.db,
    { id: actor.id, email: actor.email, ip: actor.ip },
    {
      action: 'user.invited',
      entityType: 'user',
      entityId: user.id,
      after: { email: user.email, display_name: user.display_name, role: user.role, status: user.status },
    },
    now,
  );
  await sendInvitation(deps, user.id, input.locale, input.byStaff && { inviter: actor.displayName, ...input.byStaff });
  return { ok: true, userId: user.id };
}

export async function sendInvitation(deps: AccountsDeps, userId: string, locale: Locale, invitation?: StaffInvitation): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.status !== 'invited') throw new AppError('conflict', 'accounts.notInvited');
  const token = await issueToken(deps, user.id, 'invite');
  const settings = await deps.settings.get();
  const mail = inviteMail({
    locale,
    networkName: settings.networkName,
    link: `${deps.config.baseUrl}/invitation/${token}`,
    name: user.display_name,
  }, invitation);
  await deps.mail.send({ to: user.email, ...mail });
}

export async function resendInvitation(
  deps: AccountsDeps,
  actor: CurrentUser & { ip?: string },
  userId: string,
  locale: Locale,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('not_found');
  if (!canManage(actor, user)) throw new AppError('forbidden');
  const organisations = await organisationsOfUser(deps.db, user.id);
  await sendInvitation(deps, user.id, locale, { inviter: actor.displayName, ...(organisations.length === 1 ? { organisation: organisations[0]!.name } : {}) });
  await recordAudit(deps.db, actor, { action: 'user.invitation_resent', entityType: 'user', entityId: user.id }, deps.clock.now());
}
