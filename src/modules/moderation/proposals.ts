import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type AuditActor } from '../../kernel/audit/index.js';
import { AfterCommitError, inTransaction } from '../../kernel/db/transaction.js';
import { queueingIn } from '../../kernel/jobs/index.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { queueDecisionMail } from './decision-mails.js';
import { changedFields, mergedValues, proposalDiff, type DiffRow } from './diff.js';
import { type DuplicateOverride, recordDuplicateOverride } from './duplicate-check.js';
import { toRecord } from './proposal-record.js';
import {
  type EntityValues,
  type ModeratedEntity,
  moderatedEntity,
  type ModerationDeps,
  ProposalInvalidError,
  ProposalNotAppliedError,
  type ProposalRecord,
} from './registry.js';
import * as repo from './repo.js';

export { toRecord } from './proposal-record.js';

export interface Proposer {
  userId: string | null;
  name: string;
  email: string;
  ip?: string | null;
}

export function entityOf(type: string): ModeratedEntity {
  const entity = moderatedEntity(type);
  if (!entity) throw new Error(`No moderated entity of type ${type}`);
  return entity;
}

export type ProposeResult = { ok: true; id: string; updated: boolean } | { ok: false; reason: 'unchanged' | 'gone' };

type ProposeInput = { type: string; entityId: string | null; payload: EntityValues; proposer: Proposer };

/**
 * Stores a proposal (a change of `entityId`, or a new record when null) with the record's values at
 * that time (`base`) for the diff. A proposer's new edit of a record replaces their pending one.
 * The proposal (or its new payload) and its log line are one transaction: when the database refuses
 * either, nothing stays, and the same form may be sent again without leaving a duplicate.
 */
export async function propose(deps: ModerationDeps, input: ProposeInput): Promise<ProposeResult> {
  // Inside the transaction only `trx` may be used: SQLite has one connection.
  return inTransaction(deps.db, (trx) => proposeIn({ ...deps, db: trx }, input));
}

async function proposeIn(deps: ModerationDeps, input: ProposeInput): Promise<ProposeResult> {
  const entity = entityOf(input.type);
  const now = deps.clock.now();
  const actor: AuditActor = { id: input.proposer.userId, email: input.proposer.email, ip: input.proposer.ip ?? null };
  let base: EntityValues | null = null;
  if (input.entityId) {
    const current = await entity.load(input.entityId, deps);
    if (!current) return { ok: false, reason: 'gone' };
    const pending = input.proposer.userId ? await repo.findPendingProposalOf(deps.db, input.type, input.entityId, input.proposer.userId) : undefined;
    if (pending) {
      const record = toRecord(pending);
      await repo.updateProposalPayload(deps.db, pending.id, JSON.stringify(input.payload));
      await recordAudit(deps.db, actor, { action: 'proposal.updated', entityType: 'proposal', entityId: pending.id, before: record.payload, after: input.payload }, now);
      return { ok: true, id: pending.id, updated: true };
    }
    if (changedFields(entity, current, input.payload).length === 0) return { ok: false, reason: 'unchanged' };
    base = current;
  }
  const id = newId(now.getTime());
  await repo.insertProposal(deps.db, {
    id,
    entity_type: input.type,
    entity_id: input.entityId,
    status: 'pending',
    payload: JSON.stringify(input.payload),
    base: base ? JSON.stringify(base) : null,
    proposer_user_id: input.proposer.userId,
    proposer_name: input.proposer.name,
    proposer_email: input.proposer.email,
    message: null,
    decided_by: null,
    decided_at: null,
    created_at: now.toISOString(),
  });
  await recordAudit(
    deps.db,
    actor,
    { action: 'proposal.created', entityType: 'proposal', entityId: id, after: { entity_type: input.type, entity_id: input.entityId, payload: input.payload } },
    now,
  );
  return { ok: true, id, updated: false };
}

export interface ProposalView {
  proposal: ProposalRecord;
  entity: ModeratedEntity;
  /** The record now (null for a new one, or when it was deleted). */
  current: EntityValues | null;
  diff: DiffRow[];
  /** What approving as is would write. */
  merged: EntityValues;
}

export async function loadProposal(deps: ModerationDeps, id: string): Promise<ProposalView> {
  const row = await repo.findProposal(deps.db, id);
  if (!row) throw new AppError('not_found');
  const proposal = toRecord(row);
  const entity = moderatedEntity(proposal.entityType);
  if (!entity) throw new AppError('not_found');
  const current = proposal.entityId && proposal.status === 'pending' ? ((await entity.load(proposal.entityId, deps)) ?? null) : null;
  return {
    proposal,
    entity,
    current,
    diff: proposalDiff(entity, proposal.base, proposal.payload, current),
    merged: mergedValues(entity, proposal.base, proposal.payload, current),
  };
}

export interface StaffActor {
  id: string;
  email: string;
  ip?: string | null;
}

/**
 * What became of the email announcing a decision to the proposer: `queued` in the decision's
 * transaction (the job worker sends it, and tries again while the mail server fails); `none` when
 * the proposal holds no address to write to (its proposer was erased): nobody is told.
 */
export type DecisionMail = 'queued' | 'none';

export type DecisionResult = { ok: true; entityId?: string; mail: DecisionMail } | { ok: false; reason: 'decided' };

/**
 * The kernel services a decision's writes use: its database is the decision's transaction, and so
 * is each job queued (by the record's module, or the email to the proposer): it exists if and only
 * if the decision commits (on SQLite, a job queued on the outer connection would wait for the
 * transaction forever).
 */
function depsIn(deps: ModerationDeps, trx: Transaction<Database>): ModerationDeps {
  return { ...deps, db: trx, jobs: queueingIn(deps.jobs, trx) };
}

/**
 * Approves a proposal, as it is or as staff edited it (`edited`, already validated): the record
 * gets the proposed changes on top of its current values; the email to the proposer is queued
 * (when the proposal still holds their address: else `mail: 'none'`); the decision is audit-logged
 * (the record's own change is logged by its module with before/after).
 *
 * The decision, the record's writes (and their log lines), the decision's log line, what follows
 * it (`afterApproval`) and the jobs (the record module's, the proposer's email) are one
 * transaction. When any of it fails, nothing stays, the proposal waits again, and every failure
 * but the two that staff act on (ProposalInvalidError: edit the values; AppError: the record is
 * gone) becomes a ProposalNotAppliedError, here for every kind of record, so that staff read why
 * in French and may try again. What the record's module leaves to `afterCommit` (a replaced file
 * removed from disk) follows the commit: when it fails, the approval stands and an
 * AfterCommitError carries this function's result and the failures.
 */
export async function approveProposal(
  deps: ModerationDeps,
  actor: StaffActor,
  id: string,
  options: ApproveOptions = {},
): Promise<DecisionResult> {
  let change = false;
  try {
    return await inTransaction(deps.db, async (trx) => {
      const inside = depsIn(deps, trx);
      const view = await loadProposal(inside, id);
      change = view.proposal.entityId !== null;
      return approveIn(inside, actor, view, options);
    });
  } catch (error) {
    // Committed: only what followed the commit failed (its result is this function's).
    if (error instanceof AfterCommitError) throw error;
    if (error instanceof ProposalInvalidError || error instanceof AppError) throw error;
    throw new ProposalNotAppliedError(error, change);
  }
}

export interface ApproveOptions {
  /** Staff's values (edit then approve), already validated. */
  edited?: EntityValues;
  message?: string | null;
  /** The existing organisations staff were shown and said are other ones: recorded with the decision. */
  duplicatesOverridden?: DuplicateOverride | null;
}

/** `approveProposal` inside its transaction (`deps.db`, `deps.jobs`): every write of the approval, nothing else. */
async function approveIn(deps: ModerationDeps, actor: StaffActor, view: ProposalView, options: ApproveOptions): Promise<DecisionResult> {
  const { proposal, entity } = view;
  if (proposal.status !== 'pending') return { ok: false, reason: 'decided' };
  if (proposal.entityId && !view.current) throw new AppError('conflict', 'moderation.error.gone');
  const now = deps.clock.now();
  const message = options.message?.trim() || null;
  if (!(await repo.decideProposal(deps.db, proposal.id, { status: 'approved', decidedBy: actor.id, at: now.toISOString(), message }))) {
    return { ok: false, reason: 'decided' };
  }
  const values = options.edited ?? view.merged;
  const entityId = await entity.apply(values, actor, proposal, deps);
  await repo.finishApproval(deps.db, proposal.id, entityId, JSON.stringify(options.edited ?? proposal.payload));
  await recordAudit(
    deps.db,
    actor,
    {
      action: options.edited ? 'proposal.approved_with_edits' : 'proposal.approved',
      entityType: 'proposal',
      entityId: proposal.id,
      before: { status: 'pending', payload: proposal.payload },
      after: { status: 'approved', entity_type: proposal.entityType, entity_id: entityId, values, message },
    },
    now,
  );
  if (options.duplicatesOverridden) await recordDuplicateOverride(deps, actor, proposal.id, options.duplicatesOverridden);
  await entity.afterApproval?.({ ...proposal, entityId, status: 'approved' }, entityId, deps);
  const mail = await queueDecisionMail(deps, proposal, 'approved', message);
  return { ok: true, entityId, mail };
}

/**
 * Rejects a proposal with a message for the proposer. The decision, its log line and the job that
 * emails the message (when the proposal still holds their address: else `mail: 'none'`, nobody is
 * told) are one transaction: when any of it fails, nothing stays and the proposal waits again.
 */
export async function rejectProposal(deps: ModerationDeps, actor: StaffActor, id: string, message: string): Promise<DecisionResult> {
  return inTransaction(deps.db, async (trx): Promise<DecisionResult> => {
    const inside = depsIn(deps, trx);
    const { proposal } = await loadProposal(inside, id);
    if (proposal.status !== 'pending') return { ok: false, reason: 'decided' };
    const now = deps.clock.now();
    if (!(await repo.decideProposal(trx, id, { status: 'rejected', decidedBy: actor.id, at: now.toISOString(), message }))) {
      return { ok: false, reason: 'decided' };
    }
    await recordAudit(
      trx,
      actor,
      { action: 'proposal.rejected', entityType: 'proposal', entityId: id, before: { status: 'pending' }, after: { status: 'rejected', message } },
      now,
    );
    return { ok: true, mail: await queueDecisionMail(inside, proposal, 'rejected', message) };
  });
}

/** Counts of what waits for staff: proposals per type and account requests. */
export async function pendingModerationCounts(db: ModerationDeps['db']): Promise<{ total: number; proposals: Record<string, number>; accountRequests: number }> {
  const [proposals, accountRequests] = await Promise.all([repo.countProposalsByType(db, 'pending'), repo.countAccountRequests(db, 'pending')]);
  const total = Object.values(proposals).reduce((a, b) => a + b, 0) + accountRequests;
  return { total, proposals, accountRequests };
}
