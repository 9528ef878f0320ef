import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pageNumber } from '../../src/kernel/ui/pager.js';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

test('a page number too large for the database is kept within a safe range', () => {
  for (const raw of ['99999999999999999999', '1e20', '9007199254740993', String(Number.MAX_SAFE_INTEGER)]) {
    const page = pageNumber(raw);
    assert.ok(Number.isSafeInteger(page) && page >= 1, `${raw} → ${page}`);
    assert.ok(page * 1000 < 2 ** 31, `${raw} → ${page}: offsets stay small integers`);
  }
  assert.equal(pageNumber('3'), 3);
  assert.equal(pageNumber('0'), 1);
  assert.equal(pageNumber('-2'), 1);
  assert.equal(pageNumber('abc'), 1);
  assert.equal(pageNumber(undefined), 1);
});

forEachDialect('lists opened at a huge page number', (dialect) => {
  let t: TestApp;
  let admin: Client;

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin');
  });
  after(() => t.close());

  const huge = '99999999999999999999';
  for (const path of ['/admin/veille', '/admin/appels-a-projets', '/admin/actualites', '/admin/ressources', '/admin/lettres/abonnes', '/admin/moderation', '/veille', '/veille?q=eau']) {
    test(`${path} at page ${huge} says the page does not exist and leads back to the list`, async () => {
      const res = await admin.get(`${path}${path.includes('?') ? '&' : '?'}page=${huge}`);
      assert.equal(res.statusCode, 200, /<title>[^<]*/.exec(res.body)?.[0]);
      if (path.startsWith('/veille')) return; // An empty archive shows no pager, only that nothing matches.
      // The number typed was capped to keep offsets small: the message must not quote the cap as if typed.
      assert.doesNotMatch(res.body, /La page 1[\s\u202f]?000[\s\u202f]?000/);
      assert.match(res.body, /Cette page n’existe pas : la liste compte 1 page\./);
      assert.match(res.body, /page=1"[^>]*>Revenir à la première page/);
    });
  }

  test('a page just beyond the list still names the page asked for', async () => {
    const res = await admin.get('/admin/actualites?page=7');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /La page 7 n’existe pas : la liste compte 1 page\./);
  });
});
