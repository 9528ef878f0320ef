import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createDb, type DbHandle } from '../db/create-db.js';
import type { Clock } from '../clock.js';
import { forEachDialect, testDb, type TestDb } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { backoffSeconds, JobPostponed, Jobs } from './index.js';
import { findJob, type JobRow } from './repo.js';

/** A clock the test moves by hand. */
class TestClock implements Clock {
  private ms: number;
  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function job(db: DbHandle, id: string): Promise<JobRow> {
  const row = await findJob(db.db, id);
  assert.ok(row, `job ${id} exists`);
  return row;
}

function workerOn(db: DbHandle, clock: Clock, options: { pollMs?: number; concurrency?: number } = {}): Jobs {
  return new Jobs({ db: db.db, dialect: db.dialect, clock, ...options });
}

const START = '2026-12-01T10:00:30.000Z';

forEachDialect('jobs kernel', (dialect) => {
  let db: TestDb;
  const extraHandles: DbHandle[] = [];

  async function setup(): Promise<void> {
    db = await testDb(dialect);
  }
  async function teardown(): Promise<void> {
    for (const handle of extraHandles.splice(0)) await handle.close();
    await db.close();
  }
  /** Another connection (SQLite) or pool (PostgreSQL) on the same database, like another process. */
  function otherConnection(): DbHandle {
    const handle = createDb(db.url, { poolSize: 4 });
    extraHandles.push(handle);
    return handle;
  }

  test('an enqueued job runs once with its payload and ends done', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock);
    const calls: unknown[] = [];
    jobs.define<{ to: string }>({ name: 'mail.send', handler: async (payload) => void calls.push(payload) });

    const id = await jobs.enqueue('mail.send', { to: 'ana@example.org' });
    assert.ok(id);
    assert.equal((await job(db, id)).status, 'queued');

    assert.equal(await jobs.runDue(), 1);
    assert.equal(await jobs.runDue(), 0);
    assert.deepEqual(calls, [{ to: 'ana@example.org' }]);
    const row = await job(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 1);
    assert.equal(row.lease_until, null);
    assert.equal(row.finished_at, clock.now().toISOString());
  });

  test('a job scheduled for later does not run before its time', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock);
    let calls = 0;
    jobs.define({ name: 'reminder', handler: async () => void calls++ });

    const id = await jobs.enqueue('reminder', {}, { runAt: new Date(clock.now().getTime() + 3600_000) });
    assert.ok(id);
    clock.advance(3599);
    assert.equal(await jobs.runDue(), 0);
    clock.advance(1);
    assert.equal(await jobs.runDue(), 1);
    assert.equal(calls, 1);
  });

  test('a postponed job waits until the time it gave, and the wait does not use up its attempts', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock);
    const seen: number[] = [];
    let serviceBackAt = clock.now().getTime() + 600_000;
    jobs.define({
      name: 'needs.service',
      maxAttempts: 2,
      handler: async (_payload, context) => {
        seen.push(context.attempt);
        if (clock.now().getTime() < serviceBackAt) throw new JobPostponed(new Date(serviceBackAt), 'service down');
      },
    });
    const id = await jobs.enqueue('needs.service', {});
    assert.ok(id);
    // Five waits in a row on a job allowed two attempts: it is still waiting, not failed.
    for (let wait = 0; wait < 5; wait++) {
      assert.equal(await jobs.runDue(), 1);
      const row = await job(db, id);
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 0);
      assert.equal(row.run_at, new Date(serviceBackAt).toISOString());
      assert.equal(row.last_error, 'service down');
      clock.advance(599);
      assert.equal(await jobs.runDue(), 0, 'not before the time it gave');
      clock.advance(1);
      if (wait < 4) serviceBackAt += 600_000;
    }
    assert.equal(await jobs.runDue(), 1);
    assert.equal((await job(db, id)).status, 'done');
    assert.deepEqual(seen, [1, 1, 1, 1, 1, 1], 'each run was its first attempt');

    // A time already past would make the job due again at once, claimed in a loop: a second later.
    jobs.define({ name: 'needs.past', handler: async () => Promise.reject(new JobPostponed(new Date(0), 'down')) });
    const past = await jobs.enqueue('needs.past', {});
    assert.ok(past);
    assert.equal(await jobs.runDue(), 1);
    assert.equal((await job(db, past)).run_at, new Date(clock.now().getTime() + 1000).toISOString());
  });

  test('a failing job is retried after its backoff, then marked failed with its error', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock);
    const attempts: number[] = [];
    jobs.define({
      name: 'flaky',
      maxAttempts: 3,
      handler: async (_payload, context) => {
        attempts.push(context.attempt);
        throw new Error(`remote refused (attempt ${context.attempt})`);
      },
    });
    const id = await jobs.enqueue('flaky', {});
    assert.ok(id);

    assert.equal(await jobs.runDue(), 1);
    let row = await job(db, id);
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /remote refused \(attempt 1\)/);
    assert.equal(row.run_at, new Date(clock.now().getTime() + backoffSeconds(1) * 1000).toISOString());

    clock.advance(backoffSeconds(1) - 1);
    assert.equal(await jobs.runDue(), 0, 'not retried before its backoff');
    clock.advance(1);
    assert.equal(await jobs.runDue(), 1);
    row = await job(db, id);
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 2);

    clock.advance(backoffSeconds(2) - 1);
    assert.equal(await jobs.runDue(), 0, 'the backoff grows');
    clock.advance(1);
    assert.equal(await jobs.runDue(), 1);

    row = await job(db, id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.match(row.last_error ?? '', /remote refused \(attempt 3\)/);
    assert.equal(row.finished_at, clock.now().toISOString());
    clock.advance(24 * 3600);
    assert.equal(await jobs.runDue(), 0, 'a failed job stays failed');
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  test('a job enqueued twice with the same idempotency key exists and runs once', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock);
    const calls: unknown[] = [];
    jobs.define({ name: 'welcome', handler: async (payload) => void calls.push(payload) });

    const first = await jobs.enqueue('welcome', { user: 1 }, { idempotencyKey: 'welcome:1' });
    const second = await jobs.enqueue('welcome', { user: 1, again: true }, { idempotencyKey: 'welcome:1' });
    assert.ok(first);
    assert.equal(second, null);
    const other = await jobs.enqueue('welcome', { user: 2 }, { idempotencyKey: 'welcome:2' });
    assert.ok(other);

    assert.equal(await jobs.runDue(), 2);
    assert.equal(await jobs.enqueue('welcome', { user: 1 }, { idempotencyKey: 'welcome:1' }), null, 'even once done');
    assert.equal(await jobs.runDue(), 0);
    assert.deepEqual(
      calls.map((c) => JSON.stringify(c)).sort(),
      [{ user: 1 }, { user: 2 }].map((c) => JSON.stringify(c)),
    );
  });

  test('a job enqueued in a transaction exists only if that transaction commits', async (t) => {
    await setup();
    t.after(teardown);
    const jobs = workerOn(db, new TestClock(START));
    const calls: unknown[] = [];
    jobs.define({ name: 'follow-up', handler: async (payload) => void calls.push(payload) });
    await assert.rejects(
      db.db.transaction().execute(async (trx) => {
        await jobs.enqueue('follow-up', { chunk: 1 }, { trx });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await db.db.transaction().execute(async (trx) => void (await jobs.enqueue('follow-up', { chunk: 2 }, { trx })));
    assert.equal(await jobs.runDue(), 1);
    assert.deepEqual(calls, [{ chunk: 2 }]);
  });

  test('two workers scheduling a periodic job in the same slot create one job per slot', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const workers = [workerOn(db, clock), workerOn(otherConnection(), clock)];
    for (const w of workers) {
      w.define({ name: 'digest', handler: async () => undefined });
      w.every('digest', 60);
    }
    const digests = () =>
      db.db.selectFrom('jobs').select(['run_at', 'status']).where('name', '=', 'digest').orderBy('run_at').execute();

    await Promise.all(workers.map((w) => w.schedulePeriodic()));
    await Promise.all(workers.map((w) => w.schedulePeriodic()));
    assert.deepEqual(await digests(), [{ run_at: '2026-12-01T10:00:00.000Z', status: 'queued' }]);

    clock.advance(20);
    await Promise.all(workers.map((w) => w.schedulePeriodic()));
    assert.equal((await digests()).length, 1, 'still the same slot');

    clock.advance(20);
    await Promise.all(workers.map((w) => w.schedulePeriodic()));
    assert.deepEqual(
      (await digests()).map((r) => r.run_at),
      ['2026-12-01T10:00:00.000Z', '2026-12-01T10:01:00.000Z'],
    );
  });

  test('three workers running 40 jobs in parallel run each job exactly once', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const runs = new Map<string, number>();
    const workers = [db, otherConnection(), otherConnection()].map((handle) => {
      const w = workerOn(handle, clock);
      w.define({
        name: 'import.row',
        handler: async (_payload, context) => {
          runs.set(context.jobId, (runs.get(context.jobId) ?? 0) + 1);
          await new Promise((r) => setImmediate(r));
        },
      });
      return w;
    });
    const ids: string[] = [];
    for (let n = 0; n < 40; n++) {
      const id = await workers[0]!.enqueue('import.row', { n });
      assert.ok(id);
      ids.push(id);
    }

    const counts = await Promise.all(workers.map((w) => w.runDue()));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      40,
    );
    assert.deepEqual(
      ids.map((id) => runs.get(id)),
      ids.map(() => 1),
    );
    const rows = await db.db.selectFrom('jobs').select(['status', 'attempts']).execute();
    assert.equal(rows.length, 40);
    assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1));
  });

  test('a job whose worker process dies runs again on another worker once its lease expires', async (t) => {
    await setup();
    t.after(teardown);
    // The fixture defines `test.crash` with a 30-second lease (and another job with a 1-hour one).
    const clock = new TestClock(new Date());
    const survivor = workerOn(db, clock);
    const attempts: number[] = [];
    survivor.define({
      name: 'test.crash',
      leaseSeconds: 30,
      handler: async (_payload, context) => void attempts.push(context.attempt),
    });
    const id = await survivor.enqueue('test.crash', {});
    assert.ok(id);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/jobs-crash-worker.ts', db.url], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    assert.equal(signal, 'SIGKILL', `the worker died in its job (exit ${code}): ${stderr}`);
    const deadWorker = stdout.split('\n')[0];

    let row = await job(db, id);
    assert.equal(row.status, 'running');
    assert.equal(row.attempts, 1);
    assert.equal(row.locked_by, deadWorker);
    assert.ok(row.lease_until);
    assert.equal(
      new Date(row.lease_until).getTime() - new Date(row.updated_at).getTime(),
      30_000,
      "the lease is the job definition's own, not the longest one",
    );

    clock.set(new Date(new Date(row.lease_until).getTime() - 1000));
    assert.equal(await survivor.runDue(), 0, 'not taken while the lease holds');
    assert.deepEqual(attempts, []);

    clock.set(new Date(new Date(row.lease_until).getTime() + 1000));
    assert.equal(await survivor.runDue(), 1);
    assert.deepEqual(attempts, [2]);
    row = await job(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 2);
    assert.equal(row.locked_by, survivor.workerId);
  });

  test('a job whose worker died on its last attempt is marked failed once its lease expires', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const dead = workerOn(db, clock);
    const survivor = workerOn(otherConnection(), clock);
    let calls = 0;
    const dying = deferred();
    dead.define({ name: 'once', maxAttempts: 1, leaseSeconds: 10, handler: () => dying.promise });
    survivor.define({ name: 'once', maxAttempts: 1, leaseSeconds: 10, handler: async () => void calls++ });
    const id = await dead.enqueue('once', {});
    assert.ok(id);

    // The first worker claims the job and never finishes it (as if its process were gone).
    void dead.runOne();
    await waitFor(async () => (await job(db, id)).status === 'running');
    clock.advance(11);
    assert.equal(await survivor.runDue(), 1);

    const row = await job(db, id);
    assert.equal(calls, 0, 'no attempt is left');
    assert.equal(row.status, 'failed');
    assert.match(row.last_error ?? '', /lease expired/);
    dying.resolve();
    await dead.stop();
    assert.equal((await job(db, id)).status, 'failed', 'the dead worker cannot overwrite the outcome');
  });

  test('a worker whose lease was taken over sees its signal aborted and cannot overwrite the outcome', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const slow = workerOn(db, clock);
    const other = workerOn(otherConnection(), clock);
    const started = deferred();
    let abortReason: unknown = null;
    // A 3-second lease: the slow worker's heartbeat comes within a second of real time.
    slow.define({
      name: 'render',
      leaseSeconds: 3,
      handler: async (_payload, { signal }) => {
        started.resolve();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        abortReason = signal.reason;
        throw new Error('interrupted');
      },
    });
    other.define({ name: 'render', leaseSeconds: 3, handler: async () => undefined });
    const id = await slow.enqueue('render', {});
    assert.ok(id);

    const slowRun = slow.runOne();
    await started.promise;
    clock.advance(4);
    assert.equal(await other.runDue(), 1, 'the other worker takes the job once the lease expired');
    // The heartbeat timer does not hold the process open by itself: this test waits for it.
    const keepAlive = setInterval(() => undefined, 50);
    await slowRun.finally(() => clearInterval(keepAlive));

    assert.match(String(abortReason), /lease lost/);
    const row = await job(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null, "the slow worker's failure is not recorded");
  });

  test('bulk jobs (thousands at once) yield: other due jobs run first and always find a free slot', async (t) => {
    await setup();
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock, { pollMs: 5, concurrency: 2 });
    t.after(async () => {
      release.resolve();
      await jobs.stop();
      await teardown();
    });
    const order: string[] = [];
    const release = deferred();
    const bulkStarted = deferred();
    let bulkRunning = 0;
    let mostBulkAtOnce = 0;
    jobs.define({
      name: 'geocode',
      bulk: true,
      handler: async (payload: { n: number }) => {
        bulkRunning++;
        mostBulkAtOnce = Math.max(mostBulkAtOnce, bulkRunning);
        bulkStarted.resolve();
        order.push(`geocode ${payload.n}`);
        await release.promise;
        bulkRunning--;
      },
    });
    const secondMail = deferred();
    jobs.define({
      name: 'mail',
      handler: async (payload: { n: number }) => {
        order.push(`mail ${payload.n}`);
        if (payload.n === 2) secondMail.resolve();
      },
    });
    /** Waits for `done`, or fails after 10 s instead of hanging the suite. */
    const within = (done: Promise<unknown>, what: string) =>
      Promise.race([done, sleep(10_000).then(() => assert.fail(`${what}: not within 10 s (${order.join(', ')})`))]);

    // Queued first, due first: a queue in order of due time alone would run them all before the mail.
    for (let n = 1; n <= 5; n++) {
      await jobs.enqueue('geocode', { n });
      clock.advance(0.001); // one due time each: they run in this order
    }
    clock.advance(1);
    await jobs.enqueue('mail', { n: 1 });
    jobs.start();
    await within(bulkStarted.promise, 'a bulk job started');
    await sleep(100); // many poll periods: a second bulk job would have started meanwhile
    assert.deepEqual(order, ['mail 1', 'geocode 1'], `the mail first; one slot for bulk jobs, the other kept free (${order.join(', ')})`);
    // Bulk jobs keep their slot busy: a mail enqueued now still runs at once.
    await jobs.enqueue('mail', { n: 2 });
    await within(secondMail.promise, 'the second mail ran');
    assert.deepEqual(order, ['mail 1', 'geocode 1', 'mail 2']);
    release.resolve();
    await within(
      (async () => {
        while (order.length < 7) await sleep(10);
      })(),
      'every bulk job ran',
    );
    await jobs.stop();
    assert.deepEqual(order.slice(3), ['geocode 2', 'geocode 3', 'geocode 4', 'geocode 5']);
    assert.equal(mostBulkAtOnce, 1, 'bulk jobs hold at most concurrency − 1 slots');
  });

  test('an idle worker asks the database once a poll, and a bulk job is taken in one query too', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const statements: string[] = [];
    // The worker's own queries, counted as the database receives them.
    const counted: DbHandle = {
      ...db,
      db: db.db.withPlugin({
        transformQuery: (args) => (statements.push(args.node.kind), args.node),
        transformResult: async (args) => args.result,
      }),
    };
    const jobs = workerOn(counted, clock);
    const ran: string[] = [];
    jobs.define({ name: 'mail', handler: async () => void ran.push('mail') });
    jobs.define({ name: 'geocode', bulk: true, handler: async () => void ran.push('geocode') });

    assert.equal(await jobs.runDue(), 0);
    assert.equal(statements.length, 1, `one claim on an empty queue, not one per kind of job (${statements.join(', ')})`);

    await jobs.enqueue('geocode', {});
    clock.advance(1);
    await jobs.enqueue('mail', {});
    statements.length = 0;
    assert.equal(await jobs.runOne(), true);
    assert.deepEqual(ran, ['mail'], 'the mail first, though due after the bulk job');
    assert.equal(statements.filter((kind) => kind === 'UpdateQueryNode').length, 2, 'one claim, then the job marked done');
    statements.length = 0;
    assert.equal(await jobs.runOne(), true);
    assert.deepEqual(ran, ['mail', 'geocode']);
    assert.equal(statements.filter((kind) => kind === 'UpdateQueryNode').length, 2, 'the bulk job claimed in one query too');
    statements.length = 0;
    assert.equal(await jobs.runOne(), false);
    assert.equal(statements.length, 1);
  });

  test('stop() waits for the running job to finish and claims no new job', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock, { pollMs: 5, concurrency: 2 });
    const started = deferred();
    const release = deferred();
    const handled: string[] = [];
    jobs.define({
      name: 'export',
      handler: async (payload: { n: number }) => {
        started.resolve();
        await release.promise;
        handled.push(`export ${payload.n}`);
      },
    });
    const first = await jobs.enqueue('export', { n: 1 });
    assert.ok(first);
    jobs.start();
    await started.promise;

    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    const second = await jobs.enqueue('export', { n: 2 });
    assert.ok(second);
    await sleep(100); // many poll periods: a worker still polling would claim the second job
    assert.equal(stopped, false, 'stop() waits for the running job');
    assert.equal((await job(db, first)).status, 'running');
    assert.equal((await job(db, second)).status, 'queued');

    release.resolve();
    await stopping;
    assert.deepEqual(handled, ['export 1']);
    assert.equal((await job(db, first)).status, 'done', 'done as soon as stop() resolves');
    const untouched = await job(db, second);
    assert.equal(untouched.status, 'queued');
    assert.equal(untouched.attempts, 0);
  });

  test('a running handler sees its signal aborted when the worker stops', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock, { pollMs: 5 });
    const started = deferred();
    let abortedBefore: boolean | null = null;
    let abortedAfter: boolean | null = null;
    jobs.define({
      name: 'sweep',
      handler: async (_payload, { signal }) => {
        abortedBefore = signal.aborted;
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        started.resolve();
        await aborted;
        abortedAfter = signal.aborted;
      },
    });
    const id = await jobs.enqueue('sweep', {});
    assert.ok(id);
    jobs.start();
    await started.promise;

    await jobs.stop();
    assert.equal(abortedBefore, false);
    assert.equal(abortedAfter, true);
    assert.equal((await job(db, id)).status, 'done', 'the handler ended its step and the job is done');
  });

  test('a job runs again after the worker restarts', async (t) => {
    await setup();
    t.after(teardown);
    const clock = new TestClock(START);
    const jobs = workerOn(db, clock, { pollMs: 5 });
    const seen: number[] = [];
    const ran = [deferred(), deferred()];
    jobs.define({
      name: 'ping',
      handler: async (payload: { n: number }) => {
        seen.push(payload.n);
        ran[payload.n]!.resolve();
      },
    });
    jobs.start();
    await jobs.enqueue('ping', { n: 0 });
    await ran[0]!.promise;
    await jobs.stop();
    await jobs.enqueue('ping', { n: 1 });
    jobs.start();
    await ran[1]!.promise;
    await jobs.stop();
    assert.deepEqual(seen, [0, 1]);
  });
});

/** Polls `check` until it holds; fails after a generous deadline (not a timing assertion). */
async function waitFor(check: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not reached before the deadline');
    await sleep(5);
  }
}
