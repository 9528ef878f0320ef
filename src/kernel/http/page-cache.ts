// Public pages as anonymous visitors see them, kept in memory so that a popular page is rendered
// once, not once per visitor. A route opts in with `config.pageCache` and names the version of the
// data it shows (e.g. the directory's, moved by the database on every change); an entry serves only
// while that version and the settings hold, and for at most `PAGE_CACHE_TTL_MS` (other data: labels).
// Signed-in users, sessions with a pending message, and anything but a 200 HTML page bypass it.
// Forms on a cached page carry a placeholder, replaced by each visitor's own CSRF token on the way out.
// A visitor who sends no cookie at all (a first visit, a crawler) is answered before the session,
// cookie parsing and security-header hooks run: the entry holds every header the page was sent with.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { batchedRead } from '../batched-read.js';
import { negotiateLocale } from '../i18n/index.js';
import type { Kernel } from './types.js';

export interface PageCacheConfig {
  /** The version of what the page shows; the entry is dropped when it changes. */
  version: (kernel: Kernel) => Promise<string>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    pageCache?: PageCacheConfig;
  }
  interface FastifyRequest {
    /** Set while rendering a page for the cache: the view writes the CSRF placeholder. */
    pageCacheKey?: string;
    pageCacheVersion?: string;
    /** This visitor's token, made before the cookies are written (a first visit gets its secret cookie). */
    pageCsrfToken?: string;
  }
}

/** For pages that show no changing data but the settings (held at most the TTL). */
export const STATIC_PAGE: PageCacheConfig = { version: async () => 'static' };

export const CSRF_PLACEHOLDER = '__maillage_csrf_token__';
const PAGE_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 1000;
const MAX_BYTES = 64 * 1024 * 1024;
/** Headers of the stored answer that belong to one visitor or one answer, not to the page. */
const OWN_HEADERS = new Set(['set-cookie', 'content-length', 'x-page-cache', 'date', 'connection', 'keep-alive']);

interface Entry {
  version: string;
  storedAt: number;
  /** The page encoded once, cut where each CSRF placeholder stood. */
  parts: Buffer[];
  bytes: number;
  headers: Record<string, string>;
}

/** Encodes a rendered page once for the cache: the pieces between its CSRF placeholders. */
function pageParts(body: string): { parts: Buffer[]; bytes: number } {
  const parts = body.split(CSRF_PLACEHOLDER).map((piece) => Buffer.from(piece, 'utf8'));
  return { parts, bytes: parts.reduce((sum, part) => sum + part.length, 0) };
}

/** The cached page with this visitor's token in place of each placeholder. */
function withTokenParts(parts: Buffer[], token: string): Buffer {
  if (parts.length === 1) return parts[0]!;
  const tokenBytes = Buffer.from(token, 'utf8');
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [tokenBytes, part])));
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, version: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || this.now() - entry.storedAt > PAGE_CACHE_TTL_MS) {
      this.delete(key);
      return undefined;
    }
    // Least recently used last out: a hit moves to the end of the map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Omit<Entry, 'storedAt'>): void {
    this.delete(key);
    if (entry.bytes > MAX_BYTES / 16) return;
    this.entries.set(key, { ...entry, storedAt: this.now() });
    this.bytes += entry.bytes;
    while (this.entries.size > MAX_ENTRIES || this.bytes > MAX_BYTES) this.delete(this.entries.keys().next().value!);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }
}

function keyOf(locale: string, request: FastifyRequest): string {
  return `${locale} ${request.headers['hx-request'] === 'true' ? 'hx' : 'page'} ${request.url}`;
}

function isCacheable(request: FastifyRequest): boolean {
  return Boolean(request.routeOptions.config?.pageCache) && (request.method === 'GET' || request.method === 'HEAD');
}

function cacheKey(request: FastifyRequest): string | null {
  if (!isCacheable(request)) return null;
  if (request.user || request.session?.flash?.length) return null;
  return keyOf(request.locale, request);
}

function withToken(body: string, token: string): string {
  return body.includes(CSRF_PLACEHOLDER) ? body.replaceAll(CSRF_PLACEHOLDER, token) : body;
}

/** Version reads per kernel and page kind, shared by the visitors who arrive while one is made. */
const versionReaders = new WeakMap<Kernel, Map<PageCacheConfig, () => Promise<string>>>();
const settingsText = new WeakMap<object, string>();

function versionReader(kernel: Kernel, config: PageCacheConfig): () => Promise<string> {
  let readers = versionReaders.get(kernel);
  if (!readers) versionReaders.set(kernel, (readers = new Map()));
  let reader = readers.get(config);
  if (!reader) readers.set(config, (reader = batchedRead(() => config.version(kernel))));
  return reader;
}

/** The version an entry must carry to be served: the page's data and the settings every page shows. */
async function currentVersion(request: FastifyRequest, kernel: Kernel): Promise<string> {
  const [data, settings] = await Promise.all([versionReader(kernel, request.routeOptions.config.pageCache!)(), kernel.settings.get()]);
  let text = settingsText.get(settings);
  if (text === undefined) settingsText.set(settings, (text = JSON.stringify(settings)));
  return `${data} ${text}`;
}

function sendHit(reply: FastifyReply, hit: Entry, token: string): FastifyReply {
  return reply.headers(hit.headers).header('x-page-cache', 'hit').send(withTokenParts(hit.parts, token));
}

/**
 * Registered before every other hook: a cookie-less visit to a cached page is answered at once. The
 * visitor still gets a CSRF secret cookie and a token of their own (the page's forms work).
 */
export function registerPageCacheFastPath(app: FastifyInstance, kernel: Kernel, cache: PageCache): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.cookie !== undefined || !isCacheable(request) || request.routeOptions.config.access !== 'public') return;
    const key = keyOf(negotiateLocale(request.headers['accept-language']), request);
    const hit = cache.get(key, await currentVersion(request, kernel));
    if (!hit) return;
    // The cookie plugin's own hook has not run yet: this visitor has none.
    request.cookies = {};
    return sendHit(reply, hit, reply.generateCsrf());
  });
}

export function registerPageCache(app: FastifyInstance, kernel: Kernel, cache: PageCache): void {
  app.addHook('preHandler', async (request, reply) => {
    const key = cacheKey(request);
    if (!key) return;
    const version = await currentVersion(request, kernel);
    const hit = cache.get(key, version);
    const token = reply.generateCsrf();
    if (hit) return sendHit(reply, hit, token);
    request.pageCacheKey = key;
    request.pageCacheVersion = version;
    request.pageCsrfToken = token;
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    const key = request.pageCacheKey;
    if (!key) return done(null, payload);
    request.pageCacheKey = undefined;
    if (typeof payload !== 'string') return done(null, payload);
    const type = String(reply.getHeader('content-type') ?? '');
    if (reply.statusCode === 200 && type.startsWith('text/html')) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !OWN_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      cache.set(key, { version: request.pageCacheVersion!, ...pageParts(payload), headers });
      reply.header('x-page-cache', 'miss');
    }
    done(null, withToken(payload, request.pageCsrfToken ?? ''));
  });
}
