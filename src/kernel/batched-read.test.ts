import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchedRead } from './batched-read.js';

/** A read whose answers the test releases by hand, counting how many reads started. */
function controlledRead() {
  let value = 0;
  const pending: (() => void)[] = [];
  const reads: number[] = [];
  const read = () =>
    new Promise<number>((resolve) => {
      reads.push(value);
      pending.push(() => resolve(reads.length));
    });
  return { read, reads, release: () => pending.shift()?.(), write: () => value++ };
}

describe('batched reads', () => {
  it('serves the callers who arrive during a read with the next read, once', async () => {
    const c = controlledRead();
    const get = batchedRead(c.read);
    const first = get();
    const second = get();
    const third = get();
    assert.equal(c.reads.length, 1, 'one read running');
    c.release();
    assert.equal(await first, 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(c.reads.length, 2, 'the waiting callers share one new read');
    c.release();
    assert.equal(await second, 2);
    assert.equal(await third, 2);
  });

  it('never answers a caller with a read that started before it asked', async () => {
    const c = controlledRead();
    const get = batchedRead(c.read);
    const before = get();
    c.write(); // a change lands while the first read is on its way
    const after = get();
    c.release();
    await before;
    await new Promise((r) => setImmediate(r));
    c.release();
    await after;
    assert.deepEqual(c.reads, [0, 1], 'the later caller got a read made after the change');
  });

  it('a failed read fails its callers only; the next callers read again', async () => {
    let fail = true;
    const get = batchedRead(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    });
    await assert.rejects(get(), /down/);
    fail = false;
    assert.equal(await get(), 'ok');
  });
});
