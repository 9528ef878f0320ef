import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.js';
import { attachmentDisposition } from './documents.js';
import { uploadsDir } from './uploads.js';

/**
 * Sends a stored document as a download: always an attachment (never shown inline by the
 * browser), under a sanitised name, with its sniffed type, `nosniff`, and — for anything but an
 * image — a sandboxing Content-Security-Policy, so that a file opened anyway runs no script with
 * the site's origin. 404 when the file is gone from the disk; `beforeSend` runs once the file is
 * known to be there (a download counter).
 */
export async function sendAttachment(
  reply: FastifyReply,
  dataDir: string,
  file: { storage_path: string; mime: string },
  downloadName: string,
  options: { cacheControl?: string; beforeSend?: () => Promise<void> } = {},
): Promise<FastifyReply> {
  const location = path.join(uploadsDir(dataDir), file.storage_path);
  const stat = await fs.promises.stat(location).catch(() => null);
  if (!stat?.isFile()) throw new AppError('not_found');
  await options.beforeSend?.();
  reply
    .type(file.mime)
    .header('content-length', stat.size)
    .header('content-disposition', attachmentDisposition(downloadName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', options.cacheControl ?? 'private, no-cache');
  if (!file.mime.startsWith('image/')) reply.header('content-security-policy', "sandbox; default-src 'none'");
  return reply.send(fs.createReadStream(location));
}
