import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import { TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

const NEW_PASSWORD = 'trois pommes sur la table basse';

forEachDialect('own account: password and email', (dialect) => {
  let t: TestApp;
  let people = 0;

  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());

  async function signedInMember() {
    people++;
    const email = `moi${people}@example.org`;
    const client = await t.loginAs('member', email);
    await client.get('/mon-espace/compte');
    return { client, email };
  }

  async function canSignIn(email: string, password: string): Promise<boolean> {
    return (await t.client().post('/connexion', { email, password })).statusCode === 303;
  }

  test('a wrong current password shows a French error and keeps the password', async () => {
    const { client, email } = await signedInMember();
    const res = await client.post('/mon-espace/compte/mot-de-passe', {
      current_password: 'not my password at all',
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Le mot de passe actuel est incorrect/);
    assert.equal(await canSignIn(email, TEST_PASSWORD), true);
    assert.equal(await canSignIn(email, NEW_PASSWORD), false);
  });

  test('a new password that breaks the policy is refused with a French error', async () => {
    const { client, email } = await signedInMember();
    const res = await client.post('/mon-espace/compte/mot-de-passe', {
      current_password: TEST_PASSWORD,
      password: 'motdepasse123',
      password_confirm: 'motdepasse123',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /trop courant ou trop facile à deviner/);
    const long = 'x'.repeat(2000);
    const tooLong = await client.post('/mon-espace/compte/mot-de-passe', { current_password: TEST_PASSWORD, password: long, password_confirm: long });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Le mot de passe ne doit pas dépasser 256 caractères/);
    assert.doesNotMatch(tooLong.body, /au moins 12 caractères/);
    assert.equal(await canSignIn(email, TEST_PASSWORD), true);
  });

  test('a changed password signs in; the old one no longer does', async () => {
    const { client, email } = await signedInMember();
    const res = await client.post('/mon-espace/compte/mot-de-passe', {
      current_password: TEST_PASSWORD,
      password: NEW_PASSWORD,
      password_confirm: NEW_PASSWORD,
    });
    assert.equal(res.statusCode, 303);
    const page = await client.get('/mon-espace/compte');
    assert.match(page.body, /Votre mot de passe a été changé/);
    assert.equal(await canSignIn(email, NEW_PASSWORD), true);
    assert.equal(await canSignIn(email, TEST_PASSWORD), false);
  });

  test('a new email is confirmed from a link sent to it: GET shows a button, POST switches the address', async () => {
    const { client, email } = await signedInMember();
    const newEmail = `nouvelle.adresse${people}@example.org`;
    const count = t.smtp.messages.length;
    const res = await client.post('/mon-espace/compte/email', { email: newEmail, current_password: TEST_PASSWORD });
    assert.equal(res.statusCode, 303);
    await t.smtp.waitFor(count + 1);
    assert.equal(t.smtp.lastTo(email), undefined, 'nothing sent to the old address');
    const mail = t.smtp.lastTo(newEmail);
    assert.ok(mail, 'a mail to the new address');
    const path = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/confirmer-email\/[A-Za-z0-9_-]+/)).pathname;
    assert.equal((await findUserByEmail(t.db.db, email))?.email, email, 'unchanged until confirmed');
    // Coming back to the account page later (the notice after the form is gone), the change waiting is said.
    await client.get('/mon-espace/compte');
    const waiting = await client.get('/mon-espace/compte');
    assert.match(waiting.body, new RegExp(`Changement en attente : un lien de confirmation a été envoyé à ${newEmail.replace(/\./g, '\\.')}\\. Il fonctionne jusqu’au `));

    const confirmPage = await client.get(path);
    assert.equal(confirmPage.statusCode, 200);
    assert.match(confirmPage.body, /<button type="submit"[^>]*>Confirmer<\/button>/);
    assert.equal((await findUserByEmail(t.db.db, email))?.email, email, 'opening the link changes nothing');

    const done = await client.post(path);
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Adresse confirmée/);
    assert.equal(await canSignIn(email, TEST_PASSWORD), false, 'the old address no longer signs in');
    assert.equal(await canSignIn(newEmail, TEST_PASSWORD), true, 'the new address signs in');
    assert.equal((await client.post(path)).statusCode, 410, 'the link served once');
    assert.doesNotMatch((await client.get('/mon-espace/compte')).body, /Changement en attente/, 'nothing waits once confirmed');
  });

  test('an email change to an address another account uses is refused with a French error', async () => {
    const { client } = await signedInMember();
    const other = await signedInMember();
    const count = t.smtp.messages.length;
    const res = await client.post('/mon-espace/compte/email', { email: other.email.toUpperCase(), current_password: TEST_PASSWORD });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Un compte existe déjà avec cette adresse email/);
    assert.equal(t.smtp.messages.length, count);
  });

  test('the email change form lists its errors in the order of its fields: the new address, then the password', async () => {
    const { client } = await signedInMember();
    const res = await client.post('/mon-espace/compte/email', { email: 'pas-une-adresse', current_password: '' });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/href="#f-em-([a-z_]+)"/g)].map((m) => m[1]),
      ['email', 'current_password'],
    );
  });

  test('an email change asks for the current password', async () => {
    const { client } = await signedInMember();
    const count = t.smtp.messages.length;
    const res = await client.post('/mon-espace/compte/email', { email: 'ailleurs@example.org', current_password: 'wrong password here' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Le mot de passe actuel est incorrect/);
    assert.equal(t.smtp.messages.length, count);
  });
});
