import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/** What runs once a transaction opened by `inTransaction` has committed, per transaction. */
const followUps = new WeakMap<Transaction<Database>, Array<() => Promise<void> | void>>();

/**
 * Thrown by `inTransaction` when its transaction committed but a follow-up given to `afterCommit`
 * failed: the writes are there, only the follow-up (`cause`) is missing.
 */
export class AfterCommitError extends Error {
  constructor(cause: unknown) {
    super('after_commit_failed', { cause });
    this.name = 'AfterCommitError';
  }
}

/**
 * Runs `work` in a transaction: the caller's when `db` is one (so that a service called by another
 * writes with it, all or nothing), else a new one, committed when `work` resolves and rolled back
 * when it throws. Inside, only `trx` may be used: SQLite has one connection, and a query on the
 * outer `db` would wait for the transaction forever.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  // A Kysely that is a transaction is a Transaction (Kysely's own test: `isTransaction`).
  if (db.isTransaction) return work(db as Transaction<Database>);
  const effects: Array<() => Promise<void> | void> = [];
  const result = await db.transaction().execute((trx) => {
    followUps.set(trx, effects);
    return work(trx);
  });
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      throw new AfterCommitError(error);
    }
  }
  return result;
}

/**
 * Runs `effect` (what cannot be rolled back: removing a file from disk…) once the transaction `db`
 * has committed, never when it rolls back; at once when `db` is no transaction. `db` must then be a
 * transaction opened by `inTransaction`.
 */
export async function afterCommit(db: Kysely<Database>, effect: () => Promise<void> | void): Promise<void> {
  if (!db.isTransaction) {
    await effect();
    return;
  }
  const effects = followUps.get(db as Transaction<Database>);
  if (!effects) throw new Error('afterCommit: the transaction was not opened by inTransaction');
  effects.push(effect);
}
