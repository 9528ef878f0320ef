import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { FetchTestServer } from '../../../test/helpers/fetch-server.js';
import { FetchAllowlist, isBlockedAddress, safeFetch, SafeFetchError, type SafeFetchErrorCode } from './safe-fetch.js';

async function refused(promise: Promise<unknown>, code: SafeFetchErrorCode): Promise<SafeFetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SafeFetchError, `expected a SafeFetchError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a refusal (${code})`);
}

describe('isBlockedAddress', () => {
  const blocked = [
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '169.254.169.254', '100.64.0.1', '100.100.100.200', '224.0.0.1', '239.255.255.250', '240.0.0.1',
    '255.255.255.255', '192.0.2.1', '198.18.0.1', '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:8.8.8.8', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '2001:db8::1', '64:ff9b::7f00:1',
    '2002:7f00:1::1', 'not-an-ip',
  ];
  const open = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4007:80b::200e'];
  for (const address of blocked) test(`refuses ${address}`, () => assert.equal(isBlockedAddress(address), true));
  for (const address of open) test(`allows ${address}`, () => assert.equal(isBlockedAddress(address), false));
});

describe('FetchAllowlist', () => {
  test('host:port names one port; a bare host any port; a CIDR range any address in it', () => {
    const list = new FetchAllowlist(['127.0.0.1:4000', 'intranet.local', '10.0.0.0/8', '[::1]:5000']);
    assert.equal(list.allows('127.0.0.1', 4000, '127.0.0.1'), true);
    assert.equal(list.allows('127.0.0.1', 4001, '127.0.0.1'), false);
    assert.equal(list.allows('intranet.local', 8080, '192.168.1.2'), true);
    assert.equal(list.allows('other.local', 80, '10.9.8.7'), true);
    assert.equal(list.allows('other.local', 80, '11.0.0.1'), false);
    assert.equal(list.allows('[::1]', 5000, '::1'), true);
    assert.equal(list.allows('::1', 5001, '::1'), false);
  });
});

describe('safeFetch', () => {
  const server = new FetchTestServer();
  const other = new FetchTestServer();
  let allow: string[] = [];

  before(async () => {
    await server.start();
    await other.start();
    allow = [server.allow];
    server
      .on('/ok', (_req, res) => res.writeHead(200, { 'content-type': 'text/calendar', etag: '"v1"' }).end('BEGIN:VCALENDAR'))
      .on('/conditional', (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
        else res.writeHead(200, { etag: '"v1"', 'last-modified': 'Sun, 29 Nov 2026 08:00:00 GMT' }).end('fresh');
      })
      .on('/gzip', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync('compressed text')))
      .on('/brotli', (_req, res) => res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync('brotli text')))
      .on('/bomb', (_req, res) => {
        // 1 KB on the wire, 50 MB once inflated.
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 }));
      })
      .on('/huge', (_req, res) => {
        // 100 MB streamed without a length: the reader must stop early.
        res.writeHead(200, { 'content-type': 'text/calendar' });
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        let sent = 0;
        const pump = () => {
          while (sent < 100 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => (sent = Number.POSITIVE_INFINITY));
        pump();
      })
      .on('/declared-huge', (_req, res) => res.writeHead(200, { 'content-length': String(200 * 1024 * 1024) }).end())
      .on('/slow', (_req, res) => {
        res.writeHead(200);
        const timer = setInterval(() => res.write('.'), 50);
        res.on('close', () => clearInterval(timer));
      })
      .on('/bad-gzip', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'))
      .on('/error', (_req, res) => res.writeHead(500).end('boom'))
      .on('/to-ok', (_req, res) => res.writeHead(302, { location: '/ok' }).end())
      .on('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end())
      .on('/to-other-port', (_req, res) => res.writeHead(302, { location: other.url('/ok') }).end())
      .on('/to-metadata', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
      .on('/to-ipv6-loopback', (_req, res) => res.writeHead(301, { location: `http://[::1]:${server.port}/ok` }).end())
      .on('/to-decimal', (_req, res) => res.writeHead(307, { location: `http://2130706433:${server.port}/ok` }).end())
      .on('/to-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end())
      .on('/echo', (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body: Buffer.concat(chunks).toString() })));
      })
      .on('/refuse', (_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"The access token is invalid"}'));
    other.on('/ok', (_req, res) => res.writeHead(200).end('other'));
  });
  after(async () => {
    await server.stop();
    await other.stop();
  });

  test('fetches an allow-listed local server, with its validators', async () => {
    const result = await safeFetch(server.url('/ok'), { allowlist: allow });
    assert.equal(result.status, 200);
    assert.equal(result.body.toString(), 'BEGIN:VCALENDAR');
    assert.equal(result.etag, '"v1"');
    assert.equal(result.contentType, 'text/calendar');
  });

  test('refuses a loopback address that is not allow-listed, before any connection', async () => {
    const before = server.requests.length;
    const error = await refused(safeFetch(server.url('/ok')), 'blocked_address');
    assert.match(error.message, /127\.0\.0\.1/);
    assert.equal(server.requests.length, before);
  });

  test('refuses other protocols', async () => {
    await refused(safeFetch('file:///etc/passwd'), 'protocol');
    await refused(safeFetch('gopher://127.0.0.1:70/'), 'protocol');
    await refused(safeFetch('ftp://example.org/a.ics'), 'protocol');
    await refused(safeFetch('not a url'), 'invalid_url');
    await refused(safeFetch('http://user:secret@example.org/'), 'invalid_url');
  });

  test('checks every address of every hop on redirects', async () => {
    assert.equal((await safeFetch(server.url('/to-ok'), { allowlist: allow })).body.toString(), 'BEGIN:VCALENDAR');
    await refused(safeFetch(server.url('/to-other-port'), { allowlist: allow }), 'blocked_address');
    await refused(safeFetch(server.url('/to-metadata'), { allowlist: allow }), 'blocked_address');
    await refused(safeFetch(server.url('/to-ipv6-loopback'), { allowlist: allow }), 'blocked_address');
    await refused(safeFetch(server.url('/to-decimal'), { allowlist: [`localhost:${server.port}`] }), 'blocked_address');
    await refused(safeFetch(server.url('/to-file'), { allowlist: allow }), 'protocol');
    assert.equal(other.requests.length, 0, 'the other port was never contacted');
  });

  test('refuses a name when any of its addresses is private, and connects to the checked address', async () => {
    const publicAndPrivate = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.0.0.5', family: 4 as const },
    ];
    await refused(safeFetch('http://feed.example/cal.ics', { resolve: publicAndPrivate }), 'blocked_address');
    // Rebinding: the resolver answers an allowed address once, then something else; only the
    // checked answer is used for the connection.
    let calls = 0;
    const rebinding = async () => {
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 as const }];
    };
    const result = await safeFetch(`http://feed.test:${server.port}/ok`, { allowlist: [`feed.test:${server.port}`], resolve: rebinding });
    assert.equal(result.body.toString(), 'BEGIN:VCALENDAR');
    assert.equal(calls, 1);
    assert.equal(server.requests.at(-1)?.headers.host, `feed.test:${server.port}`);
  });

  test('limits redirects', async () => {
    await refused(safeFetch(server.url('/loop'), { allowlist: allow, maxRedirects: 3 }), 'too_many_redirects');
  });

  test('sends a conditional GET and reports 304 as not modified', async () => {
    const first = await safeFetch(server.url('/conditional'), { allowlist: allow });
    assert.equal(first.notModified, false);
    assert.equal(first.lastModified, 'Sun, 29 Nov 2026 08:00:00 GMT');
    const second = await safeFetch(server.url('/conditional'), { allowlist: allow, etag: first.etag, lastModified: first.lastModified });
    assert.equal(second.notModified, true);
    assert.equal(second.status, 304);
    assert.equal(server.requests.at(-1)?.headers['if-modified-since'], 'Sun, 29 Nov 2026 08:00:00 GMT');
  });

  test('decompresses gzip and brotli bodies', async () => {
    assert.equal((await safeFetch(server.url('/gzip'), { allowlist: allow })).body.toString(), 'compressed text');
    assert.equal((await safeFetch(server.url('/brotli'), { allowlist: allow })).body.toString(), 'brotli text');
    await refused(safeFetch(server.url('/bad-gzip'), { allowlist: allow }), 'encoding');
  });

  test('caps the decompressed body (gzip bomb), a streamed 100 MB body and a declared length', async () => {
    const options = { allowlist: allow, maxBytes: 1024 * 1024 };
    await refused(safeFetch(server.url('/bomb'), options), 'too_large');
    const started = Date.now();
    await refused(safeFetch(server.url('/huge'), options), 'too_large');
    assert.ok(Date.now() - started < 5000, 'stopped early');
    await refused(safeFetch(server.url('/declared-huge'), options), 'too_large');
  });

  test('gives up on a never-ending slow response at the deadline', async () => {
    const started = Date.now();
    await refused(safeFetch(server.url('/slow'), { allowlist: allow, timeoutMs: 300 }), 'timeout');
    assert.ok(Date.now() - started < 3000);
  });

  test('posts a body with its headers, follows no redirect for a POST, and can hand back an error answer', async () => {
    const posted = await safeFetch(server.url('/echo'), { allowlist: allow, method: 'POST', body: 'status=Bonjour', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(posted.status, 201);
    assert.deepEqual(JSON.parse(posted.body.toString()), { method: 'POST', type: 'application/x-www-form-urlencoded', body: 'status=Bonjour' });
    const redirected = await refused(safeFetch(server.url('/to-ok'), { allowlist: allow, method: 'POST', body: 'x' }), 'http_status');
    assert.equal(redirected.status, 302, 'a POST is not replayed elsewhere');
    const answer = await safeFetch(server.url('/refuse'), { allowlist: allow, method: 'POST', body: 'x', anyStatus: true });
    assert.equal(answer.status, 401);
    assert.match(answer.body.toString(), /access token is invalid/);
    await refused(safeFetch(server.url('/echo'), { method: 'POST', body: 'x' }), 'blocked_address');
  });

  test('reports an HTTP error status', async () => {
    const error = await refused(safeFetch(server.url('/error'), { allowlist: allow }), 'http_status');
    assert.equal(error.status, 500);
  });
});
