import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { processBounce } from './bounces.js';
import { newsletterDeps } from './deps.js';
import { newsletterSettings } from './settings.js';

/** A bounce message of a few hundred kilobytes at most (the returned message may be attached). */
const BOUNCE_BODY_LIMIT = 2 * 1024 * 1024;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /api/v1/bounces/:token: a mail server (or a script reading a mailbox) posts one raw
 * message, as received (message/rfc822, text/plain or any type). The token from the settings is
 * the authorisation, so the route is exempt from the CSRF token (DESIGN.md §5).
 */
export const newsletterBounceRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  // Only in this plugin: any body is read as it came.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BOUNCE_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post('/api/v1/bounces/:token', { config: { access: 'token', csrfExempt: true }, bodyLimit: BOUNCE_BODY_LIMIT }, async (request, reply) => {
    const settings = await newsletterSettings(deps);
    if (!sameToken((request.params as { token: string }).token, settings.bounceToken)) {
      return reply.status(404).send({ error: 'not_found' });
    }
    const body = request.body;
    const raw = Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : '';
    if (raw.length === 0) return reply.status(400).send({ error: 'empty', message: 'Corps vide : envoyez le message brut (message/rfc822).' });
    const outcome = await processBounce(deps, raw);
    return reply.send(outcome);
  });
};
