import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../helpers/db.js';
import { TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';

forEachDialect('sign-in and sign-out', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
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
