import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { attachmentDisposition, safeDownloadName, sniffDocument } from './documents.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-sniff-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function sniff(content: Buffer) {
  const file = path.join(dir, `f${n++}`);
  fs.writeFileSync(file, content);
  return sniffDocument(file);
}

/** A ZIP archive of stored (uncompressed) entries, in order. */
function zip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal OLE2 compound file (512-byte sectors: the FAT, then the directory) naming these streams. */
function ole(streams: string[]): Buffer {
  const header = Buffer.alloc(512, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // the directory starts at sector 1
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: the FAT itself
  fat.writeUInt32LE(0xfffffffe, 4); // sector 1: the directory, one sector
  const directory = Buffer.alloc(512, 0);
  ['Root Entry', ...streams].slice(0, 4).forEach((name, i) => {
    const at = i * 128;
    directory.write(`${name}\0`, at, 'utf16le');
    directory.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    directory.writeUInt8(i === 0 ? 5 : 2, at + 0x42);
  });
  return Buffer.concat([header, fat, directory]);
}

test('PDFs and images are recognised by their first bytes', async () => {
  assert.deepEqual(await sniff(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')), { ok: true, format: 'pdf' });
  assert.deepEqual(await sniff(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer()), { ok: true, format: 'png' });
  assert.deepEqual(await sniff(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).jpeg().toBuffer()), { ok: true, format: 'jpeg' });
  assert.deepEqual(await sniff(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).webp().toBuffer()), { ok: true, format: 'webp' });
});

test('HTML, scripts, SVG and empty files are refused whatever their name', async () => {
  for (const content of ['<!DOCTYPE html><html><body><script>alert(1)</script></body></html>', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', '#!/bin/sh\nrm -rf /', '', ' %PDF-1.4']) {
    assert.deepEqual(await sniff(Buffer.from(content)), { ok: false, reason: 'type' }, content);
  }
});

test('ZIP-based office files are told apart by the entries they hold, not by their name', async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Budget').addRow(['Projet', 1200]);
  assert.deepEqual(await sniff(Buffer.from(await workbook.xlsx.writeBuffer())), { ok: true, format: 'xlsx' });
  const types = ['[Content_Types].xml', '<Types/>'] as [string, string];
  assert.deepEqual(await sniff(zip([types, ['word/document.xml', '<w:document/>']])), { ok: true, format: 'docx' });
  assert.deepEqual(await sniff(zip([types, ['ppt/presentation.xml', '<p:presentation/>']])), { ok: true, format: 'pptx' });
  for (const [type, format] of [
    ['text', 'odt'],
    ['spreadsheet', 'ods'],
    ['presentation', 'odp'],
  ] as const) {
    assert.deepEqual(await sniff(zip([['mimetype', `application/vnd.oasis.opendocument.${type}`], ['content.xml', '<office:document-content/>']])), { ok: true, format });
  }
  // A plain archive, an EPUB, an Office file with a macro project, an OpenDocument file with Basic macros.
  assert.deepEqual(await sniff(zip([['rapport.pdf', '%PDF-1.4']])), { ok: false, reason: 'type' });
  assert.deepEqual(await sniff(zip([['mimetype', 'application/epub+zip'], ['content.xml', '<x/>']])), { ok: false, reason: 'type' });
  assert.deepEqual(await sniff(zip([types, ['word/document.xml', '<w:document/>'], ['word/vbaProject.bin', 'VBA']])), { ok: false, reason: 'macros' });
  assert.deepEqual(await sniff(zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>'], ['Basic/Standard/Module1.xml', '<x/>']])), { ok: false, reason: 'macros' });
  // A truncated archive (no central directory).
  assert.deepEqual(await sniff(zip([types, ['word/document.xml', '<w:document/>']]).subarray(0, 60)), { ok: false, reason: 'type' });
});

test('legacy Word, Excel and PowerPoint files are told apart by their main stream', async () => {
  assert.deepEqual(await sniff(ole(['WordDocument', 'SummaryInformation'])), { ok: true, format: 'doc' });
  assert.deepEqual(await sniff(ole(['Workbook'])), { ok: true, format: 'xls' });
  assert.deepEqual(await sniff(ole(['PowerPoint Document'])), { ok: true, format: 'ppt' });
  assert.deepEqual(await sniff(ole(['WordDocument', 'Macros'])), { ok: false, reason: 'macros' });
  assert.deepEqual(await sniff(ole(['__substg1.0_0037001F'])), { ok: false, reason: 'type' }, 'an Outlook message is not a document');
});

test('download names keep no folder nor reserved character, end with the real extension, and travel as RFC 5987', () => {
  assert.equal(safeDownloadName('../../etc/passwd', 'pdf', 'x'), 'passwd.pdf');
  assert.equal(safeDownloadName('C:\\Users\\a\\Étude "eau"; Sénégal.PDF', 'pdf', 'x'), 'Étude eau Sénégal.pdf');
  assert.equal(safeDownloadName('rapport.html', 'pdf', 'x'), 'rapport.pdf');
  assert.equal(safeDownloadName('\u0000\u001f', 'docx', 'guide-2024'), 'guide-2024.docx');
  assert.equal(attachmentDisposition('Étude eau Sénégal.pdf'), `attachment; filename="Etude eau Senegal.pdf"; filename*=UTF-8''%C3%89tude%20eau%20S%C3%A9n%C3%A9gal.pdf`);
  assert.equal(attachmentDisposition('Œuvre (2024) 100%.pdf'), `attachment; filename="_uvre (2024) 100_.pdf"; filename*=UTF-8''%C5%92uvre%20%282024%29%20100%25.pdf`);
});
