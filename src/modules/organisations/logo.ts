import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findImageFile, IMAGE_MAX_BYTES, type ImageDeps, type ImageKind, type ImageRefusal, resolveImageField, storeImage } from '../../kernel/files/images.js';
import type { UploadedFile } from '../../kernel/files/uploads.js';
import type { FieldProblem } from './validate.js';

/** `files.purpose` of organisations' logos (live or waiting in a proposal). */
export const LOGO_PURPOSE = 'organisation-logo';
export const LOGO_MAX_BYTES = IMAGE_MAX_BYTES;
/** Logos are reduced to fit this box (aspect kept, never enlarged). */
export const LOGO_BOX = 400;
const LOGO_KIND: ImageKind = { purpose: LOGO_PURPOSE, box: LOGO_BOX, defaultName: 'logo' };

/** Form fields: the file chosen, the logo kept from the page (a file id, '' for none), the box to remove it. */
export const LOGO_FIELDS = { upload: 'logo_file', kept: 'logo', remove: 'remove_logo' } as const;

export type LogoDeps = ImageDeps;

export type LogoResult = { ok: true; fileId: string } | { ok: false; problem: FieldProblem };

const PROBLEMS: Record<ImageRefusal, FieldProblem> = {
  size: { key: 'org.error.logoSize' },
  type: { key: 'org.error.logoType' },
  unreadable: { key: 'org.error.logoUnreadable' },
};

/**
 * Checks an uploaded logo by its content (PNG, JPEG, WebP or GIF; SVG and anything else refused;
 * 2 MB at most), re-encodes it as WebP within 400 × 400 pixels without its metadata (EXIF, GPS,
 * colour profiles…) and stores it as a file of purpose 'organisation-logo' (kernel/files/images.ts).
 * The upload itself is removed whatever happens.
 */
export async function storeLogo(deps: LogoDeps, upload: UploadedFile, uploaderId: string | null): Promise<LogoResult> {
  const stored = await storeImage(deps, upload, LOGO_KIND, uploaderId);
  return stored.ok ? stored : { ok: false, problem: PROBLEMS[stored.reason] };
}

/** A stored organisation logo (live or proposed), or undefined for any other id. */
export function findLogoFile(db: Kysely<Database>, id: string) {
  return findImageFile(db, id, LOGO_PURPOSE);
}

export type LogoField = { ok: true; logo: string | null | undefined } | { ok: false; field: string; problem: FieldProblem };

/**
 * The logo a submitted form asks for: a new upload (stored at once, so that a form refused for
 * another field keeps it), none when "remove" is ticked or the page had none, the logo the page
 * carried, or undefined (leave the record's logo as it is) when the form says nothing about it.
 * `raw` is updated in place (the kept logo becomes the new one) so that a redisplayed form keeps it.
 */
export async function resolveLogoField(deps: LogoDeps, raw: Record<string, unknown>, uploaderId: string | null): Promise<LogoField> {
  const resolved = await resolveImageField(deps, raw, LOGO_FIELDS, LOGO_KIND, uploaderId);
  return resolved.ok ? { ok: true, logo: resolved.fileId } : { ok: false, field: resolved.field, problem: PROBLEMS[resolved.reason] };
}
