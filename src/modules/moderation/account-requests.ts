import { recordAudit } from '../../kernel/audit/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import type { Kernel } from '../../kernel/http/types.js';
import { isLocale, type Locale } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { queueingIn } from '../../kernel/jobs/index.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { inviteUserQueued, queueInvitation } from '../accounts/index.js';
import { findOrganisationById, linkUserToOrganisation } from '../organisations/index.js';
import { queueAccountRejectionMail } from './decision-mails.js';
import { type DuplicateOverride, recordDuplicateOverride } from './duplicate-check.js';
import { toRecord } from './proposal-record.js';
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

/**
 * `invited`: an invitation email was queued (a new account, or one still waiting for its first
 * password); false for an account that was active already, which gets no email.
 */
export type AccountDecision =
  | { ok: true; userId: string; invited: boolean; organisationId: string | null }
  | { ok: false; reason: 'decided' | 'proposal_rejected' | 'not_found' };

/**
 * Approves a request: an invitation to a member account (or the existing account) linked to the
 * organisation — or, for a proposed organisation not approved yet, linked once it is.
 *
 * The decision, the account and its log line, the organisation link, the decision's log line and
 * the invitation email's job are one transaction: when any of it fails, nothing stays and the
 * request waits again. The email is not sent here: the job worker sends it (and retries it), so
 * staff never wait on the mail server, and the job exists if and only if the approval commits.
 * The job draws the link's token when it sends (only its hash is stored).
 */
export async function approveAccountRequest(deps: AccountRequestDeps, actor: CurrentUser & { ip?: string }, id: string, locale: Locale): Promise<AccountDecision> {
  // Inside the transaction only `trx` may be used (SQLite has one connection), jobs included.
  return inTransaction(deps.db, (trx) => approveIn({ ...deps, db: trx, jobs: queueingIn(deps.jobs, trx) }, actor, id, locale));
}

async function approveIn(deps: AccountRequestDeps, actor: CurrentUser & { ip?: string }, id: string, locale: Locale): Promise<AccountDecision> {
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
  const existing = await findUserByEmail(deps.db, request.email);
  let userId: string;
  let invited: boolean;
  if (existing) {
    userId = existing.id;
    // An account still waiting for its first password gets a fresh link: the one it had may have expired.
    invited = existing.status === 'invited';
    if (invited) await queueInvitation(deps, existing.id, isLocale(existing.locale) ? existing.locale : locale);
  } else {
    const result = await inviteUserQueued(deps, actor, { email: request.email, displayName: request.name, role: 'member', locale });
    // The address was free a moment ago, in this same transaction.
    if (!result.ok) throw new Error(`account request ${id}: the invitation was refused (${result.error})`);
    userId = result.userId;
    invited = true;
  }
  if (organisationId) {
    await repo.setRequestOrganisation(deps.db, id, organisationId);
    await linkUserToOrganisation(deps.db, userId, organisationId, now.toISOString());
  }
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'account_request.approved',
      entityType: 'account_request',
      entityId: id,
      before: { status: 'pending' },
      after: { status: 'approved', user_id: userId, organisation_id: organisationId, invited },
    },
    now,
  );
  return { ok: true, userId, invited, organisationId };
}

/** A refusal once committed: `proposal`, the name of the proposed organisation refused with the request (null when none). */
export type AccountRejection = { ok: true; proposal: string | null } | { ok: false; reason: 'decided' | 'not_found' };

/**
 * Declines a request with a message for the person. A new organisation proposed with the request
 * and still waiting is refused with it, with the same message: its proposer is the person refused,
 * and an organisation accepted later would contradict the refusal (« acceptée » after « refusée »).
 * The decisions, their log lines and the job of the one email that tells both are one
 * transaction: when any of it fails, nothing stays and the request waits again. The job worker
 * sends the email (and tries again while the mail server fails): staff never wait on it.
 */
export async function rejectAccountRequest(deps: AccountRequestDeps, actor: { id: string; email: string; ip?: string }, id: string, message: string): Promise<AccountRejection> {
  return inTransaction(deps.db, async (trx): Promise<AccountRejection> => {
    const request = await repo.findAccountRequest(trx, id);
    if (!request) return { ok: false, reason: 'not_found' };
    const now = deps.clock.now();
    if (!(await repo.decideAccountRequest(trx, id, { status: 'rejected', decidedBy: actor.id, at: now.toISOString(), message }))) {
      return { ok: false, reason: 'decided' };
    }
    await recordAudit(
      trx,
      actor,
      { action: 'account_request.rejected', entityType: 'account_request', entityId: id, before: { status: 'pending' }, after: { status: 'rejected', message } },
      now,
    );
    const proposal = await rejectProposalOfRequest(trx, actor, request, message, now);
    // Queued in the transaction: on SQLite, a job queued on the outer connection would wait for it forever.
    await queueAccountRejectionMail({ jobs: queueingIn(deps.jobs, trx) }, id, message, proposal?.id ?? null);
    return { ok: true, proposal: proposal?.name ?? null };
  });
}

/**
 * Refuses, with the request, the new organisation it proposed when that still waits; returns it
 * (null when there was none, or it was decided already: an organisation accepted stays).
 */
async function rejectProposalOfRequest(
  trx: AccountRequestDeps['db'],
  actor: { id: string; email: string; ip?: string },
  request: repo.AccountRequestRow,
  message: string,
  now: Date,
): Promise<{ id: string; name: string } | null> {
  if (!request.proposal_id) return null;
  const proposal = await repo.findProposal(trx, request.proposal_id);
  if (proposal?.status !== 'pending') return null;
  if (!(await repo.decideProposal(trx, proposal.id, { status: 'rejected', decidedBy: actor.id, at: now.toISOString(), message }))) return null;
  await recordAudit(
    trx,
    actor,
    { action: 'proposal.rejected', entityType: 'proposal', entityId: proposal.id, before: { status: 'pending' }, after: { status: 'rejected', message, account_request_id: request.id } },
    now,
  );
  return { id: proposal.id, name: String(toRecord(proposal).payload['name'] ?? '') };
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
