import { randomBytes, randomFillSync } from 'node:crypto';

/** The 48-bit millisecond timestamp of a UUIDv7, big-endian, into bytes 0–5 of `target`. */
function writeTime(target: Buffer, now: number): void {
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    target[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
}

/** The version and variant bits, then the 8-4-4-4-12 text form. */
function format(bytes: Buffer): string {
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** UUIDv7 (RFC 9562): time-ordered, portable across dialects, safe for merges. */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  writeTime(bytes, now);
  return format(bytes);
}

/**
 * `count` UUIDv7 of the same millisecond, their randomness drawn at once: bulk writes (imports)
 * make hundreds of thousands of ids, and one system call per id costs more than the rest of a row.
 */
export function newIds(count: number, now: number = Date.now()): string[] {
  const random = Buffer.allocUnsafe(count * 10);
  randomFillSync(random);
  const bytes = Buffer.alloc(16);
  writeTime(bytes, now);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    random.copy(bytes, 6, i * 10, i * 10 + 10);
    ids[i] = format(bytes);
  }
  return ids;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from a URL or a form has the form of an id: anything else is unknown, never a query. */
export function isId(value: string): boolean {
  return UUID.test(value);
}
