/**
 * Marks recipients sent in groups: the sends that the server accepts while a write is on its way
 * (a round trip to PostgreSQL) are written together by the next statement, one commit for all. Each caller's promise
 * settles once its own row is written, so a worker that waits for it before taking its next
 * recipient keeps the crash bound: accepted but not yet marked messages are never more than the
 * messages in flight.
 */
export class SentMarks {
  private waiting: { id: string; settle: (error?: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly write: (ids: string[]) => Promise<void>) {}

  mark(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.writing ??= this.writeGroups();
    });
  }

  private async writeGroups(): Promise<void> {
    await Promise.resolve();
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0);
      const ids = group.map((g) => g.id);
      try {
        // Once more after a failure: the write is idempotent, and a database may abort one
        // statement of two that collide (PostgreSQL's deadlock detection).
        await this.write(ids).catch(() => this.write(ids));
        for (const g of group) g.settle();
      } catch (error) {
        for (const g of group) g.settle(error ?? new Error('mark failed'));
      }
    }
    this.writing = null;
  }
}
