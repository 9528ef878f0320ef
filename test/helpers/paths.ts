import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared folder beside the repository (samples); tests only, never the product. */
export function sharedDir(...parts: string[]): string {
  return path.resolve(repoRoot, '..', 'shared', ...parts);
}
