import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { HeapCeiling } from './heap-ceiling.js';

const MB = 1024 * 1024;
const usedHeap = () => v8.getHeapStatistics().used_heap_size;

/** Garbage that outlives the young generation, as a chunk of an import does: promoted, then dropped. */
function promotedGarbage(megabytes: number): void {
  let kept: number[][] = [];
  for (let i = 0; i < megabytes * 4; i++) kept.push(Array.from({ length: 32_000 }, (_, k) => k + 0.5));
  kept = [];
  void kept;
}

test('a heap ceiling collects the garbage of a bulk run once the heap has grown past its allowance, and not before', () => {
  const ceiling = new HeapCeiling(32 * MB);
  ceiling.check();
  assert.equal(ceiling.collections, 1, 'the first check learns the live heap');
  const live = usedHeap();

  ceiling.check();
  assert.equal(ceiling.collections, 1, 'no growth: no collection');

  promotedGarbage(64);
  const grown = usedHeap();
  ceiling.check();
  assert.equal(ceiling.collections, 2, `grown by ${Math.round((grown - live) / MB)} MB: collected`);
  assert.ok(usedHeap() < live + 16 * MB, `heap back to ${Math.round(usedHeap() / MB)} MB (live ${Math.round(live / MB)} MB, before ${Math.round(grown / MB)} MB)`);
});
