import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runProcess } from '../../../test/helpers/cli.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { HandoffPacer, reserveSlots } from './rate.js';

/** Another worker, in its own process (as `maillage worker` would be), reserving through the same database. */
async function otherWorker(url: string, batches: { count: number; nowMs: number }[], limits: { perSecond: number; perHour: number }): Promise<number[]> {
  const run = await runProcess(process.execPath, ['--import', 'tsx', 'src/modules/newsletter/testing/reserve-worker.ts', url, JSON.stringify({ batches, ...limits })], {});
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as number[];
}

/** The most messages in any window of `windowMs` (half-open) among sorted times. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

forEachDialect('newsletter: the send-rate ceiling is shared by every worker through the database', (dialect) => {
  let db: TestDb;

  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('two workers reserving at once never exceed 50 per second, spread evenly', async () => {
    const now = Date.parse('2026-11-29T10:00:00.000Z');
    const batches = Array.from({ length: 30 }, (_, i) => ({ count: 10, nowMs: now + i * 100 }));
    const mine = async () => {
      const out: number[] = [];
      for (const b of batches) out.push(...(await reserveSlots(db.db, b.count, { perSecond: 50, perHour: 0 }, b.nowMs)));
      return out;
    };
    const [a, b] = await Promise.all([otherWorker(db.url, batches, { perSecond: 50, perHour: 0 }), mine()]);
    const all = [...a, ...b];
    assert.equal(all.length, 600);
    assert.equal(new Set(all).size, 600, 'no two messages share a slot');
    assert.ok(busiestWindow(all, 1000) <= 50, `busiest second: ${busiestWindow(all, 1000)}`);
    const sorted = all.sort((x, y) => x - y);
    // 600 messages at 50/s take 12 seconds, not less, and not much more.
    const span = sorted.at(-1)! - sorted[0]!;
    assert.ok(span >= 11_900 && span <= 12_500, `span ${span} ms`);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]! - sorted[i - 1]! >= 20, 'one message every 20 ms');
  });

  test('the hourly ceiling is a sliding window, not a clock hour', async () => {
    const start = Date.parse('2026-11-29T12:59:00.000Z');
    const first = await reserveSlots(db.db, 100, { perSecond: 0, perHour: 100 }, start);
    assert.ok(first.every((at) => at < start + 1000), 'the first 100 go at once');
    // Past the clock hour, the window still holds them: the next message waits for the first to leave it.
    const next = await otherWorker(db.url, [{ count: 5, nowMs: start + 120_000 }], { perSecond: 0, perHour: 100 });
    assert.ok(next[0]! >= first[0]! + 3_600_000, 'no 101st message within one hour of the first');
    assert.ok(busiestWindow([...first, ...next], 3_600_000) <= 100);
  });

  test('without a ceiling, nothing is recorded and nobody waits', async () => {
    const now = Date.now();
    const slots = await reserveSlots(db.db, 20, { perSecond: 0, perHour: 0 }, now);
    assert.deepEqual(slots, Array(20).fill(now));
  });
});

test('the pacer never lets more than the ceiling reach the server within a second, even when messages come late or answers are slow', async () => {
  let clock = 0;
  const pacer = new HandoffPacer(async (ms) => {
    clock += ms;
  });
  const handed: number[] = [];
  const arrived: number[] = [];
  // Four workers; two of them were held up and arrive together with the others at t=0. Every
  // message reaches the server some time after its hand-over (up to 90 ms), and is answered then.
  let seed = 7;
  const delay = () => (seed = (seed * 48271) % 2147483647) % 90;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 30; i++) {
        const done = await pacer.next(50, () => clock);
        handed.push(clock);
        const travel = delay();
        arrived.push(clock + travel);
        const answerAt = clock + travel;
        await new Promise((resolve) => setImmediate(resolve));
        clock = Math.max(clock, answerAt);
        done();
      }
    }),
  );
  handed.sort((a, b) => a - b);
  arrived.sort((a, b) => a - b);
  assert.equal(arrived.length, 120);
  for (let i = 50; i < arrived.length; i++) assert.ok(arrived[i]! - arrived[i - 50]! >= 1000, `message ${i} arrived ${arrived[i]! - arrived[i - 50]!} ms after the 50th before it`);
  for (let i = 1; i < handed.length; i++) assert.ok(handed[i]! - handed[i - 1]! >= 20, 'spaced by 1000/50 ms');
  assert.ok(handed[handed.length - 1]! <= 120 * 20 + 300, 'and hardly slower than the ceiling');
});
