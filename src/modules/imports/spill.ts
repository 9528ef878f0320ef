// The records of a validated batch, kept on disk between validation and commit
// (DATA_DIR/imports/records/<batch>.ndjson, one JSON line per row; removed once the batch is
// committed or undone, replaced by a new validation): the commit writes them without reading,
// decoding, parsing and mapping the file a second time. The spill is only used when it was made
// from the same file (SHA-256), the same mapping, the same taxonomies and in the same year as the
// commit would use; otherwise, or when it is missing or incomplete, the commit reads the file
// again as before. The records are the same either way.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ImportRecord } from './types.js';

const FORMAT = 2;
/** Lines per write, and bytes per read, of a spill: pieces that stay small (see SpillWriter.write). */
const WRITE_LINES = 40;
const READ_BYTES = 64 * 1024;

/** What the records depend on, besides the file's rows. */
export function spillKey(batch: { file_sha256: string; mapping: string | null }, codes: unknown, now: Date): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, batch.file_sha256, batch.mapping, codes, now.getUTCFullYear()]))
    .digest('hex');
}

export function spillPath(dataDir: string, batchId: string): string {
  return path.join(dataDir, 'imports', 'records', `${batchId}.ndjson`);
}

/** A record as the commit needs it: its issues were reported at validation and are not kept. */
function line(record: ImportRecord): string {
  return JSON.stringify({
    row: record.row,
    sourceRef: record.sourceRef,
    organisation: record.organisation,
    isMember: record.isMember,
    membershipYear: record.membershipYear,
    contact: record.contact,
    flagged: record.flagged,
  });
}

/** Writes the spill of a validation as it goes; `finish` makes it visible (renamed), `abort` removes it. */
export class SpillWriter {
  /** A write that failed (disk full…): the next write, or the end, reports it. */
  private failure: Error | null = null;

  private constructor(
    private readonly stream: fs.WriteStream,
    private readonly partial: string,
    private readonly target: string,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  static async open(dataDir: string, batchId: string, key: string): Promise<SpillWriter> {
    const target = spillPath(dataDir, batchId);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rm(target, { force: true });
    // Its own partial file: a validation dropped meanwhile (see validateBatch) removes only its own.
    const partial = `${target}.${randomUUID()}.partial`;
    const writer = new SpillWriter(fs.createWriteStream(partial, { mode: 0o600 }), partial, target);
    await writer.put(`${JSON.stringify({ format: FORMAT, key })}\n`);
    return writer;
  }

  private put(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.stream.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async write(records: ImportRecord[]): Promise<void> {
    if (!records.length) return;
    // A few dozen lines per piece: a text over ~128 KB would be allocated by V8 outside the young
    // generation, and stay as garbage until the next full collection. Each piece becomes bytes as
    // it is handed over; only the last one is waited for (one chunk's bytes at most are queued).
    let last = 0;
    for (let i = WRITE_LINES; i < records.length; i += WRITE_LINES) {
      this.stream.write(`${records.slice(last, i).map(line).join('\n')}\n`);
      last = i;
    }
    await this.put(`${records.slice(last).map(line).join('\n')}\n`);
  }

  async finish(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    await fsp.rename(this.partial, this.target);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await fsp.rm(this.partial, { force: true });
  }
}

/**
 * The lines of a file, read as they are consumed, an array per piece read: `for await` over the
 * stream pulls one piece after another, so at most one piece and its lines are in memory.
 * (readline's async iterator can read far ahead when its consumer is slower than the disk, as a
 * commit is.)
 */
async function* linesOf(input: fs.ReadStream): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lines.push(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (lines.length) yield lines;
  }
  if (rest) yield [rest];
}

/**
 * The spilled records of a batch, in row order, in arrays as they are read, when a spill made
 * with this key exists; null otherwise (the caller reads the file).
 */
export async function openSpill(dataDir: string, batchId: string, key: string): Promise<AsyncGenerator<ImportRecord[]> | null> {
  const file = spillPath(dataDir, batchId);
  let input: fs.ReadStream;
  try {
    input = fs.createReadStream(file, { highWaterMark: READ_BYTES, encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
  } catch {
    return null;
  }
  const pieces = linesOf(input);
  const first = await pieces.next();
  const lines = first.done ? [] : first.value;
  let header: { format?: number; key?: string } = {};
  try {
    header = lines.length ? (JSON.parse(lines[0]!) as typeof header) : {};
  } catch {
    header = {};
  }
  if (header.format !== FORMAT || header.key !== key) {
    input.destroy();
    return null;
  }
  const records = (piece: string[]) => {
    const out: ImportRecord[] = [];
    for (const text of piece) {
      if (!text) continue;
      const record = JSON.parse(text) as ImportRecord;
      record.issues = [];
      out.push(record);
    }
    return out;
  };
  return (async function* spilled() {
    try {
      yield records(lines.slice(1));
      for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield records(next.value);
    } finally {
      input.destroy();
    }
  })();
}

export async function removeSpill(dataDir: string, batchId: string): Promise<void> {
  const target = spillPath(dataDir, batchId);
  await fsp.rm(target, { force: true });
  // And the partial files of validations whose worker was killed.
  const names = await fsp.readdir(path.dirname(target)).catch(() => [] as string[]);
  const prefix = `${batchId}.`;
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.partial')) await fsp.rm(path.join(path.dirname(target), name), { force: true });
}
