import { findUserByEmail, findUserById } from '../../kernel/auth/repo.js';
import type { Kernel } from '../../kernel/http/types.js';
import { isLocale, type Locale, translator } from '../../kernel/i18n/index.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { accountRejectedMail, decisionMail } from './mails.js';
import { addressOf, toRecord } from './proposal-record.js';
import { moderatedEntity, type ModerationDeps, type ProposalRecord } from './registry.js';
import * as repo from './repo.js';

/** The job that tells a proposer what staff decided about their proposal (decision 0031). */
export const PROPOSAL_DECISION_JOB = 'moderation.decision';
/** The job that tells a person their account request was refused (decision 0031). */
export const ACCOUNT_REJECTION_JOB = 'moderation.accountRejection';

/** As many attempts as an invitation's: the backoff (5 s doubling up to an hour) outlasts an SMTP outage of a few hours. */
const DECISION_MAIL_ATTEMPTS = 12;

/**
 * A decision's email waiting in the job queue: ids and staff's message, never an address nor a
 * name (read when it goes, so an erasure in between is respected).
 */
export interface ProposalDecisionPayload {
  proposalId: string;
  decision: 'approved' | 'rejected';
  message: string | null;
}

/** `proposalId`: the new organisation refused with the request, which the email names. */
export interface AccountRejectionPayload {
  requestId: string;
  message: string;
  proposalId?: string;
}

type Queueing = { jobs: Pick<Jobs, 'enqueue'> };

/**
 * Queues the email announcing a decision to the proposer: `queued`, or `none` when the proposal
 * holds no address (its proposer was erased) and nobody can be told. `deps.jobs` must queue in
 * the decision's transaction (`queueingIn`): the job exists if and only if the decision commits.
 */
export async function queueDecisionMail(deps: Queueing, proposal: ProposalRecord, decision: 'approved' | 'rejected', message: string | null): Promise<'queued' | 'none'> {
  if (!addressOf(proposal)) return 'none';
  const payload: ProposalDecisionPayload = { proposalId: proposal.id, decision, message };
  // A proposal is decided once: one email.
  await deps.jobs.enqueue(PROPOSAL_DECISION_JOB, payload, { idempotencyKey: `${PROPOSAL_DECISION_JOB}:${proposal.id}`, maxAttempts: DECISION_MAIL_ATTEMPTS });
  return 'queued';
}

/** Queues the email of a refused account request, in the refusal's transaction (see `queueDecisionMail`). */
export async function queueAccountRejectionMail(deps: Queueing, requestId: string, message: string, proposalId: string | null): Promise<void> {
  const payload: AccountRejectionPayload = proposalId ? { requestId, message, proposalId } : { requestId, message };
  await deps.jobs.enqueue(ACCOUNT_REJECTION_JOB, payload, { idempotencyKey: `${ACCOUNT_REJECTION_JOB}:${requestId}`, maxAttempts: DECISION_MAIL_ATTEMPTS });
}

async function proposerLocale(deps: Pick<ModerationDeps, 'db'>, proposal: ProposalRecord): Promise<Locale> {
  if (!proposal.proposerUserId) return 'fr';
  const user = await findUserById(deps.db, proposal.proposerUserId);
  return user && isLocale(user.locale) ? user.locale : 'fr';
}

/**
 * The decision job's handler: renders the email when it goes, in the proposer's language, to the
 * address the proposal holds then. A proposal gone, no longer so decided, or whose proposer was
 * erased in between ends the job quietly; a mail server that fails makes it try again.
 */
export async function sendDecisionMail(deps: ModerationDeps, payload: ProposalDecisionPayload): Promise<void> {
  const row = await repo.findProposal(deps.db, payload.proposalId);
  if (!row || row.status !== payload.decision) return;
  const proposal = toRecord(row);
  const to = addressOf(proposal);
  const entity = moderatedEntity(proposal.entityType);
  if (!to || !entity) return;
  const locale = await proposerLocale(deps, proposal);
  const t = translator(locale);
  // Once approved, the proposal knows its record (a new one's id included): the record as it is, its page.
  const recordId = payload.decision === 'approved' ? proposal.entityId : null;
  const values = (recordId ? await entity.load(recordId, deps) : undefined) ?? proposal.payload;
  const href = recordId && entity.publicHref ? await entity.publicHref(recordId, deps) : null;
  const settings = await deps.settings.get();
  const mail = decisionMail({
    locale,
    networkName: settings.networkName,
    name: proposal.proposerName ?? to,
    title: entity.title?.(values) ?? t(entity.labelKey),
    kind: t(entity.labelKey),
    type: entity.type,
    // Only a proposed new record has no base (the record's values when the proposal was made).
    isNew: proposal.base === null,
    decision: payload.decision,
    message: payload.message,
    link: href ? `${deps.config.baseUrl}${href}` : null,
  });
  await deps.mail.send({ to, ...mail });
}

/**
 * The account refusal job's handler: one email that tells the person their request, and the
 * organisation they proposed with it, were refused, with staff's message. A request gone (erased)
 * or no longer refused ends the job quietly. In the language of an account the address has, if
 * any: a request itself records none.
 */
export async function sendAccountRejectionMail(deps: ModerationDeps, payload: AccountRejectionPayload): Promise<void> {
  const request = await repo.findAccountRequest(deps.db, payload.requestId);
  if (!request || request.status !== 'rejected') return;
  const proposal = payload.proposalId ? await repo.findProposal(deps.db, payload.proposalId) : undefined;
  const account = await findUserByEmail(deps.db, request.email);
  const settings = await deps.settings.get();
  const mail = accountRejectedMail({
    locale: account && isLocale(account.locale) ? account.locale : 'fr',
    networkName: settings.networkName,
    name: request.name,
    message: payload.message,
    proposal: proposal ? String(toRecord(proposal).payload['name'] ?? '') : null,
  });
  await deps.mail.send({ to: request.email, ...mail });
}

/** Registers the decision emails' jobs (web process and worker alike). */
export function defineDecisionMailJobs(jobs: Jobs, kernel: Kernel): void {
  jobs.define<ProposalDecisionPayload>({ name: PROPOSAL_DECISION_JOB, maxAttempts: DECISION_MAIL_ATTEMPTS, handler: (payload) => sendDecisionMail(kernel, payload) });
  jobs.define<AccountRejectionPayload>({ name: ACCOUNT_REJECTION_JOB, maxAttempts: DECISION_MAIL_ATTEMPTS, handler: (payload) => sendAccountRejectionMail(kernel, payload) });
}
