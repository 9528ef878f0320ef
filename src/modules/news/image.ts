import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findImageFile, type ImageDeps, type ImageKind, type ImageRefusal, resolveImageField } from '../../kernel/files/images.js';
import type { MessageKey } from '../../kernel/i18n/index.js';

/** `files.purpose` of articles' images (live, in a draft or waiting in a proposal). */
export const NEWS_IMAGE_PURPOSE = 'news-image';
/** Article images are reduced to fit this box (aspect kept, never enlarged): enough for a page and for link previews. */
const KIND: ImageKind = { purpose: NEWS_IMAGE_PURPOSE, box: 1200, defaultName: 'image' };

/** Form fields: the file chosen, the image kept from the page (a file id, '' for none), the box to remove it. */
export const NEWS_IMAGE_FIELDS = { upload: 'image_file', kept: 'image', remove: 'remove_image' } as const;

const PROBLEMS: Record<ImageRefusal, MessageKey> = {
  size: 'news.error.imageSize',
  type: 'news.error.imageType',
  unreadable: 'news.error.imageUnreadable',
};

export type NewsImageField = { ok: true; fileId: string | null | undefined } | { ok: false; field: string; problem: MessageKey };

/**
 * The image an article form asks for (kernel/files/images.ts: checked by its content, 2 MB at most,
 * re-encoded as WebP without metadata): a new upload, none, the one the page carried, or undefined
 * (leave the article's image as it is) when the form says nothing of it.
 */
export async function resolveNewsImage(deps: ImageDeps, raw: Record<string, unknown>, uploaderId: string | null): Promise<NewsImageField> {
  const resolved = await resolveImageField(deps, raw, NEWS_IMAGE_FIELDS, KIND, uploaderId);
  return resolved.ok ? resolved : { ok: false, field: resolved.field, problem: PROBLEMS[resolved.reason] };
}

/** A stored article image (live or proposed), or undefined for any other id. */
export function findNewsImageFile(db: Kysely<Database>, id: string) {
  return findImageFile(db, id, NEWS_IMAGE_PURPOSE);
}
