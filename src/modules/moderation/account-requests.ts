import { recordAudit } from '../../kernel/audit/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { AfterCommitError, afterCommit, inTransaction } from '../../kernel/db/transaction.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { inviteUser } from '../accounts/index.js';
import { findOrganisationById, linkUserToOrganisation } from '../organisations/index.js';
import { type DuplicateOverride, recordDuplicateOverride } from './duplicate-check.js';
import { accountRejectedMail } from './mails.js';
import { propose } from './proposals.js';
import type { EntityValues } from './registry.js';
import * as repo from './repo.js';

export type AccountRequestDeps = Pick<Kernel, 'db' | 'dbHandle' | 'clock' | 'jobs' | 'mail' | 'settings' | 'config'>;

/** Stores a request for a member account, for a directory organisation or a proposed new one. */
export async function submitAccountRequest(
  deps: AccountRequestDeps,
  input: {
    name: string;
    email: string;
    organisationId: string | null;
    newOrganisation: EntityValues | null;
    message: string | null;
    ip: string;
    /** The likely duplicates of the new organisation the person was shown and said were other organisations. */
    duplicatesOverridden?: DuplicateOverride | null;
  },
): Promise<string> {
  const now = deps.clock.now();
  let proposalId: string | null = null;
  if (input.newOrganisation) {
    const result = await propose(deps, {
      type: 'organisation',
      entityId: null,
      payload: input.newOrganisation,
      proposer: { userId: null, name: input.name, email: input.email, ip: input.ip },
    });
    if (result.ok) proposalId = result.id;
    if (result.ok && input.duplicatesOverridden) await recordDuplicateOverride(deps, { id: null, email: input.email, ip: input.ip }, result.id, input.duplicatesOverridden);
  }
  const id = newId(now.getTime());
  await repo.insertAccountRequest(deps.db, {
    id,
    name: input.name,
    email: input.email,
    organisation_id: input.organisationId,
    proposal_id: proposalId,
    message: input.message,
    status: 'pending',
    decided_by: null,
    decided_at: null,
    created_at: now.toISOString(),
  });
  await recordAudit(
    deps.db,
    { id: null, email: input.email, ip: input.ip },
    { action: 'account_request.created', entityType: 'account_request', entityId: id, after: { name: input.name, email: input.email, organisation_id: input.organisationId, proposal_id: proposalId } },
    now,
  );
  return id;
}

export type AccountDecision =
  | { ok: true; userId: string; invited: boolean; organisationId: string | null }
  | { ok: false; reason: 'decided' | 'proposal_rejected' | 'not_found' };

/**
 * Approves a request: an invitation to a member account (or the existing account) linked to the
 * organisation — or, for a proposed organisation not approved yet, linked once it is.
 */
export async function approveAccountRequest(deps: AccountRequestDeps, actor: CurrentUser & { ip?: string }, id: string, locale: Locale): Promise<AccountDecision> {
  const request = await repo.findAccountRequest(deps.db, id);
  if (!request) return { ok: false, reason: 'not_found' };
  if (request.status !== 'pending') return { ok: false, reason: 'decided' };
  let organisationId = request.organisation_id;
  if (!organisationId && request.proposal_id) {
    const proposal = await repo.findProposal(deps.db, request.proposal_id);
    if (proposal?.status === 'rejected') return { ok: false, reason: 'proposal_rejected' };
    if (proposal?.status === 'approved') organisationId = proposal.entity_id;
  }
  if (organisationId && !(await findOrganisationById(deps.db, organisationId))) organisationId = null;
  const now = deps.clock.now();
  if (!(await repo.decideAccountRequest(deps.db, id, { status: 'approved', decidedBy: actor.id, at: now.toISOString() }))) {
    return { ok: false, reason: 'decided' };
  }
  let user = await findUserByEmail(deps.db, request.email);
  let invited = false;
  if (!user) {
    const result = await inviteUser(deps, actor, { email: request.email, displayName: request.name, role: 'member', locale });
    if (result.ok) invited = true;
    user = await findUserByEmail(deps.db, request.email);
  }
  if (!user) {
    await repo.reopenAccountRequest(deps.db, id);
    return { ok: false, reason: 'not_found' };
  }
  if (organisationId) {
    await repo.setRequestOrganisation(deps.db, id, organisationId);
    await linkUserToOrganisation(deps.db, user.id, organisationId, now.toISOString());
  }
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'account_request.approved',
      entityType: 'account_request',
      entityId: id,
      before: { status: 'pending' },
      after: { status: 'approved', user_id: user.id, organisation_id: organisationId, invited },
    },
    now,
  );
  return { ok: true, userId: user.id, invited, organisationId };
}

/**
 * Declines a request with a message emailed to the person. The decision and its log line are one
 * transaction; the email follows the commit: when it fails, the refusal stands and an
 * AfterCommitError carries this function's result (`mailFailed`).
 */
export async function rejectAccountRequest(
  deps: AccountRequestDeps,
  actor: { id: string; email: string; ip?: string },
  id: string,
  message: string,
): Promise<{ ok: true; mailFailed: boolean } | { ok: false; reason: 'decided' | 'not_found' }> {
  try {
    return await inTransaction(deps.db, async (trx) => {
      const request = await repo.findAccountRequest(trx, id);
      if (!request) return { ok: false, reason: 'not_found' } as const;
      const now = deps.clock.now();
      if (!(await repo.decideAccountRequest(trx, id, { status: 'rejected', decidedBy: actor.id, at: now.toISOString(), message }))) {
        return { ok: false, reason: 'decided' } as const;
      }
      await recordAudit(
        trx,
        actor,
        { action: 'account_request.rejected', entityType: 'account_request', entityId: id, before: { status: 'pending' }, after: { status: 'rejected', message } },
        now,
      );
      // Once committed, with the outer connection: the transaction's is gone by then.
      await afterCommit(
        trx,
        async () => {
          const settings = await deps.settings.get();
          const mail = accountRejectedMail({ locale: 'fr', networkName: settings.networkName, name: request.name, message });
          await deps.mail.send({ to: request.email, ...mail });
        },
        'moderation.flash.accountRejectionEmailFailed',
      );
      return { ok: true, mailFailed: false } as const;
    });
  } catch (error) {
    throw error instanceof AfterCommitError ? new AfterCommitError({ ok: true, mailFailed: true }, error.failures) : error;
  }
}

/**
 * Links an account to the organisations of its approved requests (safety net for the first
 * sign-in: e.g. an invitation accepted after the organisation was merged or re-created).
 */
export async function linkApprovedRequests(deps: Pick<Kernel, 'db' | 'clock'>, user: { id: string; email: string }): Promise<number> {
  const requests = await repo.approvedRequestsOfEmail(deps.db, user.email);
  const at = deps.clock.now().toISOString();
  let linked = 0;
  for (const r of requests) {
    if (r.organisation_id && (await findOrganisationById(deps.db, r.organisation_id))) {
      await linkUserToOrganisation(deps.db, user.id, r.organisation_id, at);
      linked++;
    }
  }
  return linked;
}
