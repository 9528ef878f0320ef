/** A chunk's write as the next chunk sees it. */
export interface ChunkWrite {
  /** Settles when the chunk's transaction has committed (or failed). */
  committed: Promise<void>;
  /** Settles once its geocoding is queued and its progress told, too. */
  done: Promise<void>;
}

/**
 * The chunk writes of one import in flight, oldest first: at most `limit` at once. A write that
 * fails is met by whoever waits for it next (room, drain); `settle` waits without throwing.
 */
export class OrderedWrites {
  private readonly pending: ChunkWrite[] = [];

  constructor(private readonly limit: number) {}

  /** The write started last (the one a new chunk commits after). */
  get last(): ChunkWrite | undefined {
    return this.pending.at(-1);
  }

  /** Waits until one more write may start: the oldest ones finish first (their failure is thrown here). */
  async room(): Promise<void> {
    while (this.pending.length >= this.limit) await this.pending.shift()!.done;
  }

  add(write: ChunkWrite): void {
    write.committed.catch(() => undefined);
    write.done.catch(() => undefined);
    this.pending.push(write);
  }

  /** Waits for every write, in order; the first failure is thrown. */
  async drain(): Promise<void> {
    while (this.pending.length) await this.pending.shift()!.done;
  }

  /** Waits for every write to settle, failures ignored (the error path). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.pending.splice(0).map((w) => w.done));
  }
}
