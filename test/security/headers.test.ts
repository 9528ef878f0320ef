import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** The CSP header as a map from directive to its sources. */
function csp(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  assert.ok(header, 'a Content-Security-Policy header');
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The raw Set-Cookie line of a cookie, so its attributes can be read as a browser would. */
function setCookieLine(res: LightMyRequestResponse, name: string): string {
  const raw = res.headers['set-cookie'];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  assert.ok(line, `a Set-Cookie for ${name} (got: ${lines.join(' | ') || 'none'})`);
  return line;
}

function attributes(line: string): string[] {
  return line
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

let accounts = 0;

/** Signs a new account in through the form; returns the client and the answer that sets the session cookie. */
async function signInResponse(t: TestApp, role: 'member' | 'admin'): Promise<{ client: Client; res: LightMyRequestResponse }> {
  const email = `${role}-${++accounts}@example.org`;
  await createActiveUser(t.kernel, { email, role, password: TEST_PASSWORD });
  const client = t.client();
  const res = await client.post('/connexion', { email, password: TEST_PASSWORD });
  return { client, res };
}

forEachDialect('security headers and cookies', (dialect) => {
  describe('over plain HTTP', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    test('the content security policy allows no inline or foreign script', async () => {
      const policy = csp(await t.client().get('/'));
      const scripts = policy.get('script-src') ?? policy.get('default-src');
      assert.ok(scripts, 'script-src or default-src is set');
      assert.deepEqual(scripts, ["'self'"]);
      for (const [name, sources] of policy) {
        assert.ok(!sources.includes("'unsafe-inline'"), `${name} has no 'unsafe-inline'`);
        assert.ok(!sources.includes("'unsafe-eval'"), `${name} has no 'unsafe-eval'`);
        assert.ok(!sources.includes('*'), `${name} allows no wildcard`);
      }
      assert.deepEqual(policy.get('object-src'), ["'none'"]);
    });

    test('other sites cannot frame the pages', async () => {
      const res = await t.client().get('/connexion');
      assert.deepEqual(csp(res).get('frame-ancestors'), ["'self'"]);
      assert.equal(String(res.headers['x-frame-options']).toUpperCase(), 'SAMEORIGIN');
    });

    test('pages send a referrer policy and forbid MIME sniffing', async () => {
      const res = await t.client().get('/');
      assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    });

    test('links from emails do not leak their token through the referrer', async () => {
      const res = await t.client().get('/reinitialiser/un-jeton-quelconque');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    });

    test('error pages and JSON answers carry the same protective headers', async () => {
      for (const res of [await t.client().get('/page-qui-n-existe-pas'), await t.client().get('/healthz')]) {
        assert.ok(csp(res).get('frame-ancestors'), 'a CSP with frame-ancestors');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.ok(res.headers['referrer-policy']);
      }
    });

    test('over plain HTTP there is no HSTS and no upgrade-insecure-requests', async () => {
      const res = await t.client().get('/');
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.equal(csp(res).has('upgrade-insecure-requests'), false);
    });

    test('the session cookie is HttpOnly, SameSite=Lax, for the whole site, and not Secure over HTTP', async () => {
      const { res } = await signInResponse(t, 'member');
      assert.equal(res.statusCode, 303);
      const attrs = attributes(setCookieLine(res, 'maillage_sid'));
      assert.ok(attrs.includes('httponly'), 'HttpOnly');
      assert.ok(attrs.includes('samesite=lax'), 'SameSite=Lax');
      assert.ok(attrs.includes('path=/'), 'Path=/');
      assert.ok(!attrs.includes('secure'), 'not Secure over HTTP');
    });

    test('the CSRF secret cookie is HttpOnly and SameSite=Lax', async () => {
      const res = await t.client().get('/connexion');
      const attrs = attributes(setCookieLine(res, '_csrf'));
      assert.ok(attrs.includes('httponly'));
      assert.ok(attrs.includes('samesite=lax'));
    });

    test('pages hold no inline script, style or event handler that the policy would block', async () => {
      const admin = await t.loginAs('admin');
      const visitor = t.client();
      const pages = [
        await visitor.get('/'),
        await visitor.get('/connexion'),
        await visitor.get('/mot-de-passe-oublie'),
        await visitor.get('/page-qui-n-existe-pas'),
        await admin.get('/admin'),
        await admin.get('/admin/comptes'),
        await admin.get('/admin/parametres'),
        await admin.get('/mon-espace/compte'),
      ];
      for (const res of pages) {
        assert.doesNotMatch(res.body, /<script(?![^>]*\ssrc=)[^>]*>/i, 'no inline <script>');
        assert.doesNotMatch(res.body, /\sstyle="/i, 'no style attribute');
        assert.doesNotMatch(res.body, /<style[\s>]/i, 'no <style> element');
        assert.doesNotMatch(res.body, /\son[a-z]+="/i, 'no inline event handler');
        assert.doesNotMatch(res.body, /href="javascript:/i, 'no javascript: link');
      }
    });
  });

  describe('behind HTTPS (BASE_URL https)', () => {
    let t: TestApp;
    before(async () => {
      // The TLS proxy in front talks plain HTTP to the app, as in production.
      t = await testApp(dialect, { env: { BASE_URL: 'https://reseau.example.org' } });
    });
    after(() => t.close());

    test('HSTS is sent for a year with subdomains', async () => {
      const res = await t.client().get('/');
      assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
      assert.match(String(res.headers['strict-transport-security']), /includeSubDomains/i);
    });

    test('the policy upgrades insecure requests', async () => {
      assert.equal(csp(await t.client().get('/')).has('upgrade-insecure-requests'), true);
    });

    test('the session cookie is Secure, HttpOnly and SameSite=Lax', async () => {
      const { res } = await signInResponse(t, 'member');
      assert.equal(res.statusCode, 303);
      const attrs = attributes(setCookieLine(res, 'maillage_sid'));
      assert.ok(attrs.includes('secure'), 'Secure');
      assert.ok(attrs.includes('httponly'), 'HttpOnly');
      assert.ok(attrs.includes('samesite=lax'), 'SameSite=Lax');
    });

    test('a member signs in and reaches their space through the TLS proxy', async () => {
      const { client } = await signInResponse(t, 'member');
      const res = await client.get('/mon-espace');
      assert.equal(res.statusCode, 200);
    });

    test('every cookie the app sets is Secure', async () => {
      const visitor = t.client();
      const page = await visitor.get('/connexion');
      assert.ok(attributes(setCookieLine(page, '_csrf')).includes('secure'), '_csrf is Secure');
      const lang = await visitor.post('/langue', { lang: 'en', suite: '/' });
      assert.equal(lang.statusCode, 303);
      assert.ok(attributes(setCookieLine(lang, 'lang')).includes('secure'), 'lang is Secure');
    });
  });
});
