/**
 * SSRF-safe outbound HTTP GET for the whole product (member iCal feeds, the watch's feeds…).
 *
 * - http: and https: only; no credentials in the URL.
 * - On every hop (the first request and each redirect) the host is resolved and EVERY resolved
 *   address is checked: loopback, private, link-local (cloud metadata), CGNAT, multicast,
 *   documentation, reserved, IPv4-mapped/translated IPv6… are refused unless `FETCH_ALLOWLIST`
 *   names the host, `host:port`, or a CIDR range holding the address.
 * - The socket connects to the address that was checked (a pinned lookup): a DNS answer that
 *   changes between the check and the connection (rebinding) cannot redirect it.
 * - One deadline for the whole fetch (DNS, every hop and the body); a redirect limit; a cap on
 *   the raw and on the decompressed body (gzip, deflate, br), enforced while streaming.
 * - Conditional GET: `etag` / `lastModified` are sent as If-None-Match / If-Modified-Since and a
 *   304 answer comes back as `notModified`.
 */
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type SafeFetchErrorCode =
  | 'invalid_url'
  | 'protocol'
  | 'blocked_address'
  | 'dns'
  | 'timeout'
  | 'too_many_redirects'
  | 'too_large'
  | 'http_status'
  | 'encoding'
  | 'network';

/** A refused or failed fetch. `message` is English, for logs; callers map `code` to their catalogue. */
export class SafeFetchError extends Error {
  constructor(
    readonly code: SafeFetchErrorCode,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** `FETCH_ALLOWLIST` entries: host, host:port, [IPv6]:port or CIDR. */
  allowlist?: readonly string[];
  /** Deadline for the whole fetch, redirects and body included (15 s). */
  timeoutMs?: number;
  /** Redirects followed at most (5). */
  maxRedirects?: number;
  /** Cap on the body, raw and decompressed (15 MiB). */
  maxBytes?: number;
  /** Previous validators, for a conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  /** GET by default. Any other method follows no redirect: a 3xx answer comes back as it is. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The request body (its content type goes in `headers`). */
  body?: string | Buffer;
  /** Extra request headers (authorization, content-type, idempotency-key…). */
  headers?: Record<string, string>;
  /** Resolve with the answer whatever its status, instead of rejecting a non-2xx one. */
  anyStatus?: boolean;
  signal?: AbortSignal;
  /** DNS resolution; tests replace it to simulate a name resolving to a private address. */
  resolve?: Resolver;
}

export interface SafeFetchResult {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  body: Buffer;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

export const SAFE_FETCH_DEFAULTS = {
  timeoutMs: 15_000,
  maxRedirects: 5,
  maxBytes: 15 * 1024 * 1024,
} as const;

const USER_AGENT = 'Maillage/0.1 (+https://github.com/maillage)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Addresses no outbound fetch may reach unless allow-listed. Two lists: a BlockList matches an
 * IPv4 address against IPv6 rules as if IPv4-mapped, so one list holding `::ffff:0:0/96` would
 * block every IPv4 address.
 */
const BLOCKED_V4 = (() => {
  const list = new net.BlockList();
  const v4: Array<[string, number]> = [
    ['0.0.0.0', 8], // "this" network
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // CGNAT (also cloud metadata, e.g. 100.100.100.200)
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay anycast
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ];
  for (const [address, prefix] of v4) list.addSubnet(address, prefix, 'ipv4');
  return list;
})();

const BLOCKED_V6 = (() => {
  const list = new net.BlockList();
  const v6: Array<[string, number]> = [
    ['::', 96], // unspecified, loopback, IPv4-compatible (deprecated)
    ['::ffff:0:0', 96], // IPv4-mapped: refused outright (also checked through the IPv4 rules)
    ['64:ff9b::', 96], // NAT64: may reach any IPv4 address
    ['64:ff9b:1::', 48], // local-use NAT64
    ['100::', 64], // discard-only
    ['2001::', 23], // IETF protocol assignments (Teredo…)
    ['2001:db8::', 32], // documentation
    ['2002::', 16], // 6to4: embeds any IPv4 address
    ['3fff::', 20], // documentation
    ['5f00::', 16], // segment routing
    ['fc00::', 7], // unique local (cloud metadata fd00:ec2::254)
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ];
  for (const [address, prefix] of v6) list.addSubnet(address, prefix, 'ipv6');
  return list;
})();

/** True when an IP address is private, loopback, link-local, reserved… (before any allowlist). */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return family === 4 ? BLOCKED_V4.check(address, 'ipv4') : BLOCKED_V6.check(address, 'ipv6');
}

interface AllowEntry {
  host: string;
  port: number | null;
}

/** Parsed `FETCH_ALLOWLIST`: exact hosts (or IP addresses), optionally with a port, and CIDR ranges. */
export class FetchAllowlist {
  private readonly hosts: AllowEntry[] = [];
  private readonly ranges = new net.BlockList();
  private rangeCount = 0;

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim();
      if (entry === '') continue;
      const cidr = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(entry);
      if (cidr) {
        const family = net.isIP(cidr[1] ?? '');
        const prefix = Number(cidr[2]);
        if (family === 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`Invalid FETCH_ALLOWLIST range: ${entry}`);
        this.ranges.addSubnet(cidr[1] ?? '', prefix, family === 4 ? 'ipv4' : 'ipv6');
        this.rangeCount++;
        continue;
      }
      const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(entry);
      if (bracketed) {
        this.hosts.push({ host: normaliseHost(bracketed[1] ?? ''), port: bracketed[2] ? Number(bracketed[2]) : null });
        continue;
      }
      if (net.isIP(entry) === 6) {
        this.hosts.push({ host: normaliseHost(entry), port: null });
        continue;
      }
      const hostPort = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
      if (!hostPort) throw new Error(`Invalid FETCH_ALLOWLIST entry: ${entry}`);
      this.hosts.push({ host: normaliseHost(hostPort[1] ?? ''), port: hostPort[2] ? Number(hostPort[2]) : null });
    }
  }

  /** Whether `address` (resolved from `hostname`, reached on `port`) is allowed although blocked. */
  allows(hostname: string, port: number, address: string): boolean {
    const host = normaliseHost(hostname);
    const ip = normaliseHost(address);
    for (const entry of this.hosts) {
      if ((entry.host === host || entry.host === ip) && (entry.port === null || entry.port === port)) return true;
    }
    if (this.rangeCount > 0) {
      const family = net.isIP(address);
      if (family !== 0 && this.ranges.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
    }
    return false;
  }
}

/** Lower case, no brackets, IPv6 in canonical form (the URL parser's), IPv4 as is. */
function normaliseHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (net.isIP(bare) === 6) {
    try {
      return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return bare;
    }
  }
  return bare;
}

const systemResolver: Resolver = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Resolves and checks one hop; returns the address to connect to. */
async function checkedAddress(url: URL, allowlist: FetchAllowlist, resolve: Resolver, signal: AbortSignal): Promise<ResolvedAddress> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  let addresses: ResolvedAddress[];
  const literal = net.isIP(hostname);
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await abortable(resolve(hostname), signal);
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      throw new SafeFetchError('dns', `cannot resolve ${hostname}: ${describe(error)}`, url.href);
    }
    if (addresses.length === 0) throw new SafeFetchError('dns', `no address for ${hostname}`, url.href);
  }
  for (const { address } of addresses) {
    if (isBlockedAddress(address) && !allowlist.allows(hostname, port, address)) {
      throw new SafeFetchError('blocked_address', `${hostname} resolves to ${address}, a non-public address`, url.href);
    }
  }
  const first = addresses[0];
  if (!first) throw new SafeFetchError('dns', `no address for ${hostname}`, url.href);
  return first;
}

function checkUrl(raw: string | URL, from?: string): URL {
  let url: URL;
  try {
    url = new URL(raw, from);
  } catch {
    throw new SafeFetchError('invalid_url', 'not a valid URL', String(raw).slice(0, 500));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SafeFetchError('protocol', `protocol ${url.protocol} is not allowed (http and https only)`, url.href);
  }
  if (url.username !== '' || url.password !== '') {
    throw new SafeFetchError('invalid_url', 'credentials in the URL are not allowed', url.origin);
  }
  return url;
}

/**
 * Fetches `input` (a GET unless `method` says otherwise) with every protection above. Resolves
 * with the body (or `notModified`) on a 2xx or 304 answer, or on any answer with `anyStatus`;
 * rejects with a SafeFetchError otherwise.
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const allowlist = new FetchAllowlist(options.allowlist ?? []);
  const timeoutMs = options.timeoutMs ?? SAFE_FETCH_DEFAULTS.timeoutMs;
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULTS.maxRedirects;
  const maxBytes = options.maxBytes ?? SAFE_FETCH_DEFAULTS.maxBytes;
  const resolve = options.resolve ?? systemResolver;

  let url = checkUrl(input);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new SafeFetchError('timeout', `no complete answer within ${timeoutMs} ms`, url.href)),
    timeoutMs,
  );
  const onOuterAbort = () => controller.abort(new SafeFetchError('timeout', 'aborted', url.href));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  const method = options.method ?? 'GET';
  const requestBody = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = {
    ...options.headers,
    'user-agent': USER_AGENT,
    accept: options.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (requestBody) headers['content-length'] = String(requestBody.length);
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;

  try {
    for (let hop = 0; ; hop++) {
      const target = await checkedAddress(url, allowlist, resolve, controller.signal);
      const response = await request(url, target, { method, headers, body: requestBody }, controller.signal);
      const status = response.statusCode ?? 0;
      if (method === 'GET' && REDIRECTS.has(status) && response.headers.location) {
        response.resume();
        response.destroy();
        if (hop >= maxRedirects) {
          throw new SafeFetchError('too_many_redirects', `more than ${maxRedirects} redirects`, url.href);
        }
        url = checkUrl(response.headers.location, url.href);
        continue;
      }
      const meta = {
        url: url.href,
        status,
        contentType: header(response, 'content-type'),
        etag: header(response, 'etag'),
        lastModified: header(response, 'last-modified'),
      };
      if (status === 304) {
        response.destroy();
        return { ...meta, notModified: true, body: Buffer.alloc(0) };
      }
      if ((status < 200 || status > 299) && !options.anyStatus) {
        response.destroy();
        throw new SafeFetchError('http_status', `HTTP ${status}`, url.href, status);
      }
      const body = await readBody(response, url.href, maxBytes, controller.signal);
      return { ...meta, notModified: false, body };
    }
  } catch (error) {
    if (error instanceof SafeFetchError) throw error;
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof SafeFetchError) throw reason;
    throw new SafeFetchError('network', describe(error), url.href);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function header(response: http.IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** One request, connected to the checked address whatever DNS says now. */
function request(
  url: URL,
  target: ResolvedAddress,
  outgoing: { method: string; headers: Record<string, string>; body?: Buffer },
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const isHttps = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    // Node calls lookup with { all: true } when it races address families (autoSelectFamily).
    const pinnedLookup = (
      _host: string,
      opts: { all?: boolean },
      callback: (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void,
    ) => {
      if (opts.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const requestOptions: https.RequestOptions = {
      method: outgoing.method,
      host: hostname,
      port: url.port || (isHttps ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...outgoing.headers, host: url.host },
      agent: false,
      // The cast: Node's LookupFunction overloads do not accept one implementation of both forms.
      lookup: pinnedLookup as unknown as net.LookupFunction,
      signal,
    };
    if (isHttps && net.isIP(hostname) === 0) requestOptions.servername = hostname;
    const req = (isHttps ? https : http).request(requestOptions, resolvePromise);
    req.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    req.end(outgoing.body);
  });
}

function decoderFor(response: http.IncomingMessage, url: string): Readable | null {
  const encoding = (header(response, 'content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip();
  if (encoding === 'deflate') return zlib.createInflate();
  if (encoding === 'br') return zlib.createBrotliDecompress();
  throw new SafeFetchError('encoding', `unsupported content-encoding ${encoding}`, url);
}

/** Reads the body, counting raw and decompressed bytes; stops as soon as either passes the cap. */
function readBody(response: http.IncomingMessage, url: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(header(response, 'content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(new SafeFetchError('too_large', `declared body of ${declared} bytes exceeds ${maxBytes}`, url));
  }
  let decoder: Readable | null;
  try {
    decoder = decoderFor(response, url);
  } catch (error) {
    response.destroy();
    return Promise.reject(error);
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let raw = 0;
    let total = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      response.destroy();
      decoder?.destroy();
      if (signal.aborted && signal.reason instanceof SafeFetchError) reject(signal.reason);
      else if (error instanceof SafeFetchError) reject(error);
      else if (decoder && error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
        reject(new SafeFetchError('encoding', `cannot decompress the body: ${error.message}`, url));
      } else reject(new SafeFetchError('network', describe(error), url));
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const tooLarge = () => new SafeFetchError('too_large', `body exceeds ${maxBytes} bytes`, url);

    response.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > maxBytes) fail(tooLarge());
    });
    response.on('error', fail);
    response.on('close', () => {
      if (!response.complete) fail(new Error('connection closed before the end of the body'));
    });
    const output: Readable = decoder ?? response;
    if (decoder) {
      response.pipe(decoder as unknown as NodeJS.WritableStream);
      decoder.on('error', fail);
    }
    output.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) {
        fail(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    output.on('end', () => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolvePromise(Buffer.concat(chunks, total));
    });
    output.on('close', () => {
      if (!settled) fail(new Error('connection closed before the end of the body'));
    });
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
