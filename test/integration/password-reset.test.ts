import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** Real time plus an offset the tests move forward. */
class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

const NEW_PASSWORD = 'une girafe boit du thé vert';

forEachDialect('forgotten password', (dialect) => {
  let t: TestApp;
  const clock = new MovableClock();
  let people = 0;

  before(async () => {
    t = await testApp(dialect, { clock });
  });
  after(() => t.close());

  async function newMember(): Promise<string> {
    people++;
    const email = `oubli${people}@example.org`;
    await createActiveUser(t.kernel, { email, role: 'member', password: TEST_PASSWORD, displayName: `Oubli ${people}` });
    return email;
  }

  /** Asks for a reset link for the address and returns its path, read from the real mail. */
  async function resetPath(email: string): Promise<string> {
    const count = t.smtp.messages.length;
    const res = await t.client().post('/mot-de-passe-oublie', { email });
    assert.equal(res.statusCode, 200);
    await t.smtp.waitFor(count + 1);
    const mail = t.smtp.lastTo(email);
    assert.ok(mail, `a mail to ${email}`);
    return new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/reinitialiser\/[A-Za-z0-9_-]+/)).pathname;
  }

  async function canSignIn(email: string, password: string): Promise<boolean> {
    const res = await t.client().post('/connexion', { email, password });
    return res.statusCode === 303;
  }

  test('the form answers the same page for a known and an unknown address, and mails only the known one', async () => {
    const email = await newMember();
    const count = t.smtp.messages.length;
    const known = await t.client().post('/mot-de-passe-oublie', { email });
    const unknown = await t.client().post('/mot-de-passe-oublie', { email: 'personne@example.org' });
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, known.statusCode);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, 'value=""');
    assert.equal(strip(unknown.body), strip(known.body));
    assert.match(known.body, /Vérifiez votre messagerie/);
    await t.smtp.waitFor(count + 1);
    const sent = t.smtp.messages.slice(count);
    assert.deepEqual(
      sent.map((m) => m.envelopeTo),
      [[email]],
    );
  });

  test('the reset mail has a text part and an HTML part, both carrying the /reinitialiser/ link', async () => {
    const email = await newMember();
    const path = await resetPath(email);
    const mail = t.smtp.lastTo(email)!;
    assert.match(mail.parsed.subject ?? '', /nouveau mot de passe/);
    assert.ok(mail.parsed.text?.includes(`http://localhost:3000${path}`), 'link in the text part');
    assert.ok(typeof mail.parsed.html === 'string' && mail.parsed.html.includes(`http://localhost:3000${path}`), 'link in the HTML part');
  });

  test('the text part puts the link after its label with the reader’s colon: « : » in French, ":" in English', async () => {
    const french = await newMember();
    const frenchPath = await resetPath(french);
    assert.match(t.smtp.lastTo(french)!.parsed.text ?? '', new RegExp(`\\nChoisir un nouveau mot de passe\u00a0: http://localhost:3000${frenchPath}\\n`));

    const english = await newMember();
    const client = t.client();
    assert.equal((await client.post('/langue', { lang: 'en', suite: '/mot-de-passe-oublie' })).statusCode, 303);
    const count = t.smtp.messages.length;
    assert.equal((await client.post('/mot-de-passe-oublie', { email: english })).statusCode, 200);
    await t.smtp.waitFor(count + 1);
    const text = t.smtp.lastTo(english)?.parsed.text ?? '';
    assert.match(text, /\nChoose a new password: http:\/\/localhost:3000\/reinitialiser\/[A-Za-z0-9_-]+\n/);
    assert.doesNotMatch(text, /[\s\u00a0]:/, 'no space before a colon in English');
  });

  test('a short, a common or a mistyped new password shows a French error and changes nothing', async () => {
    const email = await newMember();
    const path = await resetPath(email);
    const client = t.client();
    assert.equal((await client.get(path)).statusCode, 200);
    const cases: [Record<string, string>, RegExp][] = [
      [{ password: 'court123', password_confirm: 'court123' }, /au moins 12 caractères/],
      [{ password: 'motdepasse123', password_confirm: 'motdepasse123' }, /trop courant ou trop facile à deviner/],
      [{ password: NEW_PASSWORD, password_confirm: `${NEW_PASSWORD}!` }, /Les deux mots de passe ne sont pas identiques/],
    ];
    for (const [form, message] of cases) {
      const res = await client.post(path, form);
      assert.equal(res.statusCode, 400, `status for ${form['password']}`);
      assert.match(res.body, message);
      assert.match(res.body, /aria-invalid="true"/);
    }
    // Too long, over the policy or over the form's own bound: said so, never "at least 12 characters".
    for (const length of [300, 1100]) {
      const long = 'x'.repeat(length);
      const res = await client.post(path, { password: long, password_confirm: long });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Le mot de passe ne doit pas dépasser 256 caractères/);
      assert.doesNotMatch(res.body, /au moins 12 caractères|Cette valeur n’est pas valide/);
    }
    assert.equal(await canSignIn(email, TEST_PASSWORD), true, 'the old password still works');
    assert.equal((await t.client().get(path)).statusCode, 200, 'the link is still valid');
  });

  test('the link sets a new password: the new one signs in, the old one no longer does', async () => {
    const email = await newMember();
    const path = await resetPath(email);
    const client = t.client();
    await client.get(path);
    const res = await client.post(path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion');
    const emailInput = /<input[^>]*id="f-email"[^>]*>/.exec((await client.get('/connexion')).body)?.[0] ?? '';
    assert.match(emailInput, new RegExp(`value="${email.replace(/\./g, '\\.')}"`), 'the sign-in page has the address typed in');
    assert.equal(await canSignIn(email, NEW_PASSWORD), true);
    assert.equal(await canSignIn(email, TEST_PASSWORD), false);
  });

  test('the link works once: a second use shows "Lien invalide ou expiré" (410)', async () => {
    const email = await newMember();
    const path = await resetPath(email);
    const client = t.client();
    await client.get(path);
    assert.equal((await client.post(path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).statusCode, 303);
    const again = await client.get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /Lien invalide ou expiré/);
    const post = await client.post(path, { password: `${NEW_PASSWORD} bis`, password_confirm: `${NEW_PASSWORD} bis` });
    assert.equal(post.statusCode, 410);
    assert.match(post.body, /Lien invalide ou expiré/);
    assert.equal(await canSignIn(email, NEW_PASSWORD), true, 'the second use changed nothing');
  });

  test('the link expires after one hour', async () => {
    const email = await newMember();
    const path = await resetPath(email);
    clock.advance(59 * 60);
    assert.equal((await t.client().get(path)).statusCode, 200, 'still valid after 59 minutes');
    clock.advance(2 * 60);
    const client = t.client();
    const page = await client.get(path);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /Lien invalide ou expiré/);
    const post = await client.post(path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(post.statusCode, 410);
    assert.equal(await canSignIn(email, TEST_PASSWORD), true, 'the password is unchanged');
  });

  test('a new request voids the previous link', async () => {
    const email = await newMember();
    const first = await resetPath(email);
    const second = await resetPath(email);
    assert.notEqual(first, second);
    assert.equal((await t.client().get(first)).statusCode, 410);
    assert.equal((await t.client().get(second)).statusCode, 200);
  });

  test('a reset closes the sessions the user had open', async () => {
    const email = await newMember();
    const signedIn = t.client();
    assert.equal((await signedIn.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303);
    assert.equal((await signedIn.get('/mon-espace')).statusCode, 200);
    const path = await resetPath(email);
    const client = t.client();
    await client.get(path);
    assert.equal((await client.post(path, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).statusCode, 303);
    const after = await signedIn.get('/mon-espace');
    assert.equal(after.statusCode, 302);
    assert.match(String(after.headers.location), /^\/connexion/);
  });

  test('a deactivated account gets no reset mail', async () => {
    const email = await newMember();
    await t.db.db.updateTable('users').set({ status: 'deactivated' }).where('email_lower', '=', email).execute();
    const count = t.smtp.messages.length;
    const res = await t.client().post('/mot-de-passe-oublie', { email });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Vérifiez votre messagerie/);
    assert.equal(t.smtp.messages.length, count);
  });
});
