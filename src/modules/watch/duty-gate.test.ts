import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DutyGate } from './duty-gate.js';

test('the gate runs one piece of work at a time and rests as long as each worked', async () => {
  const rests: number[] = [];
  const gate = new DutyGate(0.5, async (ms) => {
    rests.push(ms);
  });
  let running = 0;
  let most = 0;
  const busy = (ms: number) => async () => {
    running++;
    most = Math.max(most, running);
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Busy, as parsing is.
    }
    running--;
    return ms;
  };
  const results = await Promise.all([gate.run(busy(20)), gate.run(busy(10)), gate.run(busy(5))]);
  assert.deepEqual(results, [20, 10, 5]);
  assert.equal(most, 1, 'never two at once');
  assert.equal(rests.length, 3);
  assert.ok(rests[0]! >= 19 && rests[1]! >= 9 && rests[2]! >= 4, `rests ${rests.join(', ')} ms`);
  await assert.rejects(gate.run(() => Promise.reject(new Error('feed refused'))), /feed refused/);
  assert.equal(await gate.run(() => 'after an error'), 'after an error', 'a failure does not block the next piece');
});
