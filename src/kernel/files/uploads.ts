import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../ids.js';

/** What a multipart file field becomes in a request body once streamed to disk. */
export interface UploadedFile {
  tmpPath: string;
  filename: string;
  declaredMime: string;
  size: number;
  /** True when the file was larger than the cap: its content is incomplete and must be refused. */
  truncated: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && 'tmpPath' in value && 'truncated' in value;
}

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

export async function streamToTemp(
  dataDir: string,
  stream: Readable & { truncated?: boolean },
  meta: { filename: string; mimetype: string },
): Promise<UploadedFile | null> {
  const dir = path.join(dataDir, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, `upload-${newId()}`);
  try {
    await pipeline(stream, createWriteStream(tmpPath, { mode: 0o600 }));
  } catch (error) {
    await fs.rm(tmpPath, { force: true });
    throw error;
  }
  const { size } = await fs.stat(tmpPath);
  if (size === 0 && !meta.filename) {
    await fs.rm(tmpPath, { force: true });
    return null;
  }
  return { tmpPath, filename: meta.filename, declaredMime: meta.mimetype, size, truncated: Boolean(stream.truncated) };
}

export async function readHead(file: string, bytes = 32): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Moves an accepted temporary upload into DATA_DIR/uploads/<yyyy>/<id>.<ext>; returns the relative path. */
export async function keepUpload(dataDir: string, upload: UploadedFile, id: string, ext: string): Promise<string> {
  const relative = path.join(new Date().getUTCFullYear().toString(), `${id}.${ext}`);
  const target = path.join(uploadsDir(dataDir), relative);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(upload.tmpPath, target);
  return relative;
}

export async function discardUpload(upload: UploadedFile | null | undefined): Promise<void> {
  if (upload) await fs.rm(upload.tmpPath, { force: true });
}
