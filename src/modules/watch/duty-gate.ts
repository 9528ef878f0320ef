/**
 * Runs the sweep's CPU work (parsing a feed, storing its items) one piece at a time and rests after
 * each as long as it worked: a sweep run by the web process's jobs takes at most half of that
 * thread, and visitors' pages keep their pace. Reading feeds (waiting on the network) stays
 * concurrent; only the work in between is paced.
 */
export class DutyGate {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    /** Share of the time the work may take (0.5: it rests as long as it worked). */
    private readonly share = 0.5,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const turn = this.chain.then(async () => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        const spent = performance.now() - started;
        await this.sleep((spent * (1 - this.share)) / this.share);
      }
    });
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
