import type { FastifyReply } from 'fastify';

/** Sends a JSON document as a file to download (RGPD right of access), never kept in a cache. */
export function sendJsonDownload(reply: FastifyReply, filename: string, document: unknown) {
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(document, null, 2));
}
