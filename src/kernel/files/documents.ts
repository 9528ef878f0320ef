import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { insertFile } from './repo.js';
import { sniffImage } from './sniff.js';
import { discardUpload, keepUpload, readHead, type UploadedFile } from './uploads.js';

/**
 * Documents people upload (a resource library's studies, guides, brochures…), recognised by their
 * content, never by their name or the type the browser declared: PDF, Office Open XML and
 * OpenDocument files (ZIP archives told apart by the entries they hold), legacy Word, Excel and
 * PowerPoint files (OLE2 compound files told apart by their streams) and PNG/JPEG/WebP images.
 */
export type DocumentFormat = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp' | 'doc' | 'xls' | 'ppt' | 'png' | 'jpeg' | 'webp';

export const DOCUMENT_FORMATS: Record<DocumentFormat, { mime: string; ext: string }> = {
  pdf: { mime: 'application/pdf', ext: 'pdf' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', ext: 'odt' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods' },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', ext: 'odp' },
  doc: { mime: 'application/msword', ext: 'doc' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls' },
  ppt: { mime: 'application/vnd.ms-powerpoint', ext: 'ppt' },
  png: { mime: 'image/png', ext: 'png' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  webp: { mime: 'image/webp', ext: 'webp' },
};

/** The format of a stored MIME type (the files table keeps the sniffed type). */
export function formatOfMime(mime: string): DocumentFormat | null {
  const found = Object.entries(DOCUMENT_FORMATS).find(([, f]) => f.mime === mime);
  return found ? (found[0] as DocumentFormat) : null;
}

export function isImageFormat(format: DocumentFormat): boolean {
  return format === 'png' || format === 'jpeg' || format === 'webp';
}

/** Why a document was refused: not a known format by its content, or an Office file carrying macros. */
export type DocumentRefusal = 'type' | 'macros';
export type SniffResult = { ok: true; format: DocumentFormat } | { ok: false; reason: DocumentRefusal };

/** A ZIP's central directory is read up to this size and entry count (an Office file holds a few hundred entries). */
const ZIP_DIRECTORY_MAX_BYTES = 4 * 1024 * 1024;
const ZIP_ENTRIES_MAX = 20_000;
/** An OLE2 directory is followed for this many sectors at most (a loop in a hostile file ends there). */
const OLE_DIRECTORY_SECTORS_MAX = 512;

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The entries a ZIP's central directory lists; null when the file is not a readable ZIP. */
async function zipEntries(handle: fs.FileHandle, size: number): Promise<ZipEntry[] | null> {
  // The end-of-central-directory record sits in the last 22 bytes, plus a comment of up to 65,535.
  const tailLength = Math.min(size, 22 + 65_535);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (count > ZIP_ENTRIES_MAX || directorySize > ZIP_DIRECTORY_MAX_BYTES || directoryOffset + directorySize > size) return null;
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === 0x02014b50 && entries.length < count) {
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    entries.push({
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      localOffset: directory.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const ODF_TYPES: Record<string, DocumentFormat> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

/** An OpenDocument file names its type in a first, uncompressed `mimetype` entry. */
async function odfType(handle: fs.FileHandle, entry: ZipEntry): Promise<DocumentFormat | null> {
  if (entry.method !== 0 || entry.compressedSize > 200) return null;
  const local = await readAt(handle, entry.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) return null;
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const type = (await readAt(handle, start, entry.compressedSize)).toString('latin1').trim();
  return ODF_TYPES[type] ?? null;
}

async function sniffZip(handle: fs.FileHandle, size: number): Promise<SniffResult> {
  const entries = await zipEntries(handle, size);
  if (!entries) return { ok: false, reason: 'type' };
  const names = new Set(entries.map((e) => e.name));
  // Macro projects (Word/Excel/PowerPoint VBA, OpenDocument Basic scripts) are refused.
  if (entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name) || /^Basic\/.+\.xml$/i.test(e.name))) return { ok: false, reason: 'macros' };
  if (names.has('[Content_Types].xml')) {
    if (names.has('word/document.xml')) return { ok: true, format: 'docx' };
    if (names.has('xl/workbook.xml')) return { ok: true, format: 'xlsx' };
    if (names.has('ppt/presentation.xml')) return { ok: true, format: 'pptx' };
    return { ok: false, reason: 'type' };
  }
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype && names.has('content.xml')) {
    const format = await odfType(handle, mimetype);
    if (format) return { ok: true, format };
  }
  return { ok: false, reason: 'type' };
}

const FREE_SECTOR = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;

/** Legacy Office files are OLE2 compound files: their directory names the document's main stream. */
async function sniffOle(handle: fs.FileHandle, size: number): Promise<SniffResult> {
  const header = await readAt(handle, 0, 512);
  if (header.length < 512) return { ok: false, reason: 'type' };
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return { ok: false, reason: 'type' };
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const sectorOffset = (n: number) => (n + 1) * sectorSize;
  // Where the FAT's sectors are: the first 109 in the header, the others in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(header.readUInt32LE(0x4c + i * 4));
  let difat = header.readUInt32LE(0x44);
  for (let hops = 0; difat !== END_OF_CHAIN && difat !== FREE_SECTOR && hops < 1000; hops++) {
    const sector = await readAt(handle, sectorOffset(difat), sectorSize);
    if (sector.length < sectorSize) break;
    for (let i = 0; i < perSector - 1; i++) fatSectors.push(sector.readUInt32LE(i * 4));
    difat = sector.readUInt32LE(sectorSize - 4);
  }
  const nextSector = async (n: number): Promise<number> => {
    const fatSector = fatSectors[Math.floor(n / perSector)];
    if (fatSector === undefined || fatSector === FREE_SECTOR || sectorOffset(fatSector) >= size) return END_OF_CHAIN;
    const entry = await readAt(handle, sectorOffset(fatSector) + (n % perSector) * 4, 4);
    return entry.length === 4 ? entry.readUInt32LE(0) : END_OF_CHAIN;
  };
  const streams = new Set<string>();
  let sector = header.readUInt32LE(0x30);
  for (let hops = 0; sector !== END_OF_CHAIN && sector !== FREE_SECTOR && hops < OLE_DIRECTORY_SECTORS_MAX; hops++) {
    const data = await readAt(handle, sectorOffset(sector), sectorSize);
    if (data.length < sectorSize) break;
    for (let at = 0; at + 128 <= data.length; at += 128) {
      const nameBytes = Math.min(data.readUInt16LE(at + 0x40), 64);
      if (nameBytes >= 2) streams.add(data.toString('utf16le', at, at + nameBytes - 2));
    }
    sector = await nextSector(sector);
  }
  if (streams.has('_VBA_PROJECT_CUR') || streams.has('Macros') || streams.has('VBA')) return { ok: false, reason: 'macros' };
  if (streams.has('WordDocument')) return { ok: true, format: 'doc' };
  if (streams.has('Workbook') || streams.has('Book')) return { ok: true, format: 'xls' };
  if (streams.has('PowerPoint Document')) return { ok: true, format: 'ppt' };
  return { ok: false, reason: 'type' };
}

/** The format of a file on disk, from its content only. */
export async function sniffDocument(file: string): Promise<SniffResult> {
  const head = await readHead(file, 16);
  if (head.toString('latin1', 0, 5) === '%PDF-') return { ok: true, format: 'pdf' };
  const image = sniffImage(head);
  if (image === 'image/png') return { ok: true, format: 'png' };
  if (image === 'image/jpeg') return { ok: true, format: 'jpeg' };
  if (image === 'image/webp') return { ok: true, format: 'webp' };
  const zip = head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
  const ole = head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (!zip && !ole) return { ok: false, reason: 'type' };
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    return zip ? await sniffZip(handle, size) : await sniffOle(handle, size);
  } finally {
    await handle.close();
  }
}

/**
 * A name people may keep for a downloaded copy: no folders, no control or reserved characters, at
 * most 120 characters, ending with the extension of the format the content really has.
 */
export function safeDownloadName(original: string, ext: string, fallback: string): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f"*:<>?|;]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 120)
    .trim();
  return `${base || fallback}.${ext}`;
}

/** `Content-Disposition: attachment` with an ASCII name for old clients and the UTF-8 name (RFC 6266, RFC 5987). */
export function attachmentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface DocumentDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: { dataDir: string };
}

export type StoreDocumentResult = { ok: true; fileId: string; format: DocumentFormat; size: number } | { ok: false; reason: 'size' | DocumentRefusal };

/**
 * Keeps an uploaded document of an accepted format (by content) and at most `maxBytes` as a file
 * of `purpose`: moved to DATA_DIR/uploads under a generated name (never the uploader's) with the
 * extension of its real format. A refused upload is removed at once.
 */
export async function storeDocument(deps: DocumentDeps, upload: UploadedFile, options: { purpose: string; maxBytes: number; uploaderId: string | null }): Promise<StoreDocumentResult> {
  try {
    if (upload.truncated || upload.size > options.maxBytes) return { ok: false, reason: 'size' };
    const sniffed = await sniffDocument(upload.tmpPath);
    if (!sniffed.ok) return sniffed;
    const { mime, ext } = DOCUMENT_FORMATS[sniffed.format];
    const id = newId();
    const storagePath = await keepUpload(deps.config.dataDir, upload, id, ext);
    await insertFile(deps.db, {
      id,
      purpose: options.purpose,
      original_name: safeDownloadName(upload.filename || 'document', ext, 'document'),
      mime,
      size: upload.size,
      storage_path: storagePath,
      created_by: options.uploaderId,
      created_at: deps.clock.now().toISOString(),
    });
    return { ok: true, fileId: id, format: sniffed.format, size: upload.size };
  } finally {
    // Kept uploads were moved away: removing the temporary path is then a no-op.
    await discardUpload(upload);
  }
}
