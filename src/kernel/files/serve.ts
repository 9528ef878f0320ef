import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { uploadsDir } from './uploads.js';

/** A versioned address (`?v=` the file's id) never changes content: caches keep it for 30 days. */
export const VERSIONED_CACHE = 'max-age=2592000, immutable';

/** Sends a stored image (404 when its file is gone), with an ETag: the file id never changes content. */
export async function sendStoredImage(
  request: FastifyRequest,
  reply: FastifyReply,
  dataDir: string,
  file: { file_id: string; storage_path: string; mime: string },
  cacheControl: string,
) {
  const location = path.join(uploadsDir(dataDir), file.storage_path);
  const stat = await fs.promises.stat(location).catch(() => null);
  if (!stat?.isFile()) throw new AppError('not_found');
  const etag = `"${file.file_id}"`;
  reply.header('cache-control', cacheControl).header('etag', etag).header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type(file.mime).header('content-length', stat.size).send(fs.createReadStream(location));
}
