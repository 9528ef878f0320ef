/**
 * Shares one read among the callers that ask while it is waited for, without ever answering a
 * caller with a read that started before it asked: a caller arriving while a read runs waits for
 * the next one, which starts when the running one ends and serves everyone who arrived meanwhile.
 * So a busy page asks the database once per round trip instead of once per visitor, and a caller
 * that asks after a write always sees it.
 */
export function batchedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const current: Promise<T> = read().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}
