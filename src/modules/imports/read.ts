import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { detectDialect } from './detect-dialect.js';
import { decodedAs, decoderFor, detectEncoding } from './detect-encoding.js';
import { ImportError } from './errors.js';
import { DEFAULT_LIMITS, type RawRecord, type ReadLimits, readCsvRecords } from './read-csv.js';
import { readXlsxRecords } from './read-xlsx.js';
import type { Detection, MessageRef, ReadingChoice, SourceRow, TextDetection } from './types.js';

/** The largest file an upload may bring (streamed to disk; memory stays bounded whatever the size). */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024;
const ENCODING_SAMPLE_BYTES = 1024 * 1024;
const DIALECT_SAMPLE_BYTES = 256 * 1024;
export const PREVIEW_ROWS = 10;

/** A data row with what reading noticed about it. */
export interface ReadRow extends SourceRow {
  /** Cells beyond the header's columns (dropped). */
  extraCells: number;
  /** The row holds U+FFFD: bytes that the detected encoding could not decode. */
  unreadable: boolean;
}

async function head(file: string, bytes: number): Promise<{ buffer: Buffer; size: number }> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { buffer: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function bomLength(text: TextDetection): number {
  if (!text.bom) return 0;
  return text.encoding === 'utf-8' ? 3 : 2;
}

/** Headers as the mapping names them: trimmed, blanks named by position, repeats numbered. */
function normaliseHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    let name = cell.replace(/\s+/g, ' ').trim() || `Colonne ${i + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name} (${count})`;
    return name;
  });
}

function records(file: string, detection: Pick<Detection, 'format' | 'text'>, limits: ReadLimits): AsyncGenerator<RawRecord[]> {
  if (detection.format === 'xlsx') return readXlsxRecords(file, limits);
  return readCsvRecords(file, detection.text!, bomLength(detection.text!), limits);
}

/** What kind of file this is, from its first bytes; refuses what cannot be imported. */
async function sniff(file: string): Promise<{ format: 'xlsx' } | { format: 'csv'; text: TextDetection }> {
  let sample: { buffer: Buffer; size: number };
  try {
    sample = await head(file, ENCODING_SAMPLE_BYTES);
  } catch {
    throw new ImportError('imports.error.fileNotFound', { file });
  }
  const { buffer, size } = sample;
  if (size === 0) throw new ImportError('imports.error.empty');
  if (buffer.length >= 4 && buffer.readUInt32BE(0) === 0x504b0304) return { format: 'xlsx' };
  if (buffer.length >= 8 && buffer.readUInt32BE(0) === 0xd0cf11e0 && buffer.readUInt32BE(4) === 0xa1b11ae1) throw new ImportError('imports.error.xls');
  const encoding = detectEncoding(buffer, buffer.length === size);
  if (encoding.kind === 'binary') throw new ImportError('imports.error.binary');
  const dialectBytes = buffer.subarray(encoding.bomLength, encoding.bomLength + DIALECT_SAMPLE_BYTES);
  const text = decoderFor(encoding.encoding).decode(dialectBytes);
  if (text.trim() === '') throw new ImportError('imports.error.empty');
  const complete = buffer.length === size && dialectBytes.length === buffer.length - encoding.bomLength;
  return { format: 'csv', text: { encoding: encoding.encoding, bom: encoding.bom, ...detectDialect(text, complete) } };
}

/**
 * Detects the format, encoding, separator and quoting of a file, reads its headers and first
 * rows. Refuses, in French, an empty or binary file and one without any data row. A person's
 * `choice` (CSV only) overrides the detected encoding, separator or quote; the detection stays in
 * `detectedText`, and a choice that leaves the file unreadable is refused (see checkChosenReading).
 */
export async function detectFile(file: string, limits: ReadLimits = DEFAULT_LIMITS, choice: ReadingChoice = {}): Promise<Detection> {
  const kind = await sniff(file);
  const chosen = choice.encoding !== undefined || choice.delimiter !== undefined || choice.quote !== undefined;
  if (kind.format === 'xlsx') {
    if (chosen) throw new ImportError('imports.error.readingXlsx');
    return readPreview(file, { format: 'xlsx' }, limits);
  }
  const text = chosenReading(kind.text, choice);
  if (sameReading(text, kind.text)) return readPreview(file, { format: 'csv', text: kind.text }, limits);
  const detection = await readPreview(file, { format: 'csv', text, detectedText: kind.text }, limits);
  checkChosenReading(detection, kind.text);
  return detection;
}

/** The headers and first rows of a file read as `reading` says (a batch's stored reading, say). */
export async function readPreview(file: string, reading: Pick<Detection, 'format' | 'text' | 'detectedText' | 'sheet'>, limits: ReadLimits = DEFAULT_LIMITS): Promise<Detection> {
  const detection: Detection = { ...reading, headers: [], preview: [] };
  for await (const rows of dataRows(file, detection, limits, (headers) => (detection.headers = headers))) {
    for (const row of rows.slice(0, PREVIEW_ROWS - detection.preview.length)) detection.preview.push({ row: row.row, values: row.values });
    if (detection.preview.length >= PREVIEW_ROWS) break;
  }
  if (detection.preview.length === 0) throw new ImportError('imports.error.noRows');
  return detection;
}

/**
 * The detected reading with a person's choice over it. A byte-order mark is skipped only when
 * read in its own encoding; a double quote chosen where none was seen is the detection's reading.
 */
export function chosenReading(detected: TextDetection, choice: ReadingChoice): TextDetection {
  const encoding = choice.encoding ?? detected.encoding;
  const quote = choice.quote === undefined || (choice.quote === '"' && detected.quote === null) ? detected.quote : choice.quote;
  return { encoding, bom: detected.bom && encoding === detected.encoding, delimiter: choice.delimiter ?? detected.delimiter, quote, lineEnding: detected.lineEnding };
}

/** Whether two readings read a file the same way (ISO-8859-1 and Windows-1252 decode alike: see decodedAs). */
export function sameReading(a: TextDetection, b: TextDetection): boolean {
  return decodedAs(a.encoding) === decodedAs(b.encoding) && a.bom === b.bom && a.delimiter === b.delimiter && a.quote === b.quote;
}

/** The separator as people name it (a message of the imports catalogue, or the character quoted). */
export function delimiterName(delimiter: string): MessageRef | string {
  const key = DELIMITER_LABEL[delimiter];
  return key ? { key } : `« ${delimiter} »`;
}

/** The names of the separators detected (see DELIMITERS). */
export const DELIMITER_LABEL: Record<string, MessageKey> = {
  ';': 'importWizard.delimiter.semicolon',
  ',': 'importWizard.delimiter.comma',
  '\t': 'importWizard.delimiter.tab',
  '|': 'importWizard.delimiter.pipe',
};

/**
 * Refuses a chosen reading under which the file no longer reads: another separator making a single
 * column, another encoding giving characters it cannot decode (in the headers or the first rows).
 */
function checkChosenReading(detection: Detection, detected: TextDetection): void {
  const text = detection.text!;
  if (text.delimiter !== detected.delimiter && detection.headers.length < 2) {
    throw new ImportError('imports.error.readingOneColumn', { separator: delimiterName(text.delimiter) });
  }
  if (decodedAs(text.encoding) !== decodedAs(detected.encoding)) {
    const broken = (values: string[]) => values.some((v) => v.includes('\uFFFD') || v.includes('\u0000'));
    const row = broken(detection.headers) ? 1 : detection.preview.find((r) => broken(r.values))?.row;
    if (row !== undefined) throw new ImportError('imports.error.readingUnreadable', { encoding: { key: `imports.encoding.${text.encoding}` as MessageKey }, row }, row);
  }
}

/**
 * The data rows of the file, streamed in arrays: the first non-blank record is the header (given
 * to `onHeaders`), every later record that is not blank is a row, cut or padded to the header.
 */
export async function* dataRows(
  file: string,
  detection: Pick<Detection, 'format' | 'text'>,
  limits: ReadLimits = DEFAULT_LIMITS,
  onHeaders?: (headers: string[]) => void,
): AsyncGenerator<ReadRow[]> {
  let width = -1;
  for await (const batch of records(file, detection, limits)) {
    const rows: ReadRow[] = [];
    for (const record of batch) {
      const cells = record.cells;
      const blank = cells.every((c) => c.trim() === '');
      if (width < 0) {
        if (blank) continue;
        const headers = normaliseHeaders(cells);
        // Trailing empty header cells (a separator at the end of each line) are not columns.
        while (headers.length > 1 && cells[headers.length - 1]!.trim() === '') headers.pop();
        width = headers.length;
        onHeaders?.(headers);
        continue;
      }
      if (blank) continue;
      let extra = 0;
      for (let i = width; i < cells.length; i++) if (cells[i]!.trim() !== '') extra++;
      const values = cells.length === width ? cells : cells.length > width ? cells.slice(0, width) : [...cells, ...Array<string>(width - cells.length).fill('')];
      let unreadable = false;
      for (const v of values) if (v.includes('\uFFFD')) unreadable = true;
      rows.push({ row: record.row, values, extraCells: extra ? cells.length : 0, unreadable });
    }
    if (rows.length) yield rows;
  }
  if (width < 0) throw new ImportError('imports.error.empty');
}
