import type { Role } from '../../db/schema.js';
import { findUserByEmail, findUserById, insertUser, type UserRow } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { AfterCommitError, afterCommit, inTransaction } from '../../kernel/db/transaction.js';
import { AppError } from '../../kernel/errors.js';
import type { Kernel } from '../../kernel/http/types.js';
import { isLocale, type Locale, type MessageKey } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { type Jobs, queueingIn } from '../../kernel/jobs/index.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { organisationsOfUser } from '../organisations/index.js';
import type { AccountsDeps } from './deps.js';
import { isErasedAccount } from './erased.js';
import { inviteMail, type StaffInvitation } from './mails.js';
import { deleteInvitationJobs, latestInvitationJob } from './invitations-repo.js';
import { canInvite, canManage } from './policy.js';
import { issueToken } from './tokens.js';

/**
 * `mailed`: the invitation email went (false when it could not be sent after the account was
 * committed, see `inviteUser`, or when it waits in the job queue, see `inviteUserQueued`).
 */
export type InviteResult = { ok: true; userId: string; mailed: boolean } | { ok: false; field: string; error: MessageKey };

export interface InviteInput {
  email: string;
  displayName: string;
  role: Role;
  locale: Locale;
  /** Staff invite the person on their own initiative (for an organisation when there is one); without it, the mail answers the person's own request. */
  byStaff?: { organisation?: string };
}

/** What staff read when the invitation email could not be sent although the account was created. */
export const INVITATION_NOT_MAILED: MessageKey = 'accounts.invitation.emailFailed';

/** The job that sends an invitation email (durable, retried with backoff). */
export const INVITATION_JOB = 'accounts.invitation';

/**
 * An invitation email waiting in the job queue. It never holds the link: only the hash of a token
 * is stored, so the token is drawn when the email goes (`sendQueuedInvitation`), and the inviter's
 * name is read then too (the payload keeps ids, not what an erasure would have to find).
 */
export interface InvitationJobPayload {
  userId: string;
  locale: Locale;
  byStaff?: { inviterId: string; organisation?: string };
}

/** Enough attempts for the backoff (5 s doubling up to an hour) to outlast an SMTP outage of a few hours. */
const INVITATION_MAX_ATTEMPTS = 12;

/** The idempotency keys of a user's invitation jobs start with this (`latestInvitationJob`). */
export function invitationJobKeyPrefix(userId: string): string {
  return `${INVITATION_JOB}:${userId}:`;
}

/** The invited account and its log line, with `deps.db` (the caller's transaction). */
async function createInvited(deps: Pick<AccountsDeps, 'db' | 'clock'>, actor: CurrentUser & { ip?: string }, input: InviteInput): Promise<{ ok: true; user: { id: string } } | { ok: false; field: string; error: MessageKey }> {
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
  return { ok: true, user };
}

/**
 * Creates an invited account and emails it a link to choose a password (valid 7 days). The
 * account and its log line are one transaction; the email follows the commit, with `deps.db`, which
 * must therefore be no transaction (inside one, use `inviteUserQueued`). When the email fails,
 * the account stands and an AfterCommitError carries this function's result (`mailed: false`,
 * warning INVITATION_NOT_MAILED): staff send the invitation again from the account's page.
 */
export async function inviteUser(deps: AccountsDeps, actor: CurrentUser & { ip?: string }, input: InviteInput): Promise<InviteResult> {
  if (deps.db.isTransaction) throw new Error('inviteUser emails once committed, with deps.db: call inviteUserQueued inside a transaction');
  try {
    return await inTransaction(deps.db, async (trx): Promise<InviteResult> => {
      const created = await createInvited({ ...deps, db: trx }, actor, input);
      if (!created.ok) return created;
      const invitation = input.byStaff && { inviter: actor.displayName, ...input.byStaff };
      await afterCommit(trx, () => sendInvitation(deps, created.user.id, input.locale, invitation), INVITATION_NOT_MAILED);
      return { ok: true, userId: created.user.id, mailed: true };
    });
  } catch (error) {
    if (!(error instanceof AfterCommitError)) throw error;
    const result = error.result as InviteResult;
    throw new AfterCommitError(result.ok ? { ...result, mailed: false } : result, error.failures);
  }
}

/**
 * Creates an invited account and queues its invitation email, in one transaction (the caller's
 * when `deps.db` is one): the account, its log line and the job exist together or not at all.
 * Nobody waits on the mail server: the job worker sends the email and retries it. Staff follow it
 * on the account's page.
 */
export async function inviteUserQueued(
  deps: Pick<AccountsDeps, 'db' | 'clock'> & { jobs: Pick<Jobs, 'enqueue'> },
  actor: CurrentUser & { ip?: string },
  input: InviteInput,
): Promise<InviteResult> {
  return inTransaction(deps.db, async (trx): Promise<InviteResult> => {
    const created = await createInvited({ ...deps, db: trx }, actor, input);
    if (!created.ok) return created;
    // Queued in the transaction: on SQLite, a job queued on the outer connection would wait for it forever.
    await queueInvitation({ ...deps, jobs: queueingIn(deps.jobs, trx) }, created.user.id, input.locale, input.byStaff && { inviterId: actor.id, ...input.byStaff });
    return { ok: true, userId: created.user.id, mailed: false };
  });
}

/**
 * Queues the invitation email of an invited account. `deps.jobs` must queue in the caller's
 * transaction when there is one (`queueingIn`), so that the job exists if and only if it commits.
 */
export async function queueInvitation(
  deps: Pick<AccountsDeps, 'clock'> & { jobs: Pick<Jobs, 'enqueue'> },
  userId: string,
  locale: Locale,
  byStaff?: InvitationJobPayload['byStaff'],
): Promise<void> {
  const payload: InvitationJobPayload = byStaff ? { userId, locale, byStaff } : { userId, locale };
  await deps.jobs.enqueue(INVITATION_JOB, payload, {
    idempotencyKey: `${invitationJobKeyPrefix(userId)}${deps.clock.now().toISOString()}`,
    maxAttempts: INVITATION_MAX_ATTEMPTS,
  });
}

/** Emails an invited account a fresh link (the previous links stop working). */
export async function sendInvitation(deps: AccountsDeps, userId: string, locale: Locale, invitation?: StaffInvitation): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.status !== 'invited') throw new AppError('conflict', 'accounts.notInvited');
  await mailInvitation(deps, user, locale, invitation);
}

async function mailInvitation(deps: AccountsDeps, user: UserRow, locale: Locale, invitation?: StaffInvitation): Promise<void> {
  const token = await issueToken(deps, user.id, 'invite');
  const settings = await deps.settings.get();
  const mail = inviteMail(
    {
      locale,
      networkName: settings.networkName,
      link: `${deps.config.baseUrl}/invitation/${token}`,
      name: user.display_name,
    },
    invitation,
  );
  await deps.mail.send({ to: user.email, ...mail });
}

/**
 * The invitation job's handler. An account no longer waiting for its invitation (activated,
 * deactivated, erased, deleted) ends the job quietly. Otherwise a fresh token is drawn and the
 * email sent; when the mail server fails, the job is retried with another token (the one before
 * was never delivered). A retry after a send whose acknowledgement was lost may mail the person
 * twice: the later link is the one that works.
 */
export async function sendQueuedInvitation(deps: AccountsDeps, payload: InvitationJobPayload): Promise<void> {
  const user = await findUserById(deps.db, payload.userId);
  if (!user || user.status !== 'invited' || isErasedAccount(user)) return;
  const locale = isLocale(payload.locale) ? payload.locale : isLocale(user.locale) ? user.locale : 'fr';
  let invitation: StaffInvitation | undefined;
  if (payload.byStaff) {
    const inviter = await findUserById(deps.db, payload.byStaff.inviterId);
    // An inviter since erased is not named: the mail then reads as the network's own.
    if (inviter && !isErasedAccount(inviter)) invitation = { inviter: inviter.display_name, ...(payload.byStaff.organisation ? { organisation: payload.byStaff.organisation } : {}) };
  }
  await mailInvitation(deps, user, locale, invitation);
}

export function defineAccountJobs(jobs: Jobs, kernel: Kernel): void {
  jobs.define<InvitationJobPayload>({ name: INVITATION_JOB, maxAttempts: INVITATION_MAX_ATTEMPTS, handler: (payload) => sendQueuedInvitation(kernel, payload) });
}

/**
 * Where the invitation email queued for an account stands, for staff: on its way (`queued`), not
 * sent yet and tried again at `at` (`retrying`), sent at `at`, or given up at `at` (`failed`: staff
 * send it again). Null when no queued invitation is known (none, sent by hand, or long ago).
 */
export type InvitationState = { kind: 'queued' } | { kind: 'retrying' | 'sent' | 'failed'; at: string };

export async function invitationState(deps: Pick<AccountsDeps, 'db'>, userId: string): Promise<InvitationState | null> {
  const job = await latestInvitationJob(deps.db, INVITATION_JOB, invitationJobKeyPrefix(userId));
  if (!job) return null;
  if (job.status === 'done') return { kind: 'sent', at: job.finished_at ?? job.run_at };
  if (job.status === 'failed') return { kind: 'failed', at: job.finished_at ?? job.run_at };
  if (job.status === 'queued' && job.attempts > 0) return { kind: 'retrying', at: job.run_at };
  return { kind: 'queued' };
}

/**
 * Staff send the invitation again, at once: a fresh link, the previous ones void. Once it went,
 * the account's queued invitation jobs are dropped (one waiting would mail a second link, one that
 * failed no longer says where the invitation stands).
 */
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
  await deleteInvitationJobs(deps.db, INVITATION_JOB, invitationJobKeyPrefix(user.id));
  await recordAudit(deps.db, actor, { action: 'user.invitation_resent', entityType: 'user', entityId: user.id }, deps.clock.now());
}
