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
  it('starts no read before the end of the turn it was asked in', async () => {
    const c = controlledRead();
    const get = batchedRead(c.read);
    const pending = get();
    assert.equal(c.reads.length, 0);
    await new Promise((r) => setImmediate(r));
    assert.equal(c.reads.length, 1);
    c.release();
    assert.equal(await pending, 1);
  });

  it('serves the callers who arrive during a read with the next read, once', async () => {
    const c = controlledRead();
    const get = batchedRead(c.read);
    const first = get();
    const second = get();
    const third = get();
    await new Promise((r) => setImmediate(r));
    assert.equal(c.reads.length, 1, 'the callers of one turn share one read');
    const fourth = get();
    const fifth = get();
    c.release();
    assert.equal(await first, 1);
    assert.equal(await second, 1);
    assert.equal(await third, 1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(c.reads.length, 2, 'the callers who arrived during the read share one new read');
    c.release();
    assert.equal(await fourth, 2);
    assert.equal(await fifth, 2);
  });

  it('never answers a caller with a read that started before it asked', async () => {
    const c = controlledRead();
    const get = batchedRead(c.read);
    const before = get();
    await new Promise((r) => setImmediate(r));
    c.write(); // a change lands while the first read is on its way
    const after = get();
    c.release();
    await before;
    await new Promise((r) => setImmediate(r));
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
