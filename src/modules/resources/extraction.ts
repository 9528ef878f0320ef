import path from 'node:path';
import { uploadsDir } from '../../kernel/files/uploads.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { extractPdfText, PDF_TEXT_LIMITS, type PdfTextLimits } from './pdf-text.js';
import * as repo from './repo.js';
import { EXTRACT_JOB, type ResourcesDeps } from './service.js';

/** Indexed words are at most this long (longer "words" are noise, and PostgreSQL skips them anyway). */
const WORD_MAX = 60;
/** The distinct words kept from one document: well under PostgreSQL's 1 MB per tsvector. */
const BODY_MAX_CHARS = 200_000;

/**
 * The searchable words of an extracted text: normalised like every indexed text (kernel/search),
 * each word once (the search matches words, not phrases), within BODY_MAX_CHARS.
 */
export function bodyWords(text: string): string {
  const seen = new Set<string>();
  let length = 0;
  for (const token of searchTokens(text)) {
    if (token.length > WORD_MAX || seen.has(token)) continue;
    if (length + token.length + 1 > BODY_MAX_CHARS) break;
    seen.add(token);
    length += token.length + 1;
  }
  return [...seen].join(' ');
}

export interface ExtractPayload {
  resourceId: string;
  fileId: string;
}

/**
 * Reads the text of a resource's PDF into its search words. A PDF that cannot be read (broken,
 * protected, too slow, too big) records its error on the resource, shown to staff; the resource
 * stays as it is (published or not). A resource whose file changed since the job was queued is
 * left to the newer job.
 */
export async function extractResourceText(deps: ResourcesDeps, payload: ExtractPayload, limits: PdfTextLimits = PDF_TEXT_LIMITS): Promise<void> {
  const resource = await repo.findResourceById(deps.db, payload.resourceId);
  if (!resource || resource.file_id !== payload.fileId) return;
  const file = await repo.findFile(deps.db, payload.fileId);
  if (!file || file.mime !== 'application/pdf') return;
  const result = await extractPdfText(path.join(uploadsDir(deps.config.dataDir), file.storage_path), limits);
  const at = deps.clock.now().toISOString();
  // The file may have been replaced while the text was read.
  const current = await repo.findResourceById(deps.db, payload.resourceId);
  if (!current || current.file_id !== payload.fileId) return;
  if (!result.ok) {
    await repo.saveExtraction(deps.db, resource.id, { status: 'failed', error: result.error, pages: null, chars: null, at, bodyText: '' });
    return;
  }
  await repo.saveExtraction(deps.db, resource.id, {
    status: 'done',
    error: result.truncated ? 'truncated' : null,
    pages: result.pages,
    chars: result.text.length,
    at,
    bodyText: bodyWords(result.text),
  });
}

export function defineResourceJobs(jobs: Jobs, kernel: Kernel): void {
  jobs.define<ExtractPayload>({
    name: EXTRACT_JOB,
    // A PDF that cannot be read is recorded, not retried; a database error is retried once.
    maxAttempts: 2,
    leaseSeconds: Math.ceil(PDF_TEXT_LIMITS.timeoutMs / 1000) + 60,
    handler: async (payload) => extractResourceText(kernel, payload),
  });
}
