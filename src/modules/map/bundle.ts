import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const CLIENT_ENTRY = path.resolve(here, '../../client/map.ts');

export interface Bundle {
  code: string;
  etag: string;
}

let bundle: Promise<Bundle> | null = null;

/**
 * The browser module (src/client/map.ts with Leaflet), bundled by esbuild in memory the first
 * time it is asked for, then kept for the life of the process.
 */
export function mapBundle(minify = true): Promise<Bundle> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [CLIENT_ENTRY],
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
    bundle = null;
    throw error;
  });
  return bundle;
}

const LEAFLET_DIST = path.dirname(require.resolve('leaflet/dist/leaflet.css'));

/** Leaflet's stylesheet and marker images, the only files served from node_modules. */
const VENDOR_FILES: Record<string, string> = {
  'leaflet.css': 'text/css; charset=utf-8',
  'images/layers.png': 'image/png',
  'images/layers-2x.png': 'image/png',
  'images/marker-icon.png': 'image/png',
  'images/marker-icon-2x.png': 'image/png',
  'images/marker-shadow.png': 'image/png',
};

const vendorCache = new Map<string, Buffer>();

export function leafletFile(name: string): { body: Buffer; type: string } | null {
  const type = VENDOR_FILES[name];
  if (!type) return null;
  let body = vendorCache.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(LEAFLET_DIST, name));
    vendorCache.set(name, body);
  }
  return { body, type };
}
