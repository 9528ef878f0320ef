import type { Role } from '../../db/schema.js';
import type { CurrentUser } from '../../kernel/ui/context.js';

/** Admins invite anyone; staff invite member accounts only (DESIGN.md §6). */
export function canInvite(actor: CurrentUser, role: Role): boolean {
  return actor.role === 'admin' || (actor.role === 'staff' && role === 'member');
}

/** Who may deactivate, reactivate or resend an invitation to an account. */
export function canManage(actor: CurrentUser, target: { id: string; role: Role }): boolean {
  if (actor.id === target.id) return false;
  return actor.role === 'admin' || (actor.role === 'staff' && target.role === 'member');
}

export function canChangeRole(actor: CurrentUser, target: { id: string }): boolean {
  return actor.role === 'admin' && actor.id !== target.id;
}

export function invitableRoles(actor: CurrentUser): Role[] {
  return actor.role === 'admin' ? ['member', 'staff', 'admin'] : ['member'];
}

/** Who may erase another account (RGPD): admins only; their own account they erase from their member space. */
export function canErase(actor: CurrentUser, target: { id: string }): boolean {
  return actor.role === 'admin' && actor.id !== target.id;
}
