/**
 * Shares one read among the callers that ask before it starts, without ever answering a caller with
 * a read that started before it asked. A read starts at the end of the event-loop turn in which it
 * was first asked for (`setImmediate`), or when the running read ends if one is running, so every
 * caller of that turn or round trip shares it. A busy page thus asks the database once per turn
 * (an embedded database answers within the turn) or per round trip, not once per visitor, and a
 * caller that asks after a write always sees it.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function batchedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const startRead = (): Promise<T> => {
    queued = null;
    const reading = read();
    running = reading;
    const done = () => {
      if (running === reading) running = null;
    };
    reading.then(done, done);
    return reading;
  };
  return () => {
    if (queued) return queued;
    queued = (running ? running.catch(() => undefined).then(nextTurn) : nextTurn()).then(startRead);
    return queued;
  };
}
