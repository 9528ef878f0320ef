import os from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Clock, addSeconds } from '../clock.js';
import type { Dialect } from '../db/create-db.js';
import { newId, newIds } from '../ids.js';
import * as repo from './repo.js';

/**
 * Removes jobs of `name` not begun yet (queued, or waiting for a retry), chosen by idempotency
 * key (the given keys, or those starting with `keyPrefix` or one of `keyPrefixes`), in the
 * caller's transaction when it passes one: the work they stood for was cancelled with it.
 * Returns how many were removed.
 */
export function cancelQueuedJobs(db: Kysely<Database> | Transaction<Database>, name: string, match: repo.QueuedJobsMatch): Promise<number> {
  return repo.deleteQueuedJobs(db, name, match);
}

/**
 * `jobs`, queueing in `trx`: each job it queues exists if and only if `trx` commits (on SQLite, a
 * job queued on the outer connection would wait for the transaction forever). The same object
 * otherwise, so a `Jobs` stays a `Jobs` for the types that ask for the class.
 */
export function queueingIn<J extends Pick<Jobs, 'enqueue'>>(jobs: J, trx: Transaction<Database>): J {
  const bound = Object.create(jobs) as J;
  bound.enqueue = (name, payload, options = {}) => jobs.enqueue(name, payload, { ...options, trx });
  if (jobs instanceof Jobs) {
    (bound as unknown as Jobs).enqueueMany = (name, items, options = {}) => jobs.enqueueMany(name, items, { ...options, trx });
  }
  return bound;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  /**
   * Aborted when the worker is stopping, or when this job's lease was lost to another worker:
   * a long job should end its current step and return.
   */
  signal: AbortSignal;
}

export interface JobDefinition<P = unknown> {
  name: string;
  handler: (payload: P, context: JobContext) => Promise<void>;
  maxAttempts?: number;
  /** How long a claim holds the job without a heartbeat before another worker may take it (60). */
  leaseSeconds?: number;
  /**
   * Enqueued by the thousand (one per imported organisation): every other due job is taken first,
   * and these hold at most `concurrency − 1` of a worker's slots (one when it has one), so mails,
   * sends, sweeps and scans never wait behind them.
   */
  bulk?: boolean;
}

/**
 * Thrown by a handler that cannot do its work before `until` (a service it needs is down): the
 * job waits until then, and this attempt does not count against its `maxAttempts`.
 */
export class JobPostponed extends Error {
  override name = 'JobPostponed';
  constructor(
    readonly until: Date,
    reason: string,
  ) {
    super(reason);
  }
}

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key is ignored: side effects stay idempotent. */
  idempotencyKey?: string;
  maxAttempts?: number;
  /** The caller's transaction: the job exists if and only if that transaction commits. */
  trx?: Transaction<Database>;
}

export interface JobsLogger {
  debug?(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface Periodic {
  name: string;
  everySeconds: number;
  payload: unknown;
  lastSlot: number;
}

const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_MAX_SECONDS = 3600;

export function backoffSeconds(attempt: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_SECONDS);
}

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Durable jobs in the `jobs` table, on both dialects: leases, retries with backoff,
 * idempotency keys and periodic jobs. The same code runs in-process or in `maillage worker`.
 *
 * A claimed job holds a lease (its definition's `leaseSeconds`) that a heartbeat extends while
 * the handler runs; when the worker dies, the lease expires and another worker takes the job
 * again (one more attempt). Handlers must therefore be idempotent.
 */
export class Jobs {
  readonly workerId = `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly periodic: Periodic[] = [];
  /** Every handler in progress in this worker, whether started by the poller or by runOne(). */
  private readonly running = new Set<Promise<void>>();
  /** How many of them are bulk jobs. */
  private runningBulk = 0;
  private started = false;
  /** Bumped by each start()/stop(), so a poll of a previous run never re-arms the timer. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private abort = new AbortController();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      dialect: Dialect;
      clock: Clock;
      logger?: JobsLogger;
      concurrency?: number;
      pollMs?: number;
    },
  ) {}

  define<P>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is defined twice`);
    this.definitions.set(definition.name, definition as JobDefinition);
  }

  /** Runs `name` once per period, whatever the number of workers (the slot is an idempotency key). */
  every(name: string, everySeconds: number, payload: unknown = {}): void {
    this.periodic.push({ name, everySeconds, payload, lastSlot: -1 });
  }

  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
    const now = this.deps.clock.now();
    const id = newId(now.getTime());
    const inserted = await repo.insertJob(options.trx ?? this.deps.db, {
      id,
      name,
      payload: JSON.stringify(payload ?? {}),
      runAt: (options.runAt ?? now).toISOString(),
      maxAttempts: options.maxAttempts ?? this.definitions.get(name)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      idempotencyKey: options.idempotencyKey ?? null,
      now: now.toISOString(),
    });
    return inserted ? id : null;
  }

  /**
   * Enqueues many jobs of `name` at once (a few hundred a statement), each with its payload and
   * idempotency key; a job whose key exists already is skipped, as by `enqueue`. Returns how many
   * were enqueued.
   */
  async enqueueMany(name: string, items: readonly { payload: unknown; idempotencyKey?: string }[], options: Omit<EnqueueOptions, 'idempotencyKey'> = {}): Promise<number> {
    if (items.length === 0) return 0;
    const now = this.deps.clock.now();
    const runAt = (options.runAt ?? now).toISOString();
    const maxAttempts = options.maxAttempts ?? this.definitions.get(name)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const ids = newIds(items.length, now.getTime());
    return repo.insertJobs(
      options.trx ?? this.deps.db,
      items.map((item, i) => ({
        id: ids[i]!,
        name,
        payload: JSON.stringify(item.payload ?? {}),
        runAt,
        maxAttempts,
        idempotencyKey: item.idempotencyKey ?? null,
        now: now.toISOString(),
      })),
    );
  }

  /** Enqueues the periodic jobs whose slot has come. */
  async schedulePeriodic(): Promise<void> {
    const nowMs = this.deps.clock.now().getTime();
    for (const p of this.periodic) {
      const slot = Math.floor(nowMs / (p.everySeconds * 1000));
      if (slot === p.lastSlot) continue;
      await this.enqueue(p.name, p.payload, {
        runAt: new Date(slot * p.everySeconds * 1000),
        idempotencyKey: `every:${p.name}:${slot}`,
      });
      p.lastSlot = slot;
    }
  }

  /** Claims and runs due jobs until none is left or `limit` ran. Returns how many ran. */
  async runDue(limit = Number.POSITIVE_INFINITY): Promise<number> {
    let count = 0;
    while (count < limit) {
      const ran = await this.runOne();
      if (!ran) break;
      count++;
    }
    return count;
  }

  /** Claims one due job (bulk ones last) and runs it to its end (success, retry or failure). */
  async runOne(): Promise<boolean> {
    const row = await this.claim(true);
    if (!row) return false;
    await this.track(row);
    return true;
  }

  /**
   * The oldest due job, bulk ones only when no other is due (and `bulk` allows them): one
   * statement, which ranks bulk jobs after the others, so an idle poll costs one query. Each job
   * gets the lease of its own definition.
   */
  private claim(bulk: boolean): Promise<repo.JobRow | undefined> {
    const now = this.deps.clock.now();
    const leaseUntilByName = new Map<string, string>();
    const bulkNames = new Set<string>();
    for (const d of this.definitions.values()) {
      if (d.bulk) {
        if (!bulk) continue;
        bulkNames.add(d.name);
      }
      leaseUntilByName.set(d.name, addSeconds(now, d.leaseSeconds ?? DEFAULT_LEASE_SECONDS).toISOString());
    }
    return repo.claimJob(this.deps.db, this.deps.dialect, {
      leaseUntilByName,
      last: bulkNames,
      now: now.toISOString(),
      workerId: this.workerId,
    });
  }

  /** Runs a claimed job, registered in `running` so stop() waits for it. */
  private track(row: repo.JobRow): Promise<void> {
    const bulk = this.definitions.get(row.name)?.bulk === true;
    if (bulk) this.runningBulk++;
    const run = this.execute(row).finally(() => {
      this.running.delete(run);
      if (bulk) this.runningBulk--;
    });
    this.running.add(run);
    return run;
  }

  private async execute(row: repo.JobRow): Promise<void> {
    const { db, clock, logger } = this.deps;
    const at = () => clock.now().toISOString();
    const claim: repo.JobClaim = { id: row.id, workerId: this.workerId, attempt: row.attempts };
    const definition = this.definitions.get(row.name);
    if (!definition) return;
    if (row.attempts > row.max_attempts) {
      // The worker running the last attempt died: its lease expired, no attempt is left.
      await repo.failJob(db, claim, { error: 'lease expired on the last attempt', now: at() });
      logger?.error({ job: row.name, jobId: row.id, attempt: row.attempts }, 'job failed: lease expired');
      return;
    }
    // Aborted when the worker stops, or when this job's lease was lost to another worker.
    const jobAbort = new AbortController();
    const onStop = () => jobAbort.abort(this.abort.signal.reason);
    if (this.abort.signal.aborted) onStop();
    else this.abort.signal.addEventListener('abort', onStop, { once: true });
    const leaseSeconds = definition.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    let handlerEnded = false;
    const heartbeat = setInterval(
      () => {
        const until = addSeconds(clock.now(), leaseSeconds).toISOString();
        repo
          .extendLease(db, claim, until)
          .then((held) => {
            if (held || handlerEnded || jobAbort.signal.aborted) return;
            logger?.error({ job: row.name, jobId: row.id, attempt: row.attempts }, 'job lease lost');
            jobAbort.abort(new Error('job lease lost'));
          })
          .catch((error: unknown) => logger?.error({ jobId: row.id, err: String(error) }, 'job lease not extended'));
      },
      Math.max(250, (leaseSeconds * 1000) / 3),
    );
    heartbeat.unref();
    try {
      await definition.handler(JSON.parse(row.payload), {
        jobId: row.id,
        attempt: row.attempts,
        signal: jobAbort.signal,
      });
      handlerEnded = true;
      clearInterval(heartbeat);
      await repo.completeJob(db, claim, at());
    } catch (error) {
      handlerEnded = true;
      clearInterval(heartbeat);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof JobPostponed && Number.isFinite(error.until.getTime())) {
        // Never due at once again (a handler giving a past time would be claimed in a loop).
        const runAt = new Date(Math.max(error.until.getTime(), clock.now().getTime() + 1000)).toISOString();
        // Thousands of jobs may wait for one service: one line each at debug level, not at info.
        logger?.debug?.({ job: row.name, jobId: row.id, until: runAt, reason: error.message }, 'job postponed');
        await repo.postponeJob(db, claim, { runAt, reason: error.message, now: at() });
        return;
      }
      logger?.error({ job: row.name, jobId: row.id, attempt: row.attempts, err: message }, 'job failed');
      if (row.attempts < row.max_attempts) {
        const runAt = addSeconds(clock.now(), backoffSeconds(row.attempts)).toISOString();
        await repo.retryJob(db, claim, { runAt, error: message, now: at() });
      } else {
        await repo.failJob(db, claim, { error: message, now: at() });
      }
    } finally {
      clearInterval(heartbeat);
      this.abort.signal.removeEventListener('abort', onStop);
    }
  }

  /** Starts polling: periodic slots, then due jobs, up to `concurrency` at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    const generation = ++this.generation;
    const pollMs = this.deps.pollMs ?? 1000;
    const tick = () => {
      const polling = this.poll().finally(() => {
        if (this.polling === polling) this.polling = null;
        if (this.started && this.generation === generation) this.timer = setTimeout(tick, pollMs);
      });
      this.polling = polling;
    };
    this.timer = setTimeout(tick, 0);
    this.deps.logger?.info({ workerId: this.workerId, jobs: [...this.definitions.keys()] }, 'jobs started');
  }

  private async poll(): Promise<void> {
    const { db, logger } = this.deps;
    try {
      await this.schedulePeriodic();
      const concurrency = this.deps.concurrency ?? 2;
      while (this.started && this.running.size < concurrency) {
        const row = await this.claim(this.runningBulk < Math.max(1, concurrency - 1));
        if (!row) break;
        if (!this.started) {
          // stop() began while this claim was in flight: give the job back untouched.
          const claim = { id: row.id, workerId: this.workerId, attempt: row.attempts };
          await repo.releaseJob(db, claim, this.deps.clock.now().toISOString());
          break;
        }
        this.track(row).catch((error: unknown) =>
          logger?.error({ job: row.name, jobId: row.id, err: String(error) }, 'job not recorded'),
        );
      }
    } catch (error) {
      logger?.error({ err: String(error) }, 'jobs poll failed');
    }
  }

  /**
   * Stops taking jobs, aborts the running handlers' signal and waits for them to finish their
   * step (graceful shutdown). After `timeoutMs` it gives up waiting: those jobs are taken again
   * once their lease expires.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.started = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('jobs worker stopping'));
    let timeout: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs)));
    const drained = (async () => {
      if (this.polling) await this.polling;
      await Promise.allSettled([...this.running]);
    })();
    await Promise.race([drained, deadline]);
    clearTimeout(timeout);
  }
}
