import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use instead of when the process starts: for the heavy ones
 * only some commands or pages need (spreadsheets, feed parsing), since every process — each CLI
 * command, each worker — would otherwise pay their loading time.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
