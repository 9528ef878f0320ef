import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/**
 * HAND-WRITTEN: the only state-changing routes that may skip the CSRF token (DESIGN.md §5: routes
 * authorised by an unguessable token posted by other machines, such as one-click unsubscribe).
 * None exists yet.
 */
// DESIGN.md §5: authorised by an unguessable token in the URL, posted without cookies by mail
// providers (RFC 8058 one-click unsubscribe) and by the bounce processor.
const CSRF_EXEMPT: string[] = ['POST /desinscription/:token', 'POST /api/v1/bounces/:token'];

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A concrete URL for a route pattern; the CSRF check comes before the handler, so any value does. */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, 'exemple-0123456789').replace('*', 'x');
}

function assertCsrfPage(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 403, `${what}: status`);
  assert.match(String(res.headers['content-type']), /text\/html/, `${what}: an HTML page`);
  assert.match(res.body, /Formulaire expiré/, `${what}: the French CSRF page`);
  assert.match(res.body, /<html[^>]*lang="fr"/, `${what}: in French`);
}

function form(fields: Record<string, string>) {
  return {
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

forEachDialect('CSRF protection', (dialect) => {
  let t: TestApp;
  let stateChanging: { method: string; url: string; access: string }[];
  before(async () => {
    t = await testApp(dialect);
    stateChanging = t.app.registeredRoutes.filter((r) => STATE_CHANGING.has(r.method) && !r.csrfExempt);
  });
  after(() => t.close());

  test('only the hand-written list of routes is exempt from the CSRF token', () => {
    const exempt = t.app.registeredRoutes.filter((r) => r.csrfExempt).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(exempt.sort(), [...CSRF_EXEMPT].sort());
    assert.ok(stateChanging.length > 0, 'the app has forms to protect');
  });

  test('a signed-in admin posting any form without a token gets the French "form expired" page', async () => {
    const admin = await t.loginAs('admin');
    for (const route of stateChanging) {
      const res = await admin.request(route.method, concrete(route.url), form({ email: 'x@example.org' }));
      assertCsrfPage(res, `${route.method} ${route.url}`);
    }
  });

  test('a visitor posting a public form without a token gets the French "form expired" page', async () => {
    const visitor = t.client();
    await visitor.get('/connexion'); // has the CSRF cookie, as a browser would
    const open = stateChanging.filter((r) => r.access === 'public' || r.access === 'token');
    assert.ok(open.length > 0);
    for (const route of open) {
      const res = await visitor.request(route.method, concrete(route.url), form({ email: 'x@example.org' }));
      assertCsrfPage(res, `${route.method} ${route.url}`);
    }
  });

  test('a token taken from another browser session is refused on every form', async () => {
    const attacker = t.client();
    const stolen = await attacker.csrf();
    const admin = await t.loginAs('admin');
    for (const route of stateChanging) {
      const res = await admin.request(route.method, concrete(route.url), form({ _csrf: stolen }));
      assertCsrfPage(res, `${route.method} ${route.url}`);
    }
  });

  test('a forged token is refused, in a form field as in a header', async () => {
    const admin = await t.loginAs('admin');
    const viaField = await admin.request('POST', '/admin/comptes/inviter', form({ _csrf: 'faux-jeton', email: 'a@example.org' }));
    assertCsrfPage(viaField, 'field');
    const viaHeader = await admin.request('POST', '/admin/comptes/inviter', {
      ...form({ email: 'a@example.org' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': 'faux-jeton' },
    });
    assertCsrfPage(viaHeader, 'header');
  });

  test('a forged sign-out cannot end a session', async () => {
    const member = await t.loginAs('member');
    const res = await member.post('/deconnexion', {}, { csrf: false });
    assertCsrfPage(res, 'sign-out');
    assert.equal((await member.get('/mon-espace')).statusCode, 200, 'still signed in');
  });

  test('a refused form changes nothing: an invitation without a token creates no account and sends no mail', async () => {
    const admin = await t.loginAs('admin');
    const before = t.smtp.messages.length;
    const res = await admin.post(
      '/admin/comptes/inviter',
      { email: 'forge@example.org', display_name: 'Forgé', role: 'admin' },
      { csrf: false },
    );
    assertCsrfPage(res, 'invite');
    const row = await t.kernel.db.selectFrom('users').select('id').where('email_lower', '=', 'forge@example.org').executeTakeFirst();
    assert.equal(row, undefined);
    assert.equal(t.smtp.messages.length, before);
  });

  test('an upload posted without a token is refused and its file is not kept on disk', async () => {
    const admin = await t.loginAs('admin');
    const tmp = path.join(t.config.dataDir, 'tmp');
    const filesBefore = listFiles(tmp);
    const res = await postMultipartWithoutToken(admin, '/admin/parametres', {
      network_name: 'Réseau forgé',
      region_code: '75',
      contact_email: 'contact@example.org',
    });
    assertCsrfPage(res, 'upload');
    assert.deepEqual(listFiles(tmp), filesBefore, 'no file left in DATA_DIR/tmp');
  });

  test('the same form with the page’s token goes through', async () => {
    const admin = await t.loginAs('admin');
    const res = await admin.post('/admin/comptes/inviter', { email: 'vrai@example.org', display_name: 'Vrai', role: 'member' });
    assert.equal(res.statusCode, 303);
  });
});

function listFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

async function postMultipartWithoutToken(client: Client, url: string, fields: Record<string, string>) {
  const boundary = '----maillagecsrf';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return client.request('POST', url, {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
