import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHttps } from '../../config.js';
import { DbSessionStore } from '../auth/session-repo.js';
import { PageCache, registerPageCache, registerPageCacheFastPath } from './page-cache.js';
import { findUserById } from '../auth/repo.js';
import { AppError } from '../errors.js';
import { discardUpload, streamToTemp, type UploadedFile } from '../files/uploads.js';
import { isLocale, negotiateLocale, translator } from '../i18n/index.js';
import { registerErrorHandlers } from './errors.js';
import type { Access, Kernel } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PUBLIC_DIR = path.resolve(here, '../../../public');

/**
 * Uploads larger than this are cut and refused; each form checks its own smaller cap too. A route
 * that takes larger files raises it for itself with `config.multipartOptions.limits.fileSize`
 * (merged over these options per request, as the import upload does).
 */
export const MULTIPART_FILE_LIMIT = 20 * 1024 * 1024;
const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const uploadsOf = new WeakMap<FastifyRequest, UploadedFile[]>();

function trackUpload(request: FastifyRequest, file: UploadedFile): void {
  const list = uploadsOf.get(request);
  if (list) list.push(file);
  else uploadsOf.set(request, [file]);
}

/** Removes the request's temporary uploads; those a handler kept (moved away) are already gone. */
async function discardTrackedUploads(request: FastifyRequest): Promise<void> {
  const list = uploadsOf.get(request);
  if (!list) return;
  uploadsOf.delete(request);
  for (const file of list) await discardUpload(file);
}

export function requestId(): string {
  return randomBytes(6).toString('hex');
}

/** Everything every request goes through: headers, cookies, session, CSRF, locale, user, access. */
export async function registerHttpKernel(app: FastifyInstance, kernel: Kernel, sessionSecret: string): Promise<void> {
  const https = isHttps(kernel.config);
  app.decorate('kernel', kernel);
  app.decorate('registeredRoutes', []);
  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'fr');
  app.decorateRequest('localeChosen', false);
  app.decorateRequest('t', translator('fr'));

  app.addHook('onRoute', (route) => {
    route.config ??= {};
    const config = route.config as { access?: Access; csrfExempt?: boolean };
    if (!config.access) {
      if (route.url.startsWith('/assets/')) config.access = 'public';
      else throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.registeredRoutes.push({ method, url: route.url, access: config.access, csrfExempt: Boolean(config.csrfExempt) });
    }
  });

  const pageCache = new PageCache();
  registerPageCacheFastPath(app, kernel, pageCache);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', tileSource(kernel.config.tileUrl)],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });

  await app.register(fastifyCookie, { secret: sessionSecret });
  if (https) {
    // An https BASE_URL means browsers reach the app over TLS, usually through a proxy that talks
    // plain HTTP to it: every cookie is marked Secure whatever the last hop was. Handing
    // `secure: true` to @fastify/session instead makes it drop the session whenever the request
    // does not look like https (TRUST_PROXY off, proxy without X-Forwarded-Proto): nobody could sign in.
    app.addHook('onRequest', async (_request, reply) => {
      const setCookie = reply.setCookie;
      reply.setCookie = (name, value, options) => setCookie.call(reply, name, value, { ...options, secure: true });
    });
  }
  await app.register(fastifySession, {
    secret: sessionSecret,
    cookieName: 'maillage_sid',
    saveUninitialized: false,
    rolling: true,
    store: new DbSessionStore(kernel.db, kernel.clock),
    // Secure comes from the hook above when BASE_URL is https.
    cookie: { httpOnly: true, sameSite: 'lax', secure: false, path: '/', maxAge: SESSION_MAX_AGE_MS },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: https, path: '/' },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    // Each ticked checkbox is a field: the organisation form (countries, themes…) may hold hundreds.
    limits: { fileSize: MULTIPART_FILE_LIMIT, files: 5, fields: 1000 },
    async onFile(this: FastifyRequest, part) {
      const file = await streamToTemp(kernel.config.dataDir, part.file, part);
      if (file) trackUpload(this, file);
      part.value = file;
    },
  });
  await app.register(fastifyStatic, {
    root: path.join(PUBLIC_DIR, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
  });

  app.addHook('onRequest', async (request) => {
    const userId = request.session.userId;
    if (userId) {
      const user = await findUserById(kernel.db, userId);
      if (user && user.status === 'active') {
        request.user = { id: user.id, email: user.email, displayName: user.display_name, role: user.role };
      } else {
        request.session.userId = undefined;
      }
    }
    const cookieLang = request.cookies['lang'];
    request.localeChosen = isLocale(cookieLang);
    request.locale = isLocale(cookieLang) ? cookieLang : negotiateLocale(request.headers['accept-language']);
    request.t = translator(request.locale);
  });

  app.addHook('onRequest', async (request, reply) => checkAccess(request, reply));

  app.addHook('preHandler', (request, reply, done) => {
    // Unknown URLs answer 404 whatever the method; only real routes check the token.
    if (!STATE_CHANGING.has(request.method) || request.is404 || request.routeOptions.config.csrfExempt) return done();
    app.csrfProtection(request, reply, done);
  });

  // Uploads reach DATA_DIR/tmp before the CSRF check and the handler run: whatever a handler did
  // not keep (refused form, missing token, file over the cap, error) is removed before the answer
  // leaves, or when the sender gives up.
  app.addHook('onSend', (request, _reply, payload, done) => {
    // Most answers had no upload: no promise for them.
    if (!uploadsOf.has(request)) return done(null, payload);
    discardTrackedUploads(request).then(
      () => done(null, payload),
      (error: unknown) => done(error as Error),
    );
  });
  app.addHook('onRequestAbort', async (request) => discardTrackedUploads(request));

  registerPageCache(app, kernel, pageCache);
  registerErrorHandlers(app);
}

/** Where map tiles come from (TILE_URL's origin, `{s}` subdomains as a wildcard), for the CSP. */
function tileSource(tileUrl: string): string {
  return (/^https?:\/\/[^/]+/.exec(tileUrl)?.[0] ?? "'self'").replace('{s}', '*');
}

async function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const access = request.routeOptions.config?.access;
  // Unknown URLs have no route: the not-found handler answers them.
  if (access === undefined || access === 'public' || access === 'token') return;
  const user = request.user;
  if (!user) {
    if (request.method === 'GET' || request.method === 'HEAD') {
      await reply.redirect(`/connexion?suite=${encodeURIComponent(request.url)}`, 302);
      return;
    }
    throw new AppError('forbidden');
  }
  const allowed =
    access === 'member' || (access === 'staff' && user.role !== 'member') || (access === 'admin' && user.role === 'admin');
  if (!allowed) throw new AppError('forbidden');
}
