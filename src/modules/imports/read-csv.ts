import fs from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { decoderFor } from './detect-encoding.js';
import { ImportError } from './errors.js';
import type { TextDetection } from './types.js';

/** A record of the file: its spreadsheet row number and cells (the header is row 1). */
export interface RawRecord {
  row: number;
  cells: string[];
}

export interface ReadLimits {
  /** Largest record, in bytes of UTF-8 (a 10 MB line is refused here, with its row). */
  maxRecordBytes: number;
  maxColumns: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxRecordBytes: 1024 * 1024, maxColumns: 500 };
/** Records handed over at once: per-record promises would cost more than parsing. */
export const READ_BATCH = 250;
/** …or fewer when rows are long: a batch holds about this many characters at most. */
export const READ_BATCH_CHARS = 2 * 1024 * 1024;

/** Re-encodes a single-byte or UTF-16 stream to UTF-8 for the parser. */
function toUtf8(encoding: TextDetection['encoding']): Transform {
  const decoder = decoderFor(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      const rest = decoder.decode();
      done(null, rest ? Buffer.from(rest, 'utf8') : null);
    },
  });
}

/** The French refusal for a parser error, at the row where the failing record begins. */
function csvFailure(error: CsvError, row: number, limits: ReadLimits): ImportError {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportError('imports.error.recordTooLarge', { row, maxBytes: limits.maxRecordBytes }, row);
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportError('imports.error.quoteNotClosed', { row }, row);
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ImportError('imports.error.badQuote', { row, detail: error.message }, row);
    default:
      return new ImportError('imports.error.csv', { row, detail: error.message }, row);
  }
}

/**
 * Whether a cell spanning lines holds whole rows of the file: a line of it with as many separators
 * as a row has (half of the header's at least), as when a quote opened on a row only closes rows
 * further down. A real multi-line cell (an address, a description) has no such line.
 */
export function swallowsRows(cell: string, delimiter: string, columns: number): boolean {
  if (!cell.includes('\n') && !cell.includes('\r')) return false;
  const enough = Math.max(2, Math.ceil((columns - 1) / 2));
  for (const line of cell.split(/\r\n|\r|\n/)) {
    let found = 0;
    for (let at = line.indexOf(delimiter); at !== -1; at = line.indexOf(delimiter, at + delimiter.length)) {
      if (++found >= enough) return true;
    }
  }
  return false;
}

/**
 * Items of an object stream in arrays of up to `size`, the stream paused while a full array waits
 * to be taken: memory stays bounded, and consumers pay one promise per array, not per item.
 */
export async function* inBatches<T>(stream: Readable, size: number, weigh: (item: T) => number, maxWeight: number): AsyncGenerator<T[]> {
  let buffer: T[] = [];
  let weight = 0;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('data', (item: T) => {
    weight += weigh(item);
    buffer.push(item);
    if (buffer.length >= size || weight >= maxWeight) {
      stream.pause();
      signal();
    }
  });
  stream.once('end', () => {
    ended = true;
    signal();
  });
  stream.once('error', (error) => {
    failure ??= error;
    signal();
  });
  try {
    for (;;) {
      if (buffer.length && (buffer.length >= size || weight >= maxWeight || ended || failure)) {
        const batch = buffer;
        buffer = [];
        weight = 0;
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      stream.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Streams the records of a CSV file with bounded memory: read in chunks, decoded to UTF-8,
 * parsed by csv-parse with a cap on each record. Rows are numbered as a spreadsheet shows them
 * (a blank line is a row, a multi-line cell one row).
 */
export async function* readCsvRecords(file: string, text: TextDetection, bomLength: number, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<RawRecord[]> {
  // 64 KB pieces: decoded from a single-byte encoding, a piece becomes a string, which V8 keeps in
  // its young generation (dead at once) only below ~128 KB.
  const source = fs.createReadStream(file, { start: bomLength, highWaterMark: 64 * 1024 });
  const parser = parse({
    delimiter: text.delimiter,
    // 'none': quotes chosen to be read as plain text.
    quote: text.quote === 'none' ? false : (text.quote ?? '"'),
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: limits.maxRecordBytes,
    bom: false,
  });
  const input = text.encoding === 'utf-8' ? source : source.pipe(toUtf8(text.encoding));
  source.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let row = 0;
  /** The header's cells. */
  let columns = 0;
  const weigh = (cells: string[]) => {
    row++;
    let chars = 0;
    for (const cell of cells) chars += cell.length;
    return chars;
  };
  try {
    for await (const records of inBatches<string[]>(parser, READ_BATCH, weigh, READ_BATCH_CHARS)) {
      const batch: RawRecord[] = [];
      let n = row - records.length;
      for (const cells of records) {
        n++;
        if (cells.length > limits.maxColumns) throw new ImportError('imports.error.tooManyColumns', { row: n, max: limits.maxColumns }, n);
        if (n === 1) columns = cells.length;
        else if (cells.some((cell) => swallowsRows(cell, text.delimiter, columns))) throw new ImportError('imports.error.quoteSwallowsRows', { row: n }, n);
        batch.push({ row: n, cells });
      }
      yield batch;
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvFailure(error, row + 1, limits);
    throw error;
  } finally {
    source.destroy();
  }
}
