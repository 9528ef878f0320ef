import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findImageFile, type ImageDeps, type ImageKind, type ImageRefusal, resolveImageField } from '../../kernel/files/images.js';
import type { FieldProblem } from './validate.js';

/** `files.purpose` of events' images (live or waiting in a proposal). */
export const EVENT_IMAGE_PURPOSE = 'event-image';
/** Event images are reduced to fit this box (aspect kept, never enlarged): enough for a page and for sharing. */
export const EVENT_IMAGE_BOX = 1200;
const KIND: ImageKind = { purpose: EVENT_IMAGE_PURPOSE, box: EVENT_IMAGE_BOX, defaultName: 'image' };

/** Form fields: the file chosen, the image kept from the page (a file id, '' for none), the box to remove it. */
export const EVENT_IMAGE_FIELDS = { upload: 'image_file', kept: 'image', remove: 'remove_image' } as const;

const PROBLEMS: Record<ImageRefusal, FieldProblem> = {
  size: { key: 'events.error.imageSize' },
  type: { key: 'events.error.imageType' },
  unreadable: { key: 'events.error.imageUnreadable' },
};

export type EventImageField = { ok: true; fileId: string | null | undefined } | { ok: false; field: string; problem: FieldProblem };

/**
 * The image an event form asks for (kernel/files/images.ts: checked by content, 2 MB at most,
 * re-encoded as WebP): a new upload, none, the one the page carried, or undefined (leave the
 * event's image as it is) when the form says nothing about it. `raw` then carries the kept image.
 */
export async function resolveEventImage(deps: ImageDeps, raw: Record<string, unknown>, uploaderId: string | null): Promise<EventImageField> {
  const resolved = await resolveImageField(deps, raw, EVENT_IMAGE_FIELDS, KIND, uploaderId);
  return resolved.ok ? resolved : { ok: false, field: resolved.field, problem: PROBLEMS[resolved.reason] };
}

/** A stored event image (live or proposed), or undefined for any other id. */
export function findEventImageFile(db: Kysely<Database>, id: string) {
  return findImageFile(db, id, EVENT_IMAGE_PURPOSE);
}

/** The public address of a public event's image; `?v=` its file id, so that caches keep it. */
export function eventImageHref(e: { id: string; image_file_id: string | null }): string | null {
  return e.image_file_id ? `/media/events/${e.id}/image?v=${e.image_file_id}` : null;
}
