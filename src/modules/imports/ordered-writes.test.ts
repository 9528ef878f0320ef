import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChunkWrite, OrderedWrites } from './ordered-writes.js';

function deferred(): { write: ChunkWrite; finish: () => void; fail: (error: Error) => void } {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { write: { committed: done, done }, finish, fail };
}

/** Two chunk writes in flight, at most two at once. */
function twoInFlight() {
  const writes = new OrderedWrites(2);
  const first = deferred();
  const second = deferred();
  writes.add(first.write);
  writes.add(second.write);
  return { writes, first, second };
}

test('no more chunks than the limit are in flight: a new one waits for the oldest', async () => {
  const { writes, first, second } = twoInFlight();
  assert.equal(writes.last, second.write, 'a new chunk commits after the one started last');
  let roomGiven = false;
  const room = writes.room().then(() => (roomGiven = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(roomGiven, false, 'two in flight: the third waits');
  second.finish();
  await new Promise((r) => setImmediate(r));
  assert.equal(roomGiven, false, 'the oldest, not any, must finish first');
  first.finish();
  await room;
  assert.equal(roomGiven, true);
});

test('the first failure in row order is the one thrown; settle waits without throwing', async () => {
  const { writes, first, second } = twoInFlight();
  second.fail(new Error('second'));
  first.fail(new Error('first'));
  await assert.rejects(writes.drain(), /first/);
  const other = new OrderedWrites(1);
  const failing = deferred();
  other.add(failing.write);
  failing.fail(new Error('stop'));
  await other.settle();
  await other.drain();
});
