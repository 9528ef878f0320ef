import type { Role } from '../../db/schema.js';
import { findUserById, updateUser } from '../../kernel/auth/repo.js';
import { deleteSessionsOfUser } from '../../kernel/auth/session-repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import type { AccountsDeps } from './deps.js';
import { isErasedAccount } from './erased.js';
import { canChangeRole, canManage } from './policy.js';

type Actor = CurrentUser & { ip?: string };

/** Deactivation signs the account out everywhere and blocks sign-in; reactivation restores it. */
export async function setAccountActive(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  actor: Actor,
  userId: string,
  active: boolean,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('not_found');
  if (!canManage(actor, user)) throw new AppError('forbidden');
  // An erased account has no identity left to give back.
  if (active && isErasedAccount(user)) throw new AppError('conflict');
  const status = active ? (user.password_hash ? 'active' : 'invited') : 'deactivated';
  if (status === user.status) return;
  const now = deps.clock.now();
  await updateUser(deps.db, user.id, { status, updated_at: now.toISOString() });
  if (!active) await deleteSessionsOfUser(deps.db, user.id);
  await recordAudit(deps.db, actor, {
    action: active ? 'user.reactivated' : 'user.deactivated',
    entityType: 'user',
    entityId: user.id,
    before: { status: user.status },
    after: { status },
  }, now);
}

export async function changeRole(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  actor: Actor,
  userId: string,
  role: Role,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('not_found');
  if (!canChangeRole(actor, user)) throw new AppError('forbidden');
  if (isErasedAccount(user)) throw new AppError('conflict');
  if (user.role === role) return;
  const now = deps.clock.now();
  await updateUser(deps.db, user.id, { role, updated_at: now.toISOString() });
  await recordAudit(deps.db, actor, {
    action: 'user.role_changed',
    entityType: 'user',
    entityId: user.id,
    before: { role: user.role },
    after: { role },
  }, now);
}
