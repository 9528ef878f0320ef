import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { bodyWords } from './extraction.js';
import { extractPdfText, PDF_TEXT_LIMITS } from './pdf-text.js';
import { makePdf } from './test-fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-pdf-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('the text of every page of a PDF is read, accents kept', async () => {
  const file = write('guide.pdf', await makePdf(['Guide de la coopération décentralisée', 'Deuxième page : l’œuvre des jumelages au Sénégal']));
  const result = await extractPdfText(file);
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.pages, 2);
  assert.equal(result.truncated, false);
  assert.match(result.text, /coopération décentralisée/);
  assert.match(result.text, /œuvre des jumelages au Sénégal/);
});

test('the page and character caps stop the reading and say so', async () => {
  const file = write('long.pdf', await makePdf(['Première page', 'Deuxième page', 'Troisième page']));
  const pages = await extractPdfText(file, { ...PDF_TEXT_LIMITS, maxPages: 1 });
  assert.ok(pages.ok);
  assert.equal(pages.pages, 1);
  assert.equal(pages.totalPages, 3);
  assert.equal(pages.truncated, true);
  assert.doesNotMatch(pages.text, /Deuxième/);
  const chars = await extractPdfText(file, { ...PDF_TEXT_LIMITS, maxChars: 5 });
  assert.ok(chars.ok);
  assert.equal(chars.text.length, 5);
  assert.equal(chars.truncated, true);
});

test('a broken PDF, a file that is no PDF, and a reading over its time are errors, not crashes', async () => {
  const broken = await extractPdfText(write('broken.pdf', '%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage without xref'));
  assert.deepEqual(broken.ok ? 'ok' : broken.error, 'invalid');
  const truncated = (await makePdf(['Coupé en deux'])).subarray(0, 200);
  const cut = await extractPdfText(write('cut.pdf', truncated));
  assert.equal(cut.ok, false);
  const html = await extractPdfText(write('page.pdf', '<!DOCTYPE html><html><body>Bonjour</body></html>'));
  assert.equal(html.ok, false);
  const slow = await extractPdfText(write('ok.pdf', await makePdf(['Texte'])), { ...PDF_TEXT_LIMITS, timeoutMs: 1 });
  assert.deepEqual(slow.ok ? 'ok' : slow.error, 'timeout');
  // The process is still fine: a normal reading works right after.
  assert.ok((await extractPdfText(write('after.pdf', await makePdf(['Encore'])))).ok);
});

test('the searchable words of a text are normalised, each once, bounded', () => {
  assert.equal(bodyWords('Les réseaux et les Réseaux : coopération, COOPÉRATION !'), 'reseau cooperation');
  const many = Array.from({ length: 60_000 }, (_, i) => `mot${i}`).join(' ');
  assert.ok(bodyWords(many).length <= 200_000);
  assert.equal(bodyWords(`${'a'.repeat(500)} eau`), 'eau');
});
