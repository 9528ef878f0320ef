import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { lastPageAddress, pageNumber } from '../../src/kernel/ui/pager.js';
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

test('a page past the last leads to the last, the path and the other parameters kept', () => {
  assert.equal(lastPageAddress('/annuaire?page=2', 2, 120, 50), undefined, 'the page exists');
  assert.equal(lastPageAddress('/annuaire?page=3', 3, 120, 50), undefined);
  assert.equal(lastPageAddress('/annuaire?q=eau&page=9&theme=a&theme=b', 9, 120, 50), '/annuaire?q=eau&page=3&theme=a&theme=b');
  assert.equal(lastPageAddress('/annuaire?page=9&page=4', 9, 51, 50), '/annuaire?page=2', 'one page parameter left');
  assert.equal(lastPageAddress('/annuaire?page=9&q=eau', 9, 50, 50), '/annuaire?q=eau', 'the first page has no number');
  assert.equal(lastPageAddress('/annuaire?page=2', 2, 0, 50), '/annuaire', 'an empty list');
  assert.equal(lastPageAddress('/annuaire?q=l%27eau%20douce&page=5', 5, 0, 50), "/annuaire?q=l%27eau+douce");
  assert.equal(lastPageAddress('//ailleurs.example/annuaire?page=5', 5, 0, 50), '/ailleurs.example/annuaire', 'never another site');
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
  // A list shown again with a posted form's errors keeps its answer (no redirect): its pager says the page does not exist.
  test(`a list posted again at page ${huge} says the page does not exist and leads back to the list`, async () => {
    const res = await admin.post(`/admin/imports?page=${huge}`, {});
    assert.equal(res.statusCode, 400, /<title>[^<]*/.exec(res.body)?.[0]);
    // The number typed was capped to keep offsets small: the message must not quote the cap as if typed.
    assert.doesNotMatch(res.body, /La page 1[\s\u202f]?000[\s\u202f]?000/);
    assert.match(res.body, /Cette page n’existe pas\u00a0: la liste compte 1 page\./);
    assert.match(res.body, /page=1"[^>]*>Revenir à la première page/);
  });

  // The paged lists send a page past the last to the last: here the lists hold one page at most.
  // (A number of more than six digits is no page number to some of them: their first page is shown.)
  const redirected = [
    '/annuaire?departement=47',
    '/agenda?q=eau',
    '/agenda/archives',
    '/actualites',
    '/veille',
    '/veille?q=eau',
    '/appels-a-projets?statut=en-cours',
    '/appels-a-projets/archives',
    '/ressources?q=guide',
    '/recherche?q=eau&rubrique=actualites',
    '/recherche?q=eau&rubrique=veille',
    '/admin/veille?statut=kept',
    '/admin/appels-a-projets',
    '/admin/agenda?periode=all',
    '/admin/actualites',
    '/admin/ressources',
    '/admin/organisations?q=zzz',
    '/admin/contacts',
    '/admin/comptes',
    '/admin/journal?entite=organisation',
    '/admin/imports',
    '/admin/doublons?statut=dismissed',
    '/admin/fusions',
    '/admin/moderation',
    '/admin/moderation?status=rejected&type=organisation',
    '/admin/demandes-de-compte',
    '/admin/demandes-de-compte?status=approved',
    '/admin/lettres/abonnes',
    '/admin/lettres/abonnes?q=zzz&etat=confirmed',
  ];
  for (const path of redirected) {
    test(`${path} at page 999 leads to the list’s first page, its other parameters kept`, async () => {
      const res = await admin.get(`${path}${path.includes('?') ? '&' : '?'}page=999`);
      assert.equal(res.statusCode, 302, /<title>[^<]*/.exec(res.body)?.[0]);
      assert.equal(res.headers.location, path);
      assert.equal((await admin.get(String(res.headers.location))).statusCode, 200);
    });
  }

  test('a page just beyond the list still names the page asked for', async () => {
    const res = await admin.post('/admin/imports?page=7', {});
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /La page 7 n’existe pas\u00a0: la liste compte 1 page\./);
  });

  test('a form posted again with its errors is not redirected, whatever its page', async () => {
    const res = await admin.post('/admin/imports?page=9', {});
    assert.notEqual(res.statusCode, 302);
  });
});
