import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.js';
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
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
  reset(): void {
    this.offsetMs = 0;
  }
}

const CHOSEN_PASSWORD = 'le héron pêche au bord de la Charente';
const DAY = 24 * 3600;

forEachDialect('invitations', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let staff: Client;
  const clock = new MovableClock();
  let people = 0;

  before(async () => {
    t = await testApp(dialect, { clock });
    admin = await t.loginAs('admin');
    staff = await t.loginAs('staff');
  });
  after(() => t.close());

  function nextEmail(): string {
    people++;
    return `invite${people}@example.org`;
  }

  async function invite(by: Client, email: string, role: string) {
    await by.get('/admin/comptes/inviter');
    return by.post('/admin/comptes/inviter', { email, display_name: `Personne ${people}`, role });
  }

  function invitationPath(email: string): string {
    const mail = t.smtp.lastTo(email);
    assert.ok(mail, `an invitation mail to ${email}`);
    return new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
  }

  test('an admin invites a staff account and an admin account; each waits for activation and gets a mail', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const email = nextEmail();
      const res = await invite(admin, email, role);
      assert.equal(res.statusCode, 303);
      const user = await findUserByEmail(t.db.db, email);
      assert.equal(user?.role, role);
      assert.equal(user?.status, 'invited');
      assert.equal(user?.password_hash, null);
      const mail = t.smtp.lastTo(email);
      assert.ok(mail);
      assert.match(mail.parsed.subject ?? '', /votre compte vous attend/);
      assert.ok(mail.parsed.text);
      assert.ok(mail.parsed.html);
      // Staff invited the person: the mail names them, and does not answer a request nobody made.
      assert.match(mail.parsed.text, /^admin \d+, de l’équipe de .+, a créé un compte pour vous sur le site du réseau\./m);
      assert.match(mail.parsed.text, /Si vous ne vous attendiez pas à cette invitation, ignorez ce message\u00a0: aucun compte ne sera activé\./);
      assert.doesNotMatch(mail.parsed.text, /à l’origine de cette demande/);
    }
  });

  test('staff invite member accounts but are refused (403) when inviting a staff or admin account', async () => {
    const member = nextEmail();
    assert.equal((await invite(staff, member, 'member')).statusCode, 303);
    assert.equal((await findUserByEmail(t.db.db, member))?.role, 'member');
    for (const role of ['staff', 'admin']) {
      const email = nextEmail();
      const res = await invite(staff, email, role);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Accès refusé/);
      assert.equal(await findUserByEmail(t.db.db, email), undefined);
    }
  });

  test('the invitation form offers staff only the member role', async () => {
    const page = await staff.get('/admin/comptes/inviter');
    assert.match(page.body, /<option value="member"/);
    assert.doesNotMatch(page.body, /<option value="staff"/);
    assert.doesNotMatch(page.body, /<option value="admin"/);
  });

  test('inviting an address already used, typed in another case, shows a French field error', async () => {
    const email = nextEmail();
    assert.equal((await invite(admin, email, 'member')).statusCode, 303);
    const count = t.smtp.messages.length;
    const res = await invite(admin, email.toUpperCase(), 'member');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Un compte existe déjà avec cette adresse email/);
    assert.equal(t.smtp.messages.length, count, 'no second mail');
  });

  test('the invitation form lists its errors in the order of its fields: the name, then the address', async () => {
    await admin.get('/admin/comptes/inviter');
    const res = await admin.post('/admin/comptes/inviter', { display_name: '', email: 'pas-une-adresse', role: 'member' });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/href="#f-([a-z_]+)"/g)].map((m) => m[1]),
      ['display_name', 'email'],
      'the summary follows the form: name first',
    );
    assert.match(summary, /Saisissez le nom de la personne\./, 'each entry of the summary names what is wrong');
    const missing = await admin.post('/admin/comptes/inviter', { display_name: 'Léa', email: '', role: 'member' });
    assert.match(missing.body, /Saisissez l’adresse email de la personne\./, 'the invited person’s address, not « votre adresse »');
    const roleless = await admin.post('/admin/comptes/inviter', { display_name: 'Léa', email: nextEmail(), role: '' });
    assert.equal(roleless.statusCode, 400);
    assert.match(roleless.body, /<li><a href="#f-role">Choisissez le rôle de la personne\.<\/a><\/li>/);
    assert.doesNotMatch(roleless.body, /Ce champ est obligatoire/);
    const besideName = res.body.indexOf('id="f-display_name-error"');
    const besideEmail = res.body.indexOf('id="f-email-error"');
    assert.ok(besideName > 0 && besideEmail > besideName, 'each field shows its own error, the name’s first');
  });

  test('once the password is chosen, the person is signed in at once (a new session) and lands on Mon espace with a welcome; staff land on /admin', async () => {
    const email = nextEmail();
    await invite(admin, email, 'member');
    const path = invitationPath(email);
    // A browser with a session already (someone else signed in there): it must not be kept.
    const guest = await t.loginAs('member');
    const before = guest.cookie('maillage_sid');
    assert.ok(before);
    await guest.get(path);
    const res = await guest.post(path, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/mon-espace', 'not sent to the sign-in form to type the password again');
    const after = guest.cookie('maillage_sid');
    assert.ok(after);
    assert.notEqual(after, before, 'a new session id (no fixation)');
    const home = await guest.get('/mon-espace');
    assert.equal(home.statusCode, 200, 'signed in');
    assert.match(home.body, /Bienvenue, Personne \d+\u202f! Votre compte est activé et vous êtes connecté·e\./);
    assert.match((await guest.get('/mon-espace/compte')).body, new RegExp(email.replace(/\./g, '\\.')), 'as the invited account, not the one signed in before');
    const user = await findUserByEmail(t.db.db, email);
    assert.equal(user?.status, 'active');
    assert.ok(user?.last_login_at, 'recorded as a sign-in');
    // The session works for forms (CSRF) like one opened through the sign-in form.
    assert.equal((await guest.post('/deconnexion')).statusCode, 303);
    assert.equal((await guest.get('/mon-espace')).statusCode, 302, 'signed out');

    const staffEmail = nextEmail();
    await invite(admin, staffEmail, 'staff');
    const staffPath = invitationPath(staffEmail);
    const newcomer = t.client();
    await newcomer.get(staffPath);
    const accepted = await newcomer.post(staffPath, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD });
    assert.equal(accepted.headers.location, '/admin');
    assert.equal((await newcomer.get('/admin')).statusCode, 200);
  });

  test('the invited person chooses a password from the mail link, then signs in', async () => {
    const email = nextEmail();
    await invite(admin, email, 'member');
    const path = invitationPath(email);
    const guest = t.client();
    const page = await guest.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Activer votre compte/);
    const weak = await guest.post(path, { password: 'azertyuiop123', password_confirm: 'azertyuiop123' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /trop courant/);
    const res = await guest.post(path, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal((await findUserByEmail(t.db.db, email))?.status, 'active');
    const signIn = await t.client().post('/connexion', { email, password: CHOSEN_PASSWORD });
    assert.equal(signIn.statusCode, 303);
    assert.equal(signIn.headers.location, '/mon-espace');
    assert.equal((await guest.get(path)).statusCode, 410, 'the link served once');
  });

  test('an invited person cannot sign in before choosing a password', async () => {
    const email = nextEmail();
    await invite(admin, email, 'member');
    const res = await t.client().post('/connexion', { email, password: CHOSEN_PASSWORD });
    assert.equal(res.statusCode, 401);
  });

  test('an invitation link expires after seven days', async () => {
    const email = nextEmail();
    await invite(admin, email, 'member');
    const path = invitationPath(email);
    try {
      clock.advance(7 * DAY - 60);
      assert.equal((await t.client().get(path)).statusCode, 200, 'valid just before seven days');
      clock.advance(120);
      const guest = t.client();
      const page = await guest.get(path);
      assert.equal(page.statusCode, 410);
      assert.match(page.body, /Lien invalide ou expiré/);
      const post = await guest.post(path, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD });
      assert.equal(post.statusCode, 410);
      assert.equal((await findUserByEmail(t.db.db, email))?.status, 'invited');
    } finally {
      // Back to today, so the signed-in clients' sessions are alive again.
      clock.reset();
    }
  });

  test('resending an invitation mails a fresh link and voids the old one', async () => {
    const email = nextEmail();
    await invite(admin, email, 'member');
    const oldPath = invitationPath(email);
    const user = await findUserByEmail(t.db.db, email);
    assert.ok(user);
    await admin.get(`/admin/comptes/${user.id}`);
    const count = t.smtp.messages.length;
    const res = await admin.post(`/admin/comptes/${user.id}/renvoyer-invitation`);
    assert.equal(res.statusCode, 303);
    await t.smtp.waitFor(count + 1);
    const newPath = invitationPath(email);
    assert.notEqual(newPath, oldPath);
    assert.equal((await t.client().get(oldPath)).statusCode, 410);
    const guest = t.client();
    assert.equal((await guest.get(newPath)).statusCode, 200);
    assert.equal((await guest.post(newPath, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD })).statusCode, 303);
    assert.equal((await t.client().post('/connexion', { email, password: CHOSEN_PASSWORD })).statusCode, 303);
  });
});
