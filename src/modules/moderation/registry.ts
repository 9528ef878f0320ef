import type { AuditActor } from '../../kernel/audit/index.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';

/** Values of a moderated record: one entry per field (strings, lists of strings, or null). */
export type EntityValues = Record<string, unknown>;

export interface ProposalRecord {
  id: string;
  entityType: string;
  entityId: string | null;
  status: 'pending' | 'approved' | 'rejected';
  payload: EntityValues;
  base: EntityValues | null;
  proposerUserId: string | null;
  proposerName: string | null;
  proposerEmail: string | null;
  message: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export type ModerationDeps = Pick<Kernel, 'db' | 'dbHandle' | 'clock' | 'jobs' | 'mail' | 'settings' | 'config'>;

export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

/** Thrown by `apply` when the values no longer pass validation (staff must edit them first). */
export class ProposalInvalidError extends Error {
  constructor(readonly errors: Record<string, FieldProblem>) {
    super('proposal_invalid');
    this.name = 'ProposalInvalidError';
  }
}

/**
 * Thrown by `approveProposal` when the approval's writes failed (the database refused one…) and,
 * being one transaction rolled back, left nothing behind: the proposal waits again, and staff are
 * told that nothing was created (`change` false) or changed (`change` true) and that they may try
 * again. `cause` is the original failure, for the log.
 */
export class ProposalNotAppliedError extends Error {
  constructor(
    cause: unknown,
    readonly change = false,
  ) {
    super('proposal_not_applied', { cause });
    this.name = 'ProposalNotAppliedError';
  }
}

/**
 * A kind of record whose changes by members or visitors go through moderation (DESIGN.md §4):
 * organisations now, events, resources and news later.
 */
export interface ModeratedEntity {
  type: string;
  /** Name of the kind of record, for the queue ("Structure", "Événement"…). */
  labelKey: MessageKey;
  /** The fields compared in the diff, in display order, with their labels. */
  fieldLabels: Record<string, MessageKey>;
  /** The record's current values, comparable with a proposal's payload; undefined when gone. */
  load(id: string, deps: ModerationDeps): Promise<EntityValues | undefined>;
  /**
   * Writes the values (creates when `proposal.entityId` is null); returns the record's id. Throws
   * ProposalInvalidError when staff must edit the values first. It runs inside the approval's
   * transaction (`deps.db`, and `deps.jobs` queues in it): it must write only through `deps`, and
   * leave what cannot be rolled back (a file removed from disk) to `afterCommit` (kernel/db).
   * Any other failure is the approval's to report (ProposalNotAppliedError).
   */
  apply(values: EntityValues, actor: AuditActor, proposal: ProposalRecord, deps: ModerationDeps): Promise<string>;
  /** Validates a staff edit (edit then approve); errors per field. */
  validate?(raw: Record<string, unknown>, deps: ModerationDeps): Promise<{ ok: true; values: EntityValues } | { ok: false; errors: Record<string, FieldProblem> }>;
  /** The form fields of an edit (edit then approve), prefilled with `values`. */
  renderForm?(props: { ctx: ViewContext; values: EntityValues; errors: Record<string, string>; deps: ModerationDeps }): Promise<string>;
  /** A value as people read it (labels rather than codes). */
  display?(field: string, value: unknown, ctx: { t: ViewContext['t']; locale: ViewContext['locale'] }, deps: ModerationDeps): Promise<string> | string;
  /**
   * Where staff open a value to check it before deciding (a proposed file, not public yet): an
   * address staff only may follow; null (or no method) when the value has none.
   */
  valueHref?(field: string, value: unknown, deps: ModerationDeps): Promise<string | null> | string | null;
  /** A short name of the proposed record for lists and mails. */
  title?(values: EntityValues): string;
  /** A line under the title in the queue, for what staff should see before opening it (an event's repetition); '' for none. */
  summary?(values: EntityValues, ctx: { t: ViewContext['t']; locale: ViewContext['locale'] }): string;
  /** Where the public sees the record, if it is public. */
  publicHref?(entityId: string, deps: ModerationDeps): Promise<string | null>;
  /** Called after an approval was applied, in its transaction (e.g. link accounts waiting for a new organisation). */
  afterApproval?(proposal: ProposalRecord, entityId: string, deps: ModerationDeps): Promise<void>;
}

const registry = new Map<string, ModeratedEntity>();

/** Registers a moderated kind of record; a second registration of the same type replaces the first. */
export function registerModeratedEntity(entity: ModeratedEntity): void {
  registry.set(entity.type, entity);
}

export function moderatedEntity(type: string): ModeratedEntity | undefined {
  return registry.get(type);
}

export function moderatedEntities(): ModeratedEntity[] {
  return [...registry.values()];
}
