import type { FastifyReply } from 'fastify';

/**
 * Sends a former address (a slug left behind by a rename or a merge) to the current one: permanent
 * for search engines, but asked again by browsers each time (they otherwise keep a 301 for good). A
 * rename can be reverted and a merge undone; a redirect kept for good would then lead visitors to
 * the wrong record, or in a loop between two addresses.
 */
export function redirectMoved(reply: FastifyReply, path: string): FastifyReply {
  return reply.header('cache-control', 'no-cache').redirect(path, 301);
}
