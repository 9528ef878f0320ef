import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

const SITE = 'http://localhost:3000';

/**
 * `suite` values a browser would follow to another site. Browsers drop tabs and newlines from
 * URLs and read a backslash as a slash, so `/\t/evil.example` means `//evil.example`.
 */
const OFF_SITE = [
  '//evil.example/',
  '/\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  '\t//evil.example/',
  'https://evil.example/',
  '/ /evil.example/',
];

/** Where a browser lands when it follows the Location header (Node's URL parser is the WHATWG one). */
function landing(location: unknown): URL {
  assert.equal(typeof location, 'string', 'a Location header');
  return new URL(location as string, SITE);
}

forEachDialect('redirects stay on the site', (dialect) => {
  let t: TestApp;
  const email = 'suite@example.org';
  before(async () => {
    t = await testApp(dialect);
    await createActiveUser(t.kernel, { email, role: 'member', password: TEST_PASSWORD });
  });
  after(() => t.close());

  test('after sign-in, the page asked for is followed only when it is on this site', async () => {
    for (const suite of OFF_SITE) {
      const res = await t.client().post('/connexion', { email, password: TEST_PASSWORD, suite });
      assert.equal(res.statusCode, 303, JSON.stringify(suite));
      assert.equal(landing(res.headers.location).origin, SITE, `${JSON.stringify(suite)} → ${String(res.headers.location)}`);
    }
    const ok = await t.client().post('/connexion', { email, password: TEST_PASSWORD, suite: '/mon-espace/compte?onglet=1' });
    assert.equal(ok.headers.location, '/mon-espace/compte?onglet=1');
  });

  test('a signed-in visitor of the sign-in page is sent on only within the site', async () => {
    const client = t.client();
    await client.post('/connexion', { email, password: TEST_PASSWORD });
    for (const suite of OFF_SITE) {
      const res = await client.get(`/connexion?suite=${encodeURIComponent(suite)}`);
      assert.equal(res.statusCode, 303, JSON.stringify(suite));
      assert.equal(landing(res.headers.location).origin, SITE, `${JSON.stringify(suite)} → ${String(res.headers.location)}`);
    }
  });

  test('switching language returns only to a page of this site', async () => {
    for (const suite of OFF_SITE) {
      const res = await t.client().post('/langue', { lang: 'en', suite });
      assert.equal(res.statusCode, 303, JSON.stringify(suite));
      assert.equal(landing(res.headers.location).origin, SITE, `${JSON.stringify(suite)} → ${String(res.headers.location)}`);
    }
  });

  test('the page asked for is written back into the sign-in form as text, never as markup', async () => {
    const suite = '/admin"><script src="/x.js"></script><b x="';
    const res = await t.client().get(`/connexion?suite=${encodeURIComponent(suite)}`);
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes('<script src="/x.js">'), 'no injected element');
    assert.ok(!res.body.includes('"><b x="'), 'no broken-out attribute');
  });
});
