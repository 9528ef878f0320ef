// Reads the text of one PDF with pdfjs-dist, in a worker thread that pdf-text.ts starts with
// memory limits and ends after a time limit: a hostile PDF can stall or fill this thread only.
// Plain JavaScript so that it loads whatever runs the application (tsx, or a register() hook that
// worker threads do not inherit).
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const { file, maxPages, maxChars, standardFontDataUrl } = workerData;

function failure(error) {
  const name = error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
  const message = error && typeof error === 'object' && 'message' in error ? String(error.message) : String(error);
  const code = name === 'PasswordException' ? 'encrypted' : name === 'InvalidPDFException' ? 'invalid' : 'unreadable';
  return { ok: false, error: code, detail: `${name}: ${message}`.slice(0, 300) };
}

async function extract() {
  const data = new Uint8Array(await readFile(file));
  const task = getDocument({ data, isEvalSupported: false, disableFontFace: true, standardFontDataUrl, useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  const parts = [];
  let length = 0;
  let pages = 0;
  let truncated = doc.numPages > maxPages;
  try {
    for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (typeof item.str !== 'string') continue;
        const piece = item.hasEOL ? `${item.str}\n` : `${item.str} `;
        parts.push(piece);
        length += piece.length;
      }
      page.cleanup();
      pages = n;
      if (length >= maxChars) {
        truncated = truncated || n < doc.numPages || length > maxChars;
        break;
      }
    }
  } finally {
    await doc.destroy();
  }
  return { ok: true, text: parts.join('').slice(0, maxChars), pages, totalPages: doc.numPages, truncated };
}

extract().then(
  (result) => parentPort.postMessage(result),
  (error) => parentPort.postMessage(failure(error)),
);
