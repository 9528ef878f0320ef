// A bulk run (an import of tens of thousands of rows) allocates far faster than its live data
// grows: each chunk's records and rows outlive a young-generation collection while the chunk is
// written, are promoted, and die in the old generation. V8 then lets the old generation grow to
// several times the live data before it collects it (measured on an import: ~40 MB live, 120 MB
// of heap before a major collection, so a peak resident memory ~100 MB above what was needed).
// A HeapCeiling, checked between two chunks, runs that collection itself once the heap has grown
// by its allowance since the last one: the run's memory stays bounded whatever its length, for
// a few full collections of a small heap.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

/**
 * V8's own full collection: the process's `gc` when it was started with `--expose-gc`, else named
 * at run time (the flag takes effect in contexts created afterwards). Where neither works (a
 * runtime started with other flags), nothing: the run goes on with V8's own timing.
 */
function fullCollection(): () => void {
  if (collect) return collect;
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return (collect = global as () => void);
  try {
    v8.setFlagsFromString('--expose-gc');
    const named: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
    collect = typeof named === 'function' ? (named as () => void) : () => undefined;
  } catch {
    collect = () => undefined;
  }
  return collect;
}

const usedHeap = () => v8.getHeapStatistics().used_heap_size;

export class HeapCeiling {
  /** Used heap after the last collection; none yet: the first check collects, to learn it (so one collection per run, however small). */
  private base = -Infinity;
  /** Full collections asked for so far. */
  collections = 0;

  /** `allowanceBytes`: growth of the used heap over the last collection's result that triggers the next one. */
  constructor(private readonly allowanceBytes: number) {}

  /** Collects when the heap has grown past the allowance; cheap otherwise (one heap statistics read). */
  check(): void {
    if (usedHeap() - this.base < this.allowanceBytes) return;
    fullCollection()();
    this.collections++;
    this.base = usedHeap();
  }
}
