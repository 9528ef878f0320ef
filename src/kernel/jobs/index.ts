import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Clock, addSeconds } from '../clock.js';
import type { Dialect } from '../db/create-db.js';
import { newId } from '../ids.js';
import * as repo from './repo.js';

export interface JobContext {
  jobId: string;
  attempt: number;
  /** Aborted when the worker is stopping: a long job should end its current step and return. */
  signal: AbortSignal;
}

export interface JobDefinition<P = unknown> {
  name: string;
  handler: (payload: P, context: JobContext) => Promise<void>;
  maxAttempts?: number;
  leaseSeconds?: number;
}

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key is ignored: side effects stay idempotent. */
  idempotencyKey?: string;
  maxAttempts?: number;
}

export interface JobsLogger {
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

/**
 * Durable jobs in the `jobs` table, on both dialects: leases, retries with backoff,
 * idempotency keys and periodic jobs. The same code runs in-process or in `maillage worker`.
 */
export class Jobs {
  readonly workerId = `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly periodic: Periodic[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private abort = new AbortController();
  private polling = false;

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
    const inserted = await repo.insertJob(this.deps.db, {
      id,
      name,
      payload: JSON.stringify(payload ?? {}),
      runAt: (options.runAt ?? now).toISOString(),
      maxAttempts: options.maxAttempts ?? this.definitions.get(name)?.maxAttempts ?? 5,
      idempotencyKey: options.idempotencyKey ?? null,
      now: now.toISOString(),
    });
    return inserted ? id : null;
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

  /** Claims one due job and runs it to its end (success, retry or failure). */
  async runOne(): Promise<boolean> {
    const now = this.deps.clock.now();
    const names = [...this.definitions.keys()];
    const leaseSeconds = 60;
    const row = await repo.claimJob(this.deps.db, this.deps.dialect, {
      names,
      now: now.toISOString(),
      leaseUntil: addSeconds(now, this.maxLease(leaseSeconds)).toISOString(),
      workerId: this.workerId,
    });
    if (!row) return false;
    await this.execute(row);
    return true;
  }

  private maxLease(fallback: number): number {
    let lease = fallback;
    for (const d of this.definitions.values()) lease = Math.max(lease, d.leaseSeconds ?? fallback);
    return lease;
  }

  private async execute(row: repo.JobRow): Promise<void> {
    const { db, clock, logger } = this.deps;
    const definition = this.definitions.get(row.name);
    const at = () => clock.now().toISOString();
    if (!definition) return;
    if (row.attempts > row.max_attempts) {
      await repo.failJob(db, { id: row.id, workerId: this.workerId, error: 'lease expired on the last attempt', now: at() });
      return;
    }
    const leaseSeconds = definition.leaseSeconds ?? 60;
    const heartbeat = setInterval(
      () => {
        const until = addSeconds(clock.now(), leaseSeconds).toISOString();
        repo.extendLease(db, row.id, this.workerId, until).catch(() => undefined);
      },
      Math.max(250, (leaseSeconds * 1000) / 3),
    );
    heartbeat.unref();
    try {
      await definition.handler(JSON.parse(row.payload), {
        jobId: row.id,
        attempt: row.attempts,
        signal: this.abort.signal,
      });
      await repo.completeJob(db, row.id, this.workerId, at());
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      logger?.error({ job: row.name, jobId: row.id, attempt: row.attempts, err: message }, 'job failed');
      if (row.attempts < row.max_attempts) {
        const runAt = addSeconds(clock.now(), backoffSeconds(row.attempts)).toISOString();
        await repo.retryJob(db, { id: row.id, workerId: this.workerId, runAt, error: message, now: at() });
      } else {
        await repo.failJob(db, { id: row.id, workerId: this.workerId, error: message, now: at() });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Starts polling: periodic slots, then due jobs, up to `concurrency` at once. */
  start(): void {
    if (this.timer) return;
    this.abort = new AbortController();
    const pollMs = this.deps.pollMs ?? 1000;
    const tick = () => {
      this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, pollMs);
      });
    };
    this.timer = setTimeout(tick, 0);
    this.deps.logger?.info({ workerId: this.workerId, jobs: [...this.definitions.keys()] }, 'jobs started');
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.schedulePeriodic();
      const concurrency = this.deps.concurrency ?? 2;
      while (this.timer && this.running.size < concurrency) {
        const now = this.deps.clock.now();
        const row = await repo.claimJob(this.deps.db, this.deps.dialect, {
          names: [...this.definitions.keys()],
          now: now.toISOString(),
          leaseUntil: addSeconds(now, this.maxLease(60)).toISOString(),
          workerId: this.workerId,
        });
        if (!row) break;
        const run = this.execute(row).finally(() => this.running.delete(run));
        this.running.add(run);
      }
    } catch (error) {
      this.deps.logger?.error({ err: String(error) }, 'jobs poll failed');
    } finally {
      this.polling = false;
    }
  }

  /** Stops taking jobs and waits for the running ones to finish their step (graceful shutdown). */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    const all = Promise.allSettled([...this.running]);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timeout);
  }
}
