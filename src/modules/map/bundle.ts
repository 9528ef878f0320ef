import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

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
