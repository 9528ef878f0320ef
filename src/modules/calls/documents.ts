import fs from 'node:fs/promises';
import path from 'node:path';
import { type DocumentDeps, isImageFormat, sniffDocument, storeDocument } from '../../kernel/files/documents.js';
import { discardUpload, isUploadedFile, type UploadedFile, uploadsDir } from '../../kernel/files/uploads.js';

// Documents attached to calls (rules, application forms, budgets): PDF and office files,
// recognised by their content by kernel/files/documents.ts (never by name or declared type; Office
// files with macros refused), 10 MB at most each. No virus scanner runs: files are assumed clean,
// and are only ever served as downloads with their sniffed type (kernel/files/downloads.ts).

export type { DocumentDeps };

export const DOCUMENT_PURPOSE = 'call-document';
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Files one form submission may attach. */
export const DOCUMENTS_PER_FORM = 5;

/** Route config of the forms that take documents: a file over the cap arrives cut (then refused by name). */
export const documentMultipartOptions = {
  throwFileSizeLimit: false,
  limits: { files: DOCUMENTS_PER_FORM, fileSize: DOCUMENT_MAX_BYTES + 1 },
};

export type DocumentRefusal = 'size' | 'type' | 'macros' | 'empty';
export type StoreCallDocumentResult = { ok: true; fileId: string; name: string } | { ok: false; reason: DocumentRefusal; name: string };

/** Checks an upload (a PDF or office file, not an image) and stores it as a file of the calls; the upload is removed whatever happens. */
export async function storeCallDocument(deps: DocumentDeps, upload: UploadedFile, uploaderId: string | null): Promise<StoreCallDocumentResult> {
  const name = path.basename(upload.filename || 'document').slice(0, 200);
  if (upload.size === 0) {
    await discardUpload(upload);
    return { ok: false, reason: 'empty', name };
  }
  if (!upload.truncated && upload.size <= DOCUMENT_MAX_BYTES) {
    const sniffed = await sniffDocument(upload.tmpPath);
    if (sniffed.ok && isImageFormat(sniffed.format)) {
      await discardUpload(upload);
      return { ok: false, reason: 'type', name };
    }
  }
  const stored = await storeDocument(deps, upload, { purpose: DOCUMENT_PURPOSE, maxBytes: DOCUMENT_MAX_BYTES, uploaderId });
  return stored.ok ? { ok: true, fileId: stored.fileId, name } : { ok: false, reason: stored.reason, name };
}

/** The uploads of a form field (one file, several, or none). */
export function uploadsOf(value: unknown): UploadedFile[] {
  return (Array.isArray(value) ? value : [value]).filter(isUploadedFile);
}

/** Removes stored files from the disk (their rows are already gone). */
export async function removeStoredFiles(dataDir: string, files: Array<{ storage_path: string }>): Promise<void> {
  for (const f of files) await fs.rm(path.join(uploadsDir(dataDir), f.storage_path), { force: true });
}
