import type { FastifyInstance } from 'fastify';
import type { Access } from './types.js';

/** The query string of a request's URL (« ?veille=… »), or ''. */
export function queryOf(url: string): string {
  return url.includes('?') ? url.slice(url.indexOf('?')) : '';
}

const NEW_WORDS = ['nouveau', 'nouvelle', 'nouvel'] as const;

/**
 * A "new …" form's address under the other genders of « nouveau »: people type the one that agrees
 * with the noun they have in mind (« une ressource », « un événement »), so `/…/nouvelle` and
 * `/…/nouvel` lead to `/…/nouveau` (or the other way round), the query kept. Only GET: a form always
 * posts to the address it was served from.
 */
export function redirectNewFormAliases(app: FastifyInstance, base: string, canonical: (typeof NEW_WORDS)[number], access: Access): void {
  for (const guessed of NEW_WORDS.filter((w) => w !== canonical)) {
    app.get(`${base}/${guessed}`, { config: { access } }, async (request, reply) => reply.redirect(`${base}/${canonical}${queryOf(request.url)}`, 301));
  }
}
