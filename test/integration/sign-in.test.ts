import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../helpers/db.js';
import { TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { ShiftedClock } from '../helpers/clock.js';
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import { formatDateTime } from '../../src/kernel/i18n/index.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';

const HOUR = 3600 * 1000;

forEachDialect('sign-in and sign-out', (dialect) => {
  let t: TestApp;
  const clock = new ShiftedClock();
  before(async () => {
    t = await testApp(dialect, { clock });
    await createActiveUser(t.kernel, { email: 'Awa.Diallo@Example.org', role: 'member', password: TEST_PASSWORD });
  });
  after(() => t.close());

  test('a member signs in with the email in another case, lands in their space, then signs out', async () => {
    const client = t.client();
    const res = await client.post('/connexion', { email: 'awa.diallo@example.org', password: TEST_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/mon-espace');
    const space = await client.get('/mon-espace');
    assert.equal(space.statusCode, 200);
    assert.match(space.body, /Mon espace/);
    const out = await client.post('/deconnexion');
    assert.equal(out.statusCode, 303);
    // The page landed on says so, once.
    const home = await client.get(String(out.headers.location));
    assert.match(home.body, /role="status"[^>]*>[\s\S]*?Vous êtes déconnecté·e\./);
    assert.doesNotMatch((await client.get('/')).body, /Vous êtes déconnecté·e/);
    const again = await client.get('/mon-espace');
    assert.equal(again.statusCode, 302);
    assert.match(String(again.headers.location), /^\/connexion\?suite=/);
  });

  test('a wrong password shows a French error and keeps the typed email', async () => {
    const res = await t.client().post('/connexion', { email: 'awa.diallo@example.org', password: 'wrong password here' });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /Adresse email ou mot de passe incorrect/);
    assert.match(res.body, /value="awa.diallo@example.org"/);
  });

  test('Mon espace says a first sign-in is the first, then shows the sign-in before the current one', async () => {
    const email = 'premiere.fois@example.org';
    await createActiveUser(t.kernel, { email, role: 'member', password: TEST_PASSWORD, displayName: 'Inès Première' });
    const first = t.client();
    assert.equal((await first.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303);
    const firstSpace = (await first.get('/mon-espace')).body;
    assert.match(firstSpace, /C’est votre première connexion\./);
    assert.doesNotMatch(firstSpace, /Dernière connexion/, 'the sign-in just made is not shown as the last one');
    const firstAt = (await findUserByEmail(t.db.db, email))?.last_login_at;
    assert.ok(firstAt);

    clock.offset += 2 * HOUR;
    const second = t.client();
    assert.equal((await second.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303);
    const secondSpace = (await second.get('/mon-espace')).body;
    assert.ok(secondSpace.includes(`Dernière connexion : ${formatDateTime(firstAt, 'fr')}`), 'the previous sign-in, not this one');
    assert.doesNotMatch(secondSpace, /première connexion/);
    const secondAt = (await findUserByEmail(t.db.db, email))?.last_login_at;
    assert.ok(secondAt);
    assert.notEqual(formatDateTime(secondAt, 'fr'), formatDateTime(firstAt, 'fr'));

    // The first browser, still signed in, now sees the sign-in made elsewhere since.
    const firstAgain = (await first.get('/mon-espace')).body;
    assert.ok(firstAgain.includes(`Dernière connexion : ${formatDateTime(secondAt, 'fr')}`), 'a later sign-in elsewhere is shown');
  });

  test('the cards of Mon espace call to action alike: a verb addressed as « vous », and a link « verb + my … »', async () => {
    const client = t.client();
    await client.post('/connexion', { email: 'awa.diallo@example.org', password: TEST_PASSWORD });
    const body = (await client.get('/mon-espace')).body;
    const cards = [...body.matchAll(/<li class="card"><h2>([^<]*)<\/h2><p>([^<]*)<\/p><a href="[^"]*">([^<]*)<\/a><\/li>/g)];
    assert.ok(cards.length >= 5, `the account card and the modules' cards (${cards.length})`);
    for (const [, title, text, link] of cards) {
      assert.match(text ?? '', /^\p{Lu}\p{Ll}+ez /u, `« ${title} » starts with an imperative addressed as vous: ${text}`);
      assert.match(link ?? '', /^\p{Lu}\p{Ll}+(er|ir|re) (mon|mes) /u, `« ${title} »'s link reads like the others: ${link}`);
    }
  });

  test('the session id changes at sign-in (no fixation)', async () => {
    const client = t.client();
    await client.post('/connexion', { email: 'awa.diallo@example.org', password: TEST_PASSWORD });
    const first = client.cookie('maillage_sid');
    assert.ok(first, 'a session cookie after the first sign-in');
    await client.post('/connexion', { email: 'awa.diallo@example.org', password: TEST_PASSWORD });
    const second = client.cookie('maillage_sid');
    assert.ok(second);
    assert.notEqual(first, second);
  });
});
