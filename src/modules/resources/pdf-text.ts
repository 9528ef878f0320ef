import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Caps of one extraction: a hostile PDF (thousands of pages, a bomb of text, a parser stall, a
 * memory blow-up) ends with a recorded error, never with a hung or exhausted process.
 */
export interface PdfTextLimits {
  /** Pages read at most (the first ones). */
  maxPages: number;
  /** Characters kept at most. */
  maxChars: number;
  /** The worker is stopped after this long. */
  timeoutMs: number;
  /** Heap of the worker thread (V8's old generation), in MB. */
  maxMemoryMb: number;
}

export const PDF_TEXT_LIMITS: PdfTextLimits = { maxPages: 300, maxChars: 1_000_000, timeoutMs: 60_000, maxMemoryMb: 384 };

/** Why no text came out: not a PDF pdfjs can read, password-protected, too slow, too big, or the worker failed. */
export type PdfTextError = 'invalid' | 'encrypted' | 'unreadable' | 'timeout' | 'memory' | 'failed';

export type PdfTextResult =
  | { ok: true; text: string; pages: number; totalPages: number; truncated: boolean }
  | { ok: false; error: PdfTextError; detail: string };

const require = createRequire(import.meta.url);
/** pdfjs reads the standard fonts' metrics from its own folder (no warning, no network). */
const STANDARD_FONTS = `${path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}${path.sep}`;
const WORKER = new URL('./pdf-text-worker.mjs', import.meta.url);

function isResult(value: unknown): value is PdfTextResult {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

/** The text of a PDF on disk, read in a worker thread within the limits. */
export function extractPdfText(file: string, limits: PdfTextLimits = PDF_TEXT_LIMITS): Promise<PdfTextResult> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(WORKER, {
      workerData: { file, maxPages: limits.maxPages, maxChars: limits.maxChars, standardFontDataUrl: STANDARD_FONTS },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    // pdfjs's own warnings stay out of the application's output.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (result: PdfTextResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout', detail: `stopped after ${limits.timeoutMs} ms` }), limits.timeoutMs);
    worker.on('message', (message: unknown) => finish(isResult(message) ? message : { ok: false, error: 'failed', detail: 'unexpected message' }));
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ ok: false, error: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'failed', detail: `${error.name}: ${error.message}`.slice(0, 300) }),
    );
    worker.on('exit', (code) => finish({ ok: false, error: 'failed', detail: `worker exited (${code})` }));
  });
}
