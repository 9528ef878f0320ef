import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { returnPath } from './view-context.js';

const SITE = 'http://localhost:3000';

/** The `suite` fields of a page's forms (the language switch), as the browser would send them. */
function suites(html: string): string[] {
  return [...html.matchAll(/name="suite" value="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

test('the language switch comes back to the page with its query string, only to a path of this site', () => {
  assert.equal(returnPath('/recherche?q=eau', '/recherche'), '/recherche?q=eau');
  assert.equal(returnPath('/agenda?vue=mois&mois=2027-01', '/agenda'), '/agenda?vue=mois&mois=2027-01');
  assert.equal(returnPath('/annuaire', '/annuaire'), '/annuaire');
  // A query a browser could read as another site's address, or a page address that is one: the path, or the home page.
  assert.equal(returnPath('/recherche?q=a\\b', '/recherche'), '/recherche');
  assert.equal(returnPath('/recherche?q=a\tb', '/recherche'), '/recherche');
  assert.equal(returnPath('//evil.example/?q=1', '//evil.example/'), '/');
  assert.equal(returnPath('/\\evil.example/?q=1', '/\\evil.example/'), '/');
  // A very long query is not carried (the page itself is).
  assert.equal(returnPath(`/recherche?q=${'a'.repeat(3000)}`, '/recherche'), '/recherche');
});

forEachDialect('the language switch keeps the page’s state', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());

  test('search, month, filters and page are kept: the switch leads back to the same address', async () => {
    // Page 1: the lists are empty here, and a page past the last leads elsewhere (to the last).
    for (const url of ['/recherche?q=eau', '/agenda?vue=mois&mois=2027-01', '/annuaire?tri=nom&page=1', '/appels-a-projets?theme=health&region=75', '/ressources?q=guide']) {
      // Twice: the second visit is served from the public page cache, which must not mix addresses.
      for (const round of [1, 2]) {
        const visitor = t.client();
        const page = await visitor.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.deepEqual(suites(page.body), [url], `${url} (visit ${round})`);
        const switched = await visitor.post('/langue', { lang: 'en', suite: suites(page.body)[0]! });
        assert.equal(switched.statusCode, 303);
        assert.equal(switched.headers.location, url);
        const english = await visitor.get(String(switched.headers.location));
        assert.match(english.body, /<html lang="en"/);
        assert.deepEqual(suites(english.body), [url], 'and back to French from there');
      }
    }
  });

  test('on the “page not found” page, the switch leads back to the address asked for, now in English', async () => {
    // An address no route knows, and an organisation that is no longer there.
    for (const url of ['/nulle-part?x=1', '/acteurs/structure-disparue']) {
      const visitor = t.client();
      const missing = await visitor.get(url);
      assert.equal(missing.statusCode, 404, url);
      assert.deepEqual(suites(missing.body), [url]);
      const switched = await visitor.post('/langue', { lang: 'en', suite: suites(missing.body)[0]! });
      assert.equal(switched.headers.location, url);
      const english = await visitor.get(String(switched.headers.location));
      assert.equal(english.statusCode, 404);
      assert.match(english.body, /<html lang="en"/);
    }
  });

  test('a page reached by an address a browser would read as another site’s leads back within the site', async () => {
    for (const url of ['//evil.example/?q=1', '//appels-a-projets?theme=health', '/recherche?q=a%5Cb']) {
      const page = await t.client().get(url);
      assert.equal(suites(page.body).length, 1, `${url}: one language switch`);
      for (const suite of suites(page.body)) {
        assert.equal(new URL(suite, SITE).origin, SITE, `${url} → ${suite}`);
        const switched = await t.client().post('/langue', { lang: 'en', suite });
        assert.equal(new URL(String(switched.headers.location), SITE).origin, SITE);
      }
    }
  });
});
