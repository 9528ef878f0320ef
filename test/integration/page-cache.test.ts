// Public pages are rendered once for anonymous visitors, yet every visitor gets a working CSRF
// token of their own, signed-in users never see a shared page, and a change shows at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

type App = Awaited<ReturnType<typeof testApp>>;

const tokenOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

forEachDialect('public page cache', (dialect) => {
  let app: App;
  before(async () => {
    app = await testApp(dialect);
    await addOrganisation(app.kernel, { name: 'Association Kaïlcedrat', kind_code: 'association', commune: '33063', postcode: '33000' });
  });
  after(() => app.close());

  test('a second anonymous visit is served from the cache, with its own token that works', async () => {
    const first = app.client();
    const a = await first.get('/');
    assert.equal(a.statusCode, 200);
    const second = app.client();
    const b = await second.get('/');
    assert.equal(b.headers['x-page-cache'], 'hit');
    assert.match(b.body, /Kaïlcedrat/);
    assert.doesNotMatch(b.body, /__maillage_csrf_token__/);
    const tokenA = tokenOf(a.body);
    const tokenB = tokenOf(b.body);
    assert.ok(tokenA && tokenB && tokenA !== tokenB, 'each visitor has a token of their own');
    // The cached page's token belongs to this visitor's new cookie: the language switch works.
    const switched = await second.post('/langue', { lang: 'en', suite: '/' });
    assert.equal(switched.statusCode, 303);
    const english = await second.get('/');
    assert.equal(english.statusCode, 200);
    assert.match(english.body, /<html lang="en"/);
  });

  test('a first visit served straight from the cache carries the same security headers and a CSRF cookie', async () => {
    const miss = await app.app.inject({ method: 'GET', url: '/mentions-legales' });
    const hit = await app.app.inject({ method: 'GET', url: '/mentions-legales' });
    assert.equal(hit.headers['x-page-cache'], 'hit');
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-type']) {
      assert.ok(hit.headers[name], `${name} is sent`);
      assert.equal(hit.headers[name], miss.headers[name], `${name} is the page's own`);
    }
    assert.match(String(hit.headers['set-cookie']), /_csrf=/);
    assert.notEqual(tokenOf(hit.body), tokenOf(miss.body));
  });

  test('a change to the directory shows on the next visit', async () => {
    await app.client().get('/');
    await addOrganisation(app.kernel, { name: 'Collectif Baobab Nouveau', kind_code: 'association', commune: '87085', postcode: '87000' });
    const res = await app.client().get('/');
    assert.notEqual(res.headers['x-page-cache'], 'hit');
    assert.match(res.body, /Collectif Baobab Nouveau/);
  });

  test('signed-in users never get or fill the shared page', async () => {
    const staff = await app.loginAs('staff', 'cache-staff@example.org');
    const res = await staff.get('/');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-page-cache'], undefined);
    assert.match(res.body, /deconnexion/);
    const visitor = await app.client().get('/');
    assert.doesNotMatch(visitor.body, /deconnexion/);
  });
});
