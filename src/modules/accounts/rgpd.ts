// RGPD rights of an account: access (one JSON document) and erasure (anonymisation).
import { verifyPassword } from '../../kernel/auth/passwords.js';
import { findUserByEmail, findUserById, type UserRow } from '../../kernel/auth/repo.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { forgetErasedBytes } from '../../kernel/db/create-db.js';
import { AppError } from '../../kernel/errors.js';
import { storedJson } from '../../kernel/stored-json.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { erasePersonalDataOfEmails, personalDataOfEmails } from '../../kernel/rgpd/personal-data.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { organisationsOfUser } from '../organisations/index.js';
import { ERASED_ACCOUNT_NAME, erasedEmailOf, isErasedAccount } from './erased.js';
import { canErase } from './policy.js';
import * as repo from './rgpd-repo.js';

type Actor = CurrentUser & { ip?: string };


/** Everything the network holds about an account (RGPD right of access), as one JSON document. */
export async function exportAccount(deps: Kernel, actor: Actor, userId: string) {
  const user = await findUserById(deps.db, userId);
  if (!user) return undefined;
  const [audit, organisations] = await Promise.all([repo.auditOfUser(deps.db, user.id), organisationsOfUser(deps.db, user.id)]);
  const sections = await personalDataOfEmails(deps, await addressesOf(deps, user, audit));
  /**
   * One journal entry, without anyone else's personal data: who acted is « self », « staff » or « system »
   * (never another person's address), and the before/after snapshots are kept only for the
   * account's own record (what the person did to other records may name other people).
   */
  const entry = (a: (typeof audit)[number]) => {
    const self = a.actor_id === user.id;
    const ownRecord = a.entity_type === 'user' && a.entity_id === user.id;
    return {
      at: a.at,
      action: a.action,
      entity_type: a.entity_type,
      entity_id: a.entity_id,
      actor: self ? ('self' as const) : a.actor_id || a.actor_email ? ('staff' as const) : ('system' as const),
      // The address the request came from, for the account's own actions only (not the staff's).
      ip: self ? a.ip : null,
      ...(ownRecord ? { before: storedJson(a.before), after: storedJson(a.after) } : {}),
    };
  };
  const now = deps.clock.now();
  const document = {
    exported_at: now.toISOString(),
    account: {
      id: user.id,
      email: user.email,
      display_name: user.display_name,
      role: user.role,
      status: user.status,
      locale: user.locale,
      created_at: user.created_at,
      updated_at: user.updated_at,
      last_login_at: user.last_login_at,
    },
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, slug: o.slug })),
    journal: {
      as_actor: audit.filter((a) => a.actor_id === user.id).map(entry),
      as_subject: audit.filter((a) => a.entity_type === 'user' && a.entity_id === user.id).map(entry),
    },
    // What the modules hold about the account's address (proposals, newsletter, registrations…), by module.
    sections,
  };
  await recordAudit(deps.db, actor, { action: 'user.exported', entityType: 'user', entityId: user.id }, now);
  return document;
}

export type EraseResult = { ok: true } | { ok: false; field?: string; error: MessageKey };

/** The addresses an account had before its current one, read from its email changes in the journal. */
function previousEmails(audit: Awaited<ReturnType<typeof repo.auditOfUser>>, userId: string): string[] {
  const out: string[] = [];
  for (const a of audit) {
    if (a.action !== 'user.email_changed' || a.entity_type !== 'user' || a.entity_id !== userId) continue;
    for (const side of [storedJson(a.before), storedJson(a.after)]) {
      const email = side && typeof side === 'object' ? (side as { email?: unknown }).email : undefined;
      if (typeof email === 'string' && email.trim()) out.push(email.trim().toLowerCase());
    }
  }
  return out;
}

/**
 * Every address that is the account's own: its current one, and those it had before (from the
 * journal) unless another account uses one now (then it is that account's).
 */
async function addressesOf(deps: Pick<Kernel, 'db'>, user: UserRow, audit: Awaited<ReturnType<typeof repo.auditOfUser>>): Promise<string[]> {
  const own = [user.email_lower];
  for (const email of new Set(previousEmails(audit, user.id))) {
    if (email !== user.email_lower && !(await findUserByEmail(deps.db, email))) own.push(email);
  }
  return own;
}

/** Replaces the needles in every string of a journal snapshot; a short name is replaced only where it is a whole value. */
function blank(text: string | null, needles: readonly string[]): string | null {
  if (text === null) return null;
  const marker = `[${ERASED_ACCOUNT_NAME}]`;
  const patterns = needles.filter((n) => n.length >= 3).map((n) => new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'));
  const lowered = needles.map((n) => n.toLowerCase());
  const scrub = (s: string) => (lowered.includes(s.trim().toLowerCase()) ? marker : patterns.reduce((out, p) => out.replace(p, marker), s));
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return scrub(text);
  }
  return JSON.stringify(walk(parsed));
}

/** The last active admin account cannot be erased: the network would be left without an admin. */
async function isLastActiveAdmin(deps: Pick<Kernel, 'db'>, user: Pick<UserRow, 'id' | 'role' | 'status'>): Promise<boolean> {
  return user.role === 'admin' && user.status === 'active' && (await repo.countOtherActiveAdmins(deps.db, user.id)) === 0;
}

/** Whether the signed-in person may erase their own account now (not as the last active admin). */
export async function canEraseOwnAccount(deps: Pick<Kernel, 'db'>, userId: string): Promise<boolean> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('not_found');
  return !(await isLastActiveAdmin(deps, user));
}

/** The person erases their own account, confirmed by their current password. */
export async function eraseOwnAccount(deps: Kernel, actor: Actor, password: string): Promise<EraseResult> {
  const user = await findUserById(deps.db, actor.id);
  if (!user) throw new AppError('not_found');
  if (!(await verifyPassword(user.password_hash, password))) return { ok: false, field: 'current_password', error: 'accounts.wrongPassword' };
  return erase(deps, actor, user, true);
}

/** An admin erases another account (their own they erase from their member space). */
export async function eraseAccountAsAdmin(deps: Kernel, actor: Actor, userId: string): Promise<EraseResult> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('not_found');
  if (!canErase(actor, user)) throw new AppError('forbidden');
  return erase(deps, actor, user, false);
}

/**
 * RGPD erasure of an account. The last active admin account cannot be erased. Order: the other
 * modules' data of the address first (while nothing of the account has changed, a failure there
 * can simply be retried), then the account anonymised in one transaction (see rgpd-repo.ts), then
 * the journal entry, which names neither the old address nor the old name.
 */
async function erase(deps: Kernel, actor: Actor, user: UserRow, self: boolean): Promise<EraseResult> {
  if (isErasedAccount(user)) return { ok: true };
  if (await isLastActiveAdmin(deps, user)) return { ok: false, error: 'accounts.lastAdmin' };
  const erasedEmail = erasedEmailOf(user.id);
  // The person erasing their own account acts under their new, anonymous identity.
  const by: AuditActor = self ? { id: user.id, email: erasedEmail, ip: actor.ip ?? null } : { id: actor.id, email: actor.email, ip: actor.ip ?? null };
  // Its earlier addresses too: what it subscribed or sent under them is the person's as well.
  const oldEmails = await addressesOf(deps, user, await repo.auditOfUser(deps.db, user.id));
  const counts = await erasePersonalDataOfEmails(deps, by, oldEmails);
  const needles = [...oldEmails, user.display_name.trim()].filter((n) => n.length > 0);
  const toScrub = await repo.auditToScrub(deps.db, user.id, oldEmails);
  const now = deps.clock.now();
  await repo.anonymiseAccount(deps.db, {
    userId: user.id,
    erasedName: ERASED_ACCOUNT_NAME,
    erasedEmail,
    oldEmails,
    auditTexts: toScrub.map((a) => ({ id: a.id, before: blank(a.before, needles), after: blank(a.after, needles) })),
    at: now.toISOString(),
  });
  await recordAudit(deps.db, by, { action: 'user.erased', entityType: 'user', entityId: user.id, after: { erased: true, by_self: self, personal_data: counts } }, now);
  forgetErasedBytes(deps.dbHandle);
  return { ok: true };
}
