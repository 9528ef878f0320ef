import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { findFile, insertFile } from '../../kernel/files/repo.js';
import { sniffImage } from '../../kernel/files/sniff.js';
import { discardUpload, isUploadedFile, keepUpload, readHead, type UploadedFile } from '../../kernel/files/uploads.js';
import { newId } from '../../kernel/ids.js';
import type { FieldProblem } from './validate.js';

/** `files.purpose` of organisations' logos (live or waiting in a proposal). */
export const LOGO_PURPOSE = 'organisation-logo';
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
/** Logos are reduced to fit this box (aspect kept, never enlarged). */
export const LOGO_BOX = 400;
/** Decoding bombs (a small file of huge dimensions) are refused before any pixel is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

/** Form fields: the file chosen, the logo kept from the page (a file id, '' for none), the box to remove it. */
export const LOGO_FIELDS = { upload: 'logo_file', kept: 'logo', remove: 'remove_logo' } as const;

export interface LogoDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: { dataDir: string };
}

export type LogoResult = { ok: true; fileId: string } | { ok: false; problem: FieldProblem };

/**
 * Checks an uploaded logo by its content (PNG, JPEG, WebP or GIF; SVG and anything else refused;
 * 2 MB at most), re-encodes it as WebP within 400 × 400 pixels without its metadata (EXIF, GPS,
 * colour profiles…) and stores it as a file of purpose 'organisation-logo'. The upload itself is
 * removed whatever happens.
 */
export async function storeLogo(deps: LogoDeps, upload: UploadedFile, uploaderId: string | null): Promise<LogoResult> {
  const output = `${upload.tmpPath}.webp`;
  try {
    if (upload.truncated || upload.size > LOGO_MAX_BYTES) return { ok: false, problem: { key: 'org.error.logoSize' } };
    if (!sniffImage(await readHead(upload.tmpPath))) return { ok: false, problem: { key: 'org.error.logoType' } };
    // Loaded when a logo is processed only: sharp and libvips weigh ~30 MB of resident memory that
    // processes never handling a logo (command line, imports, workers) need not carry.
    const { default: sharp } = await import('sharp');
    let size: number;
    try {
      ({ size } = await sharp(upload.tmpPath, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(LOGO_BOX, LOGO_BOX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 85, effort: 4 })
        .toFile(output));
    } catch {
      return { ok: false, problem: { key: 'org.error.logoUnreadable' } };
    }
    const id = newId();
    const storagePath = await keepUpload(deps.config.dataDir, { ...upload, tmpPath: output }, id, 'webp');
    await insertFile(deps.db, {
      id,
      purpose: LOGO_PURPOSE,
      original_name: path.basename(upload.filename || 'logo').slice(0, 200),
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

/** A stored organisation logo (live or proposed), or undefined for any other id. */
export async function findLogoFile(db: Kysely<Database>, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const file = await findFile(db, id);
  return file && file.purpose === LOGO_PURPOSE ? file : undefined;
}

export type LogoField = { ok: true; logo: string | null | undefined } | { ok: false; field: string; problem: FieldProblem };

/**
 * The logo a submitted form asks for: a new upload (stored at once, so that a form refused for
 * another field keeps it), none when "remove" is ticked or the page had none, the logo the page
 * carried, or undefined (leave the record's logo as it is) when the form says nothing about it.
 * `raw` is updated in place (the kept logo becomes the new one) so that a redisplayed form keeps it.
 */
export async function resolveLogoField(deps: LogoDeps, raw: Record<string, unknown>, uploaderId: string | null): Promise<LogoField> {
  const upload = raw[LOGO_FIELDS.upload];
  delete raw[LOGO_FIELDS.upload];
  if (isUploadedFile(upload)) {
    const stored = await storeLogo(deps, upload, uploaderId);
    if (!stored.ok) return { ok: false, field: LOGO_FIELDS.upload, problem: stored.problem };
    raw[LOGO_FIELDS.kept] = stored.fileId;
    delete raw[LOGO_FIELDS.remove];
    return { ok: true, logo: stored.fileId };
  }
  if (raw[LOGO_FIELDS.remove] === '1') return { ok: true, logo: null };
  const kept = raw[LOGO_FIELDS.kept];
  if (typeof kept !== 'string') return { ok: true, logo: undefined };
  if (kept.trim() === '') return { ok: true, logo: null };
  return { ok: true, logo: (await findLogoFile(deps.db, kept.trim())) ? kept.trim() : undefined };
}
