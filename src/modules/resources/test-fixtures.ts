// Test-only helpers of the resource library: PDFs made with pdfkit, uploads laid on disk as the
// multipart hook leaves them, a stored file, a resource ready to use, and a new file proposed for one.
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { storeDocument } from '../../kernel/files/documents.js';
import type { UploadedFile } from '../../kernel/files/uploads.js';
import type { Kernel } from '../../kernel/http/types.js';
import { newId } from '../../kernel/ids.js';
import { propose } from '../moderation/index.js';
import { RESOURCE_MAX_BYTES } from './file-field.js';
import type { ResourceStatus } from './kinds.js';
import { createResource } from './service.js';
import { RESOURCE_FILE_PURPOSE, type ResourceDraft } from './types.js';
import { resourceValues } from './validate.js';

/** A PDF whose pages hold the given texts (one page each). */
export function makePdf(pages: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, info: { Title: 'Test' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (const text of pages) doc.addPage().fontSize(12).text(text);
    doc.end();
  });
}

/** Bytes written to DATA_DIR/tmp as an upload the multipart hook would hand to a route. */
export function tempUpload(dataDir: string, content: Buffer, filename: string, declaredMime = 'application/octet-stream'): UploadedFile {
  const tmpPath = path.join(dataDir, 'tmp', `upload-${newId()}`);
  fs.mkdirSync(path.dirname(tmpPath), { recursive: true });
  fs.writeFileSync(tmpPath, content);
  return { tmpPath, filename, declaredMime, size: content.length, truncated: false };
}

/** A stored resource file with that content (must be an accepted format). */
export async function storedFile(kernel: Kernel, content: Buffer, filename: string): Promise<string> {
  const stored = await storeDocument(kernel, tempUpload(kernel.config.dataDir, content, filename), { purpose: RESOURCE_FILE_PURPOSE, maxBytes: RESOURCE_MAX_BYTES, uploaderId: null });
  if (!stored.ok) throw new Error(`File refused: ${stored.reason}`);
  return stored.fileId;
}

const SEED = { id: null, email: 'seed@example.org' };

/** A resource written directly (no form), published unless told otherwise. */
export async function addResource(kernel: Kernel, draft: Partial<ResourceDraft> & { title: string }, status: ResourceStatus = 'published') {
  return createResource(
    kernel,
    SEED,
    {
      kind: 'study',
      summary: `Résumé de « ${draft.title} ».`,
      authors: null,
      organisation_id: null,
      year: null,
      language: 'fr',
      file_id: null,
      external_url: null,
      themes: [],
      countries: [],
      ...draft,
    },
    { status, source: 'staff' },
  );
}

/**
 * « Guide de l’eau potable » published with its first edition's PDF, and a change proposed by a
 * partner network, waiting in moderation: the title « … (2e édition) » and the second edition's PDF.
 */
export async function guideWithNewFileProposed(kernel: Kernel) {
  const oldFile = await storedFile(kernel, await makePdf(['Guide de l’eau, première édition']), 'guide-2024.pdf');
  const newFile = await storedFile(kernel, await makePdf(['Guide de l’eau, deuxième édition']), 'guide-2025.pdf');
  const resource = await addResource(kernel, { title: 'Guide de l’eau potable', kind: 'guide', file_id: oldFile });
  const proposed = await propose(kernel, {
    type: 'resource',
    entityId: resource.id,
    payload: { ...resourceValues(resource), title: 'Guide de l’eau potable (2e édition)', file: newFile },
    proposer: { userId: null, name: 'Réseau Eau', email: 'reseau-eau@example.org' },
  });
  if (!proposed.ok) throw new Error(`Proposal refused: ${JSON.stringify(proposed)}`);
  return { resource, oldFile, newFile, proposalId: proposed.id };
}
