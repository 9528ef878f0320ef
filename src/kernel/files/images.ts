import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { findFile, insertFile } from './repo.js';
import { sniffImage } from './sniff.js';
import { discardUpload, isUploadedFile, keepUpload, readHead, type UploadedFile } from './uploads.js';

/** Images people upload (organisation logos, event images…) weigh 2 MB at most. */
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** Decoding bombs (a small file of huge dimensions) are refused before any pixel is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

export interface ImageDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: { dataDir: string };
}

/** Why an upload was refused: too large, not a PNG/JPEG/WebP/GIF by its content, or not decodable. */
export type ImageRefusal = 'size' | 'type' | 'unreadable';

export type StoreImageResult = { ok: true; fileId: string } | { ok: false; reason: ImageRefusal };

export interface ImageKind {
  /** `files.purpose` of the stored images. */
  purpose: string;
  /** Images are reduced to fit a box of this many pixels (aspect kept, never enlarged). */
  box: number;
  /** The stored name when the upload had none. */
  defaultName: string;
}

/**
 * Checks an uploaded image by its content (PNG, JPEG, WebP or GIF; SVG and anything else refused;
 * 2 MB at most), re-encodes it as WebP within the kind's box without its metadata (EXIF, GPS,
 * colour profiles…) and stores it as a file of the kind's purpose. The upload itself is removed
 * whatever happens.
 */
export async function storeImage(deps: ImageDeps, upload: UploadedFile, kind: ImageKind, uploaderId: string | null): Promise<StoreImageResult> {
  const output = `${upload.tmpPath}.webp`;
  try {
    if (upload.truncated || upload.size > IMAGE_MAX_BYTES) return { ok: false, reason: 'size' };
    if (!sniffImage(await readHead(upload.tmpPath))) return { ok: false, reason: 'type' };
    // Loaded when an image is processed only: sharp and libvips weigh ~30 MB of resident memory that
    // processes never handling an image (command line, imports, workers) need not carry.
    const { default: sharp } = await import('sharp');
    let size: number;
    try {
      ({ size } = await sharp(upload.tmpPath, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(kind.box, kind.box, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 85, effort: 4 })
        .toFile(output));
    } catch {
      return { ok: false, reason: 'unreadable' };
    }
    const id = newId();
    const storagePath = await keepUpload(deps.config.dataDir, { ...upload, tmpPath: output }, id, 'webp');
    await insertFile(deps.db, {
      id,
      purpose: kind.purpose,
      original_name: path.basename(upload.filename || kind.defaultName).slice(0, 200),
      mime: 'image/webp',
      size,
      storage_path: storagePath,
      created_by: uploaderId,
      created_at: deps.clock.now().toISOString(),
    });
    return { ok: true, fileId: id };
  } finally {
    await discardUpload(upload);
    await fs.rm(output, { force: true });
  }
}

/** A stored image of the given purpose, or undefined for any other id. */
export async function findImageFile(db: Kysely<Database>, id: string, purpose: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const file = await findFile(db, id);
  return file && file.purpose === purpose ? file : undefined;
}

/** Form fields of an image: the file chosen, the image kept from the page (a file id, '' for none), the box to remove it. */
export interface ImageFieldNames {
  upload: string;
  kept: string;
  remove: string;
}

export type ImageField = { ok: true; fileId: string | null | undefined } | { ok: false; field: string; reason: ImageRefusal };

/**
 * The image a submitted form asks for: a new upload (stored at once, so that a form refused for
 * another field keeps it), none when "remove" is ticked or the page had none, the image the page
 * carried, or undefined (leave the record's image as it is) when the form says nothing about it.
 * `raw` is updated in place (the kept image becomes the new one) so that a redisplayed form keeps it.
 */
export async function resolveImageField(
  deps: ImageDeps,
  raw: Record<string, unknown>,
  fields: ImageFieldNames,
  kind: ImageKind,
  uploaderId: string | null,
): Promise<ImageField> {
  const upload = raw[fields.upload];
  delete raw[fields.upload];
  if (isUploadedFile(upload)) {
    const stored = await storeImage(deps, upload, kind, uploaderId);
    if (!stored.ok) return { ok: false, field: fields.upload, reason: stored.reason };
    raw[fields.kept] = stored.fileId;
    delete raw[fields.remove];
    return { ok: true, fileId: stored.fileId };
  }
  if (raw[fields.remove] === '1') return { ok: true, fileId: null };
  const kept = raw[fields.kept];
  if (typeof kept !== 'string') return { ok: true, fileId: undefined };
  if (kept.trim() === '') return { ok: true, fileId: null };
  return { ok: true, fileId: (await findImageFile(deps.db, kept.trim(), kind.purpose)) ? kept.trim() : undefined };
}
