import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, JobsTable } from '../../db/schema.js';
import type { Dialect } from '../db/create-db.js';

export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  id: string;
  name: string;
  payload: string;
  runAt: string;
  maxAttempts: number;
  idempotencyKey: string | null;
  now: string;
}

/** Inserts a job; returns false when a job with the same idempotency key exists already. */
export async function insertJob(db: Kysely<Database> | Transaction<Database>, job: NewJob): Promise<boolean> {
  return (await insertJobs(db, [job])) > 0;
}

/** Rows a statement: nine parameters each, far below both dialects' limits on parameters. */
const JOBS_PER_INSERT = 500;

/** Inserts jobs, a few hundred a statement; those whose idempotency key exists already are skipped. Returns how many were inserted. */
export async function insertJobs(db: Kysely<Database> | Transaction<Database>, jobs: readonly NewJob[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < jobs.length; i += JOBS_PER_INSERT) {
    const result = await db
      .insertInto('jobs')
      .values(
        jobs.slice(i, i + JOBS_PER_INSERT).map((job) => ({
          id: job.id,
          name: job.name,
          payload: job.payload,
          status: 'queued',
          run_at: job.runAt,
          max_attempts: job.maxAttempts,
          idempotency_key: job.idempotencyKey,
          created_at: job.now,
          updated_at: job.now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** Which claim of a job a worker holds: a worker whose lease was taken over can no longer write. */
export interface JobClaim {
  id: string;
  workerId: string;
  /** `attempts` as set by the claim: a later claim of the same job increments it. */
  attempt: number;
}

/** An instant parameter where PostgreSQL cannot infer its type (inside CASE). */
function instantParam(dialect: Dialect, value: string) {
  return dialect === 'postgres' ? sql<string>`cast(${value} as timestamptz)` : sql<string>`${value}`;
}

/**
 * Takes one due job (queued and due, or running with an expired lease) in a single statement,
 * so two workers never take the same job: SQLite serialises writers, PostgreSQL skips locked rows.
 * The lease comes from the job's own definition: `leaseUntilByName` maps each name this worker
 * runs to the end of its lease. The oldest due job is taken, except that the names in `last` come
 * after every other due job whatever their due time (bulk jobs yield): one statement, so an idle
 * poll costs one query.
 */
export async function claimJob(
  db: Kysely<Database>,
  dialect: Dialect,
  args: { leaseUntilByName: ReadonlyMap<string, string>; last?: ReadonlySet<string>; now: string; workerId: string },
): Promise<JobRow | undefined> {
  const names = [...args.leaseUntilByName.keys()];
  if (names.length === 0) return undefined;
  const namesByLease = new Map<string, string[]>();
  for (const [name, until] of args.leaseUntilByName) namesByLease.set(until, [...(namesByLease.get(until) ?? []), name]);
  const branches = [...namesByLease].map(
    ([until, group]) => sql`when name in (${sql.join(group)}) then ${instantParam(dialect, until)}`,
  );
  const last = names.filter((name) => args.last?.has(name));
  // Only when both kinds may be taken: else every candidate has the same rank.
  const lastRank = last.length > 0 && last.length < names.length ? sql<number>`case when name in (${sql.join(last)}) then 1 else 0 end` : null;
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      lease_until: sql<string>`case ${sql.join(branches, sql` `)} end`,
      locked_by: args.workerId,
      updated_at: args.now,
    }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where('name', 'in', names)
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'queued'), w('run_at', '<=', args.now)]),
            w.and([w('status', '=', 'running'), w('lease_until', '<', args.now)]),
          ]),
        )
        .$if(lastRank !== null, (qb) => qb.orderBy(lastRank!))
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Pushes the lease of a running job further; false when the claim was lost (lease taken over). */
export async function extendLease(db: Kysely<Database>, claim: JobClaim, leaseUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ lease_until: leaseUntil })
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function completeJob(db: Kysely<Database>, claim: JobClaim, now: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: now, updated_at: now, lease_until: null, last_error: null })
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .execute();
}

export async function retryJob(
  db: Kysely<Database>,
  claim: JobClaim,
  args: { runAt: string; error: string; now: string },
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'queued', run_at: args.runAt, last_error: args.error, lease_until: null, updated_at: args.now })
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .execute();
}

/** Puts a claimed job back until `runAt` without counting this attempt: it never really ran. */
export async function postponeJob(db: Kysely<Database>, claim: JobClaim, args: { runAt: string; reason: string; now: string }): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({ status: 'queued', run_at: args.runAt, attempts: eb('attempts', '-', 1), last_error: args.reason, lease_until: null, updated_at: args.now }))
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .execute();
}

export async function failJob(db: Kysely<Database>, claim: JobClaim, args: { error: string; now: string }): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'failed', last_error: args.error, lease_until: null, finished_at: args.now, updated_at: args.now })
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .execute();
}

/** Gives back a job claimed while the worker was stopping, as if it had never been claimed. */
export async function releaseJob(db: Kysely<Database>, claim: JobClaim, now: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'queued',
      attempts: eb('attempts', '-', 1),
      lease_until: null,
      locked_by: null,
      updated_at: now,
    }))
    .where('id', '=', claim.id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .execute();
}

export async function findJob(db: Kysely<Database>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countJobsByStatus(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function deleteFinishedJobs(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', 'in', ['done', 'failed'])
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Which jobs to cancel, by idempotency key: these keys, those starting with this prefix, or with any of these. */
export type QueuedJobsMatch = { keys: readonly string[] } | { keyPrefix: string } | { keyPrefixes: readonly string[] };

/** A few hundred keys or prefixes a statement: far below both dialects' limits on parameters. */
const KEYS_PER_STATEMENT = 500;

/**
 * Deletes the jobs of `name` still waiting to run (never begun, or waiting for a retry or a
 * postponement), chosen by idempotency key: the given keys, or the keys starting with `keyPrefix`
 * or with one of `keyPrefixes`. A running job is left alone.
 */
export async function deleteQueuedJobs(db: Kysely<Database> | Transaction<Database>, name: string, match: QueuedJobsMatch): Promise<number> {
  const base = () => db.deleteFrom('jobs').where('name', '=', name).where('status', '=', 'queued');
  // substr counts characters on both dialects: an exact prefix match, unlike LIKE with its wildcards.
  const head = (length: number) => sql<string>`substr(${sql.ref('idempotency_key')}, 1, ${sql.lit(length)})`;
  if ('keyPrefix' in match) {
    const result = await base().where(head([...match.keyPrefix].length), '=', match.keyPrefix).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  let deleted = 0;
  if ('keyPrefixes' in match) {
    const byLength = new Map<number, string[]>();
    for (const prefix of match.keyPrefixes) {
      const length = [...prefix].length;
      byLength.set(length, [...(byLength.get(length) ?? []), prefix]);
    }
    for (const [length, prefixes] of byLength) {
      for (let i = 0; i < prefixes.length; i += KEYS_PER_STATEMENT) {
        const result = await base()
          .where(head(length), 'in', prefixes.slice(i, i + KEYS_PER_STATEMENT))
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
    }
    return deleted;
  }
  for (let i = 0; i < match.keys.length; i += KEYS_PER_STATEMENT) {
    const result = await base()
      .where('idempotency_key', 'in', match.keys.slice(i, i + KEYS_PER_STATEMENT))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
