import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MessageKey } from '../i18n/index.js';

/** What runs once a transaction has committed, and what people read when it fails. */
interface FollowUp {
  run: () => Promise<void> | void;
  warning: MessageKey;
}

/** A follow-up that failed after the commit: its `warning` for people, its `cause` for the log. */
export interface FollowUpFailure {
  warning: MessageKey;
  cause: unknown;
}

/** What runs once a transaction opened by `inTransaction` has committed, per transaction. */
const followUps = new WeakMap<Transaction<Database>, FollowUp[]>();

/**
 * Thrown by `inTransaction` when its transaction committed but one or more follow-ups given to
 * `afterCommit` failed: the writes are there, only the follow-ups (`failures`) are missing.
 * `result` is what the transaction's work returned; a caller that turns it into another value
 * throws a new AfterCommitError with its own (as `approveProposal` does). `cause` is the first
 * failure's cause.
 */
export class AfterCommitError extends Error {
  constructor(
    readonly result: unknown,
    readonly failures: readonly FollowUpFailure[],
  ) {
    super('after_commit_failed', { cause: failures[0]?.cause });
    this.name = 'AfterCommitError';
  }
}

/**
 * Runs `work` in a transaction: the caller's when `db` is one (so that a service called by another
 * writes with it, all or nothing), else a new one, committed when `work` resolves and rolled back
 * when it throws. Inside, only `trx` may be used: SQLite has one connection, and a query on the
 * outer `db` would wait for the transaction forever. Once committed, every follow-up runs, even
 * when one before it failed.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  // A Kysely that is a transaction is a Transaction (Kysely's own test: `isTransaction`).
  if (db.isTransaction) return work(db as Transaction<Database>);
  const effects: FollowUp[] = [];
  const result = await db.transaction().execute((trx) => {
    followUps.set(trx, effects);
    return work(trx);
  });
  const failures: FollowUpFailure[] = [];
  for (const effect of effects) {
    try {
      await effect.run();
    } catch (error) {
      failures.push({ warning: effect.warning, cause: error });
    }
  }
  if (failures.length > 0) throw new AfterCommitError(result, failures);
  return result;
}

/**
 * Runs `effect` (what cannot be rolled back: removing a file from disk, an email…) once the
 * transaction `db` has committed, never when it rolls back; at once when `db` is no transaction.
 * `db` must then be a transaction opened by `inTransaction`. `warning` tells people, when the
 * effect fails, what did not follow although the writes stand (see `committed`, kernel/http).
 */
export async function afterCommit(db: Kysely<Database>, effect: () => Promise<void> | void, warning: MessageKey): Promise<void> {
  if (!db.isTransaction) {
    await effect();
    return;
  }
  const effects = followUps.get(db as Transaction<Database>);
  if (!effects) throw new Error('afterCommit: the transaction was not opened by inTransaction');
  effects.push({ run: effect, warning });
}
