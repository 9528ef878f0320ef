import { type DocumentDeps, storeDocument } from '../../kernel/files/documents.js';
import { isUploadedFile } from '../../kernel/files/uploads.js';
import { isId } from '../../kernel/ids.js';
import * as repo from './repo.js';
import { RESOURCE_FILE_PURPOSE } from './types.js';
import type { FieldProblem } from './validate.js';

/** A resource's file weighs 50 MB at most (README: uploads). */
export const RESOURCE_MAX_BYTES = 50 * 1024 * 1024;
/** The cap the forms apply; tests lower `bytes` to try a refusal without sending 50 MB. */
export const uploadCap = { bytes: RESOURCE_MAX_BYTES };

/** Route config of the forms with a file: @fastify/multipart merges these limits over the kernel's (read per request). */
export const resourceMultipartOptions = {
  // A file over the cap arrives truncated (not an error): the form says so next to its field.
  throwFileSizeLimit: false,
  limits: {
    files: 1,
    // One byte over the cap: a file of exactly the cap is whole, a larger one arrives truncated.
    get fileSize(): number {
      return uploadCap.bytes + 1;
    },
  },
};

/** Form fields of the file: the upload, the file the page carries (an id, '' for none), the box to remove it. */
export const FILE_FIELDS = { upload: 'file_upload', kept: 'file', remove: 'remove_file' } as const;

export type FileField = { id: string | null | undefined; problem?: FieldProblem };

/**
 * The file a submitted form asks for: a new upload (checked by content and stored at once, so that
 * a form refused for another field keeps it), none when "remove" is ticked, the file the page
 * carried, or undefined (leave the resource's file as it is) when the form says nothing of it.
 * `raw` then carries the new file's id. A member may keep only a file they uploaded themselves.
 */
export async function resolveFileField(deps: DocumentDeps, raw: Record<string, unknown>, uploader: { id: string | null; staff: boolean }): Promise<FileField> {
  const upload = raw[FILE_FIELDS.upload];
  delete raw[FILE_FIELDS.upload];
  if (isUploadedFile(upload)) {
    const stored = await storeDocument(deps, upload, { purpose: RESOURCE_FILE_PURPOSE, maxBytes: uploadCap.bytes, uploaderId: uploader.id });
    if (!stored.ok) {
      const key = stored.reason === 'size' ? 'resources.error.fileSize' : stored.reason === 'macros' ? 'resources.error.fileMacros' : 'resources.error.fileType';
      return { id: undefined, problem: { key, params: { maxBytes: uploadCap.bytes } } };
    }
    raw[FILE_FIELDS.kept] = stored.fileId;
    delete raw[FILE_FIELDS.remove];
    return { id: stored.fileId };
  }
  if (raw[FILE_FIELDS.remove] === '1') return { id: null };
  const kept = raw[FILE_FIELDS.kept];
  if (typeof kept !== 'string') return { id: undefined };
  const id = kept.trim();
  if (id === '') return { id: null };
  if (!isId(id)) return { id: undefined };
  const file = await repo.findFile(deps.db, id);
  if (!file || file.purpose !== RESOURCE_FILE_PURPOSE) return { id: undefined };
  if (!uploader.staff && (await repo.fileUploader(deps.db, id)) !== uploader.id) return { id: undefined };
  return { id };
}
