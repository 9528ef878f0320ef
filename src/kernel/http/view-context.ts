import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../settings/index.js';
import type { Flash, SiteIdentity, ViewContext } from '../ui/context.js';
import { CSRF_PLACEHOLDER } from './page-cache.js';
import type { Kernel } from './types.js';

/** Per request, how many messages at the end of its flash list stay below those flashed after them. */
const keptLast = new WeakMap<FastifyRequest, number>();

/** The network's identity as every page shows it. */
export function siteIdentity(kernel: Kernel, settings: Settings): SiteIdentity {
  return {
    networkName: settings.networkName,
    regionCode: settings.regionCode,
    contactEmail: settings.contactEmail,
    baseUrl: kernel.config.baseUrl.replace(/\/+$/, ''),
    hasLogo: settings.logoFileId !== null,
    logoVersion: settings.logoFileId ?? '',
  };
}

/** Builds what every view needs; generates the CSRF token of the page's forms. */
export async function viewContext(request: FastifyRequest, reply: FastifyReply): Promise<ViewContext> {
  const { kernel } = request.server;
  const settings = await kernel.settings.get();
  let flash: Flash[] = [];
  if (request.session?.flash?.length) {
    flash = request.session.flash;
    request.session.flash = [];
    keptLast.delete(request);
  }
  const path = request.url.split('?')[0] ?? '/';
  return {
    t: request.t,
    locale: request.locale,
    path,
    returnTo: returnPath(request.url, path),
    csrfToken: request.pageCacheKey ? CSRF_PLACEHOLDER : reply.generateCsrf(),
    user: request.user,
    site: siteIdentity(kernel, settings),
    publicNav: kernel.publicNav,
    adminNav: kernel.adminNav,
    memberCards: kernel.memberCards,
    pageNav: kernel.pageNav,
    footerParts: kernel.footerParts,
    flash,
  };
}

/** A query string longer than this is not carried by the language switch (the path alone is). */
const MAX_RETURN_LENGTH = 2000;

/**
 * Where a form sent from this page may bring the visitor back to: the page's own URL, query string
 * included, when `safeNextPath` would follow it (one leading slash, no backslash, no control
 * character or space) and it is not too long; else its path. `POST /langue` checks it again.
 */
export function returnPath(url: string, path: string): string {
  const safePath = safeNextPath(path);
  return url.length <= MAX_RETURN_LENGTH ? safeNextPath(url, safePath) : safePath;
}

/** Sends a rendered page. */
export async function sendPage(reply: FastifyReply, html: string | Promise<string>, status = 200): Promise<FastifyReply> {
  return reply.status(status).type('text/html; charset=utf-8').send(await html);
}

/**
 * Queues a message shown on the next page the user sees. `last`: the message stays below any
 * flashed after it by the same request (a warning about what did not follow an action stays under
 * the action's success).
 */
export function flash(request: FastifyRequest, kind: Flash['kind'], message: string, options: { last?: boolean } = {}): void {
  const list = request.session.flash ?? [];
  const last = keptLast.get(request) ?? 0;
  if (options.last) {
    list.push({ kind, message });
    keptLast.set(request, last + 1);
  } else {
    list.splice(Math.max(0, list.length - last), 0, { kind, message });
  }
  request.session.flash = list;
}

/** Only same-site paths are followed after sign-in or a language switch (no open redirect). */
export function safeNextPath(value: unknown, fallback = '/'): string {
  // Browsers drop tabs and newlines from URLs and read a backslash as a slash: "/\t/evil" means "//evil".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (typeof value !== 'string' || !/^\/(?![/\\])[^\\\x00-\x20\x7f]*$/.test(value)) return fallback;
  return value;
}
