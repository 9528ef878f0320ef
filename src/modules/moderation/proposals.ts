import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type AuditActor } from '../../kernel/audit/index.js';
import { AfterCommitError, afterCommit, inTransaction } from '../../kernel/db/transaction.js';
import { queueingIn } from '../../kernel/jobs/index.js';
import { findUserById } from '../../kernel/auth/repo.js';
import { AppError } from '../../kernel/errors.js';
import { isLocale, type Locale, translator } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { changedFields, mergedValues, proposalDiff, type DiffRow } from './diff.js';
import { type DuplicateOverride, recordDuplicateOverride } from './duplicate-check.js';
import { decisionMail } from './mails.js';
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

export interface Proposer {
  userId: string | null;
  name: string;
  email: string;
  ip?: string | null;
}

function parse(json: string | null): EntityValues | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as EntityValues) : null;
  } catch {
    return null;
  }
}

export function toRecord(row: repo.ProposalRow): ProposalRecord {
  return {
    id: row.id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    status: row.status,
    payload: parse(row.payload) ?? {},
    base: parse(row.base),
    proposerUserId: row.proposer_user_id,
    proposerName: row.proposer_name,
    proposerEmail: row.proposer_email,
    message: row.message,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
  };
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
 * What became of the email announcing a decision to the proposer: `sent`; `failed` (the decision
 * stands, staff were warned); `none` when the proposal holds no address to write to (its proposer
 * was erased): nobody was told.
 */
export type DecisionMail = 'sent' | 'failed' | 'none';

export type DecisionResult = { ok: true; entityId?: string; mail: DecisionMail } | { ok: false; reason: 'decided' };

/** What staff read when the email announcing a decision could not be sent, the decision standing. */
const NOT_MAILED = { approved: 'moderation.flash.approvalEmailFailed', rejected: 'moderation.flash.rejectionEmailFailed' } as const;

/**
 * The decision once committed. When its follow-ups failed (AfterCommitError: the email, a file
 * left on disk…), the same failures with the decision as their result, for the route to go on.
 */
function decided(error: AfterCommitError, decision: 'approved' | 'rejected', mail: DecisionMail, entityId?: string): AfterCommitError {
  const failed = error.failures.some((f) => f.warning === NOT_MAILED[decision]);
  const result: DecisionResult = { ok: true, entityId, mail: failed ? 'failed' : mail };
  return new AfterCommitError(result, error.failures);
}

/** The proposer's address, when the proposal still holds one (an erased proposer's is gone). */
function addressOf(proposal: ProposalRecord): string | null {
  return proposal.proposerEmail?.trim() || null;
}

async function proposerLocale(deps: ModerationDeps, proposal: ProposalRecord): Promise<Locale> {
  if (!proposal.proposerUserId) return 'fr';
  const user = await findUserById(deps.db, proposal.proposerUserId);
  return user && isLocale(user.locale) ? user.locale : 'fr';
}

async function notifyProposer(deps: ModerationDeps, proposal: ProposalRecord, entity: ModeratedEntity, decision: 'approved' | 'rejected', message: string | null, values: EntityValues, entityId: string | null) {
  const to = addressOf(proposal);
  if (!to) return;
  const locale = await proposerLocale(deps, proposal);
  const t = translator(locale);
  const settings = await deps.settings.get();
  const href = decision === 'approved' && entityId && entity.publicHref ? await entity.publicHref(entityId, deps) : null;
  const mail = decisionMail({
    locale,
    networkName: settings.networkName,
    name: proposal.proposerName ?? to,
    title: entity.title?.(values) ?? t(entity.labelKey),
    kind: t(entity.labelKey),
    type: entity.type,
    // The proposal as it was sent: a new record has no id until its approval.
    isNew: proposal.entityId === null,
    decision,
    message,
    link: href ? `${deps.config.baseUrl}${href}` : null,
  });
  await deps.mail.send({ to, ...mail });
}

/**
 * The kernel services an approval passes to the record's module: its database is the approval's
 * transaction, and so is each job the module queues (it exists if and only if the approval commits;
 * on SQLite, a job queued on the outer connection would wait for the transaction forever).
 */
function depsIn(deps: ModerationDeps, trx: Transaction<Database>): ModerationDeps {
  return { ...deps, db: trx, jobs: queueingIn(deps.jobs, trx) };
}

/**
 * Approves a proposal, as it is or as staff edited it (`edited`, already validated): the record
 * gets the proposed changes on top of its current values; the proposer is emailed (when the
 * proposal still holds their address: else `mail: 'none'`); the decision
 * is audit-logged (the record's own change is logged by its module with before/after).
 *
 * The decision, the record's writes (and their log lines), the decision's log line and what
 * follows it (`afterApproval`) are one transaction. When any of it fails, nothing stays, the
 * proposal waits again, and every failure but the two that staff act on (ProposalInvalidError:
 * edit the values; AppError: the record is gone) becomes a ProposalNotAppliedError, here for every
 * kind of record, so that staff read why in French and may try again. The email to the proposer
 * and what the record's module leaves to `afterCommit` follow the commit: when one fails, the
 * approval stands and an AfterCommitError carries this function's result and the failures.
 */
export async function approveProposal(
  deps: ModerationDeps,
  actor: StaffActor,
  id: string,
  options: ApproveOptions = {},
): Promise<DecisionResult> {
  let done: Approved | { ok: false; reason: 'decided' };
  let change = false;
  try {
    done = await inTransaction(deps.db, async (trx) => {
      const inside = depsIn(deps, trx);
      const view = await loadProposal(inside, id);
      change = view.proposal.entityId !== null;
      const approved = await approveIn(inside, actor, view, options);
      if (approved.ok && addressOf(approved.proposal)) {
        // Once committed, with the outer connection: the transaction's is gone by then.
        const { proposal, entity, message, values, entityId } = approved;
        await afterCommit(trx, () => notifyProposer(deps, proposal, entity, 'approved', message, values, entityId), NOT_MAILED.approved);
      }
      return approved;
    });
  } catch (error) {
    if (error instanceof AfterCommitError) {
      const approved = error.result as Approved;
      throw decided(error, 'approved', addressOf(approved.proposal) ? 'sent' : 'none', approved.entityId);
    }
    if (error instanceof ProposalInvalidError || error instanceof AppError) throw error;
    throw new ProposalNotAppliedError(error, change);
  }
  if (!done.ok) return done;
  return { ok: true, entityId: done.entityId, mail: addressOf(done.proposal) ? 'sent' : 'none' };
}

export interface ApproveOptions {
  /** Staff's values (edit then approve), already validated. */
  edited?: EntityValues;
  message?: string | null;
  /** The existing organisations staff were shown and said are other ones: recorded with the decision. */
  duplicatesOverridden?: DuplicateOverride | null;
}

type Approved = { ok: true; entityId: string; proposal: ProposalRecord; entity: ModeratedEntity; values: EntityValues; message: string | null };

/** `approveProposal` inside its transaction (`deps.db`): every write of the approval, nothing else. */
async function approveIn(
  deps: ModerationDeps,
  actor: StaffActor,
  view: ProposalView,
  options: ApproveOptions,
): Promise<Approved | { ok: false; reason: 'decided' }> {
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
  return { ok: true, entityId, proposal, entity, values, message };
}

/**
 * Rejects a proposal with a message emailed to the proposer (when the proposal still holds their
 * address: else `mail: 'none'`, nobody is told). The decision and its log line are one
 * transaction; the email follows the commit: when it fails, the rejection stands and an
 * AfterCommitError carries this function's result.
 */
export async function rejectProposal(deps: ModerationDeps, actor: StaffActor, id: string, message: string): Promise<DecisionResult> {
  let mail: DecisionMail = 'none';
  try {
    return await inTransaction(deps.db, async (trx): Promise<DecisionResult> => {
      const { proposal, entity } = await loadProposal({ ...deps, db: trx }, id);
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
      if (addressOf(proposal)) {
        mail = 'sent';
        await afterCommit(trx, () => notifyProposer(deps, proposal, entity, 'rejected', message, proposal.payload, proposal.entityId), NOT_MAILED.rejected);
      }
      return { ok: true, mail };
    });
  } catch (error) {
    throw error instanceof AfterCommitError ? decided(error, 'rejected', mail) : error;
  }
}

/** Counts of what waits for staff: proposals per type and account requests. */
export async function pendingModerationCounts(db: ModerationDeps['db']): Promise<{ total: number; proposals: Record<string, number>; accountRequests: number }> {
  const [proposals, accountRequests] = await Promise.all([repo.countProposalsByType(db, 'pending'), repo.countAccountRequests(db, 'pending')]);
  const total = Object.values(proposals).reduce((a, b) => a + b, 0) + accountRequests;
  return { total, proposals, accountRequests };
}
