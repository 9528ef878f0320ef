import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client');

export interface Bundle {
  code: string;
  etag: string;
}

const bundles = new Map<string, Promise<Bundle>>();

/** The path of a browser module's entry point, `src/client/<name>.ts`. */
export function clientEntry(name: string): string {
  return path.join(CLIENT_DIR, `${name}.ts`);
}

/**
 * A browser module (`src/client/<name>.ts` and what it imports, e.g. Leaflet), bundled by esbuild
 * in memory the first time it is asked for, then kept for the life of the process.
 */
export function clientBundle(name: string, minify = true): Promise<Bundle> {
  const key = `${name}|${minify}`;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = (async () => {
      const esbuild = await import('esbuild');
      const result = await esbuild.build({
        entryPoints: [clientEntry(name)],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: ['es2020'],
        minify,
        legalComments: 'none',
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]!.text;
      return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"` };
    })().catch((error: unknown) => {
      bundles.delete(key);
      throw error;
    });
    bundles.set(key, bundle);
  }
  return bundle;
}
