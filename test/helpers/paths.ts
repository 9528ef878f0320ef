import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `SHARED_DIR`, else the first `shared/` folder beside the repository or one of its parents. */
function findShared(): string {
  if (process.env['SHARED_DIR']) return path.resolve(process.env['SHARED_DIR']);
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    if (fs.existsSync(path.join(candidate, 'samples'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  // Tests that need the samples then fail on a missing file, naming this path.
  return path.resolve(repoRoot, '..', 'shared');
}

const shared = findShared();

/** The shared folder beside the repository (samples); tests only, never the product. */
export function sharedDir(...parts: string[]): string {
  return path.join(shared, ...parts);
}
