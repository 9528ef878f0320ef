import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import * as trackingRepo from './tracking-repo.js';
import { LINK_INDEX_PATTERN, PIXEL_GIF, redirectTarget, TRACK_TOKEN_PATTERN } from './tracking.js';

/** Nobody (browser, proxy, mail client) keeps the image: each display asks again. */
const NO_CACHE = { 'cache-control': 'no-store, no-cache, must-revalidate, max-age=0, private', pragma: 'no-cache', expires: '0' };

/**
 * The open pixel and the click counter of tracked mailings. Their token is a recipient row's own
 * (nothing else is reachable with it); they count and answer, and record neither IP address nor
 * user agent. A HEAD request (link checkers) answers alike without counting.
 */
export const newsletterTrackingRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const byToken = { config: { access: 'token' as const } };

  app.get<{ Params: { token: string } }>('/lettre/o/:token.gif', byToken, async (request, reply) => {
    const { token } = request.params;
    if (!TRACK_TOKEN_PATTERN.test(token)) throw new AppError('not_found');
    const known = request.method === 'HEAD' ? (await trackingRepo.recipientOfToken(k.db, token)) !== undefined : await trackingRepo.recordOpen(k.db, token, k.clock.now().toISOString());
    if (!known) throw new AppError('not_found');
    return reply.headers(NO_CACHE).header('x-robots-tag', 'noindex').type('image/gif').send(PIXEL_GIF);
  });

  // The target is the mailing's stored link at that index: never an address from the request.
  app.get<{ Params: { token: string; index: string } }>('/lettre/c/:token/:index', byToken, async (request, reply) => {
    const { token, index } = request.params;
    if (!TRACK_TOKEN_PATTERN.test(token) || !LINK_INDEX_PATTERN.test(index)) throw new AppError('not_found');
    const recipient = await trackingRepo.recipientOfToken(k.db, token);
    if (!recipient) throw new AppError('not_found');
    const position = Number(index);
    const link = await trackingRepo.findLink(k.db, recipient.mailing_id, position);
    const target = link ? redirectTarget(link.url) : null;
    if (!target) throw new AppError('not_found');
    if (request.method !== 'HEAD') await trackingRepo.recordClick(k.db, recipient, position, k.clock.now().toISOString());
    return reply.headers(NO_CACHE).header('x-robots-tag', 'noindex').header('referrer-policy', 'no-referrer').redirect(target, 303);
  });
};
