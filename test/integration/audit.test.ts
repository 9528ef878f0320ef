import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Clock } from '../../src/kernel/clock.js';
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import { type AuditRow, recordAudit } from '../../src/kernel/audit/index.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** A clock set to chosen instants that then runs at the pace of real time. */
class SettableClock implements Clock {
  private offsetMs = 0;
  set(iso: string): void {
    this.offsetMs = new Date(iso).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

const ADMIN = 'Admin.Journal@example.org';
const STAFF = 'equipe.journal@example.org';
const MEMBER = 'membre.journal@example.org';
const MEMBER_NEW = 'membre.nouveau@example.org';
const INVITED = 'invitee.journal@example.org';
const PASSWORDS = { invited: 'un chat roux dort sur le rebord', reset: 'la marée monte vite à Royan', changed: 'des cerises rouges en juin 1998' };

function linkPath(t: TestApp, to: string, pattern: RegExp): string {
  const mail = t.smtp.lastTo(to);
  assert.ok(mail, `a mail to ${to}`);
  return new URL(t.smtp.linkIn(mail, pattern)).pathname;
}

async function signInAgain(client: Client, email: string): Promise<void> {
  assert.equal((await client.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303, `${email} signs in again`);
}

/** Entries shown on a journal page: the count line and each row's action. */
function shown(body: string): { count: number; actions: string[] } {
  const count = /(\d+) entrées?/.exec(body);
  assert.ok(count, 'a count line');
  return { count: Number(count[1]), actions: [...body.matchAll(/<span data-action="([a-z_.]+)">/g)].map((m) => m[1]!) };
}

forEachDialect('audit log', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let rows: AuditRow[];
  const tokens: string[] = [];
  const clock = new SettableClock();
  let ids: { member: string; invited: string };

  /**
   * The whole account journey, in two periods: 10 March 2026 (invitation, reset, own changes,
   * and a role change late at night, already 11 March in Paris) and 20 April 2026 (deactivation,
   * reactivation, settings).
   */
  before(async () => {
    clock.set('2026-03-10T10:00:00Z');
    t = await testApp(dialect, { clock });
    admin = await t.loginAs('admin', ADMIN);
    const staff = await t.loginAs('staff', STAFF);
    const member = await t.loginAs('member', MEMBER);

    await admin.get('/admin/comptes/inviter');
    assert.equal((await admin.post('/admin/comptes/inviter', { email: INVITED, display_name: 'Invitée', role: 'staff' })).statusCode, 303);
    const invitedId = (await findUserByEmail(t.db.db, INVITED))!.id;
    tokens.push(linkPath(t, INVITED, /http\S+\/invitation\/\S+/).split('/').pop()!);
    await admin.get(`/admin/comptes/${invitedId}`);
    assert.equal((await admin.post(`/admin/comptes/${invitedId}/renvoyer-invitation`)).statusCode, 303);
    const invitation = linkPath(t, INVITED, /http\S+\/invitation\/\S+/);
    tokens.push(invitation.split('/').pop()!);
    const guest = t.client();
    await guest.get(invitation);
    assert.equal((await guest.post(invitation, { password: PASSWORDS.invited, password_confirm: PASSWORDS.invited })).statusCode, 303);

    assert.equal((await t.client().post('/mot-de-passe-oublie', { email: MEMBER })).statusCode, 200);
    const reset = linkPath(t, MEMBER, /http\S+\/reinitialiser\/\S+/);
    tokens.push(reset.split('/').pop()!);
    const resetter = t.client();
    await resetter.get(reset);
    assert.equal((await resetter.post(reset, { password: PASSWORDS.reset, password_confirm: PASSWORDS.reset })).statusCode, 303);

    assert.equal((await member.post('/connexion', { email: MEMBER, password: PASSWORDS.reset })).statusCode, 303);
    await member.get('/mon-espace/compte');
    const changed = await member.post('/mon-espace/compte/mot-de-passe', {
      current_password: PASSWORDS.reset,
      password: PASSWORDS.changed,
      password_confirm: PASSWORDS.changed,
    });
    assert.equal(changed.statusCode, 303);
    await member.get('/mon-espace/compte');
    assert.equal((await member.post('/mon-espace/compte/email', { email: MEMBER_NEW, current_password: PASSWORDS.changed })).statusCode, 303);
    const confirm = linkPath(t, MEMBER_NEW, /http\S+\/confirmer-email\/\S+/);
    tokens.push(confirm.split('/').pop()!);
    await member.get(confirm);
    assert.equal((await member.post(confirm)).statusCode, 200);
    const memberId = (await findUserByEmail(t.db.db, MEMBER_NEW))!.id;

    // Sessions last 8 hours by the app's clock: after each jump, people sign in again.
    clock.set('2026-03-10T23:30:00Z');
    await signInAgain(admin, ADMIN);
    await admin.get(`/admin/comptes/${invitedId}`);
    assert.equal((await admin.post(`/admin/comptes/${invitedId}/role`, { role: 'admin' })).statusCode, 303);

    clock.set('2026-04-20T10:00:00Z');
    await signInAgain(staff, STAFF);
    await signInAgain(admin, ADMIN);
    await staff.get(`/admin/comptes/${memberId}`);
    assert.equal((await staff.post(`/admin/comptes/${memberId}/desactiver`)).statusCode, 303);
    assert.equal((await staff.post(`/admin/comptes/${memberId}/reactiver`)).statusCode, 303);
    await admin.get('/admin/parametres');
    const settings = await admin.postMultipart(
      '/admin/parametres',
      { network_name: 'Réseau du journal', region_code: '75', contact_email: 'contact@journal.example.org' },
      [],
    );
    assert.equal(settings.statusCode, 303);

    rows = await t.db.db.selectFrom('audit_log').selectAll().orderBy('at').execute();
    ids = { member: memberId, invited: invitedId };
  });
  after(() => t.close());

  function only(action: string): AuditRow {
    const found = rows.filter((r) => r.action === action);
    assert.equal(found.length, 1, `one ${action} row`);
    return found[0]!;
  }

  test('each change names who made it, when, on what, with the state before and after', () => {
    const expected: [string, string | null, string | null, string][] = [
      ['user.invited', ADMIN, ids.invited, '2026-03-10'],
      ['user.invitation_resent', ADMIN, ids.invited, '2026-03-10'],
      ['user.invitation_accepted', INVITED, ids.invited, '2026-03-10'],
      ['user.password_reset', MEMBER, ids.member, '2026-03-10'],
      ['user.password_changed', MEMBER, ids.member, '2026-03-10'],
      ['user.email_changed', MEMBER, ids.member, '2026-03-10'],
      ['user.role_changed', ADMIN, ids.invited, '2026-03-10T23:30'],
      ['user.deactivated', STAFF, ids.member, '2026-04-20'],
      ['user.reactivated', STAFF, ids.member, '2026-04-20'],
      ['settings.updated', ADMIN, null, '2026-04-20'],
    ];
    for (const [action, actor, entity, day] of expected) {
      const row = only(action);
      assert.equal(row.actor_email, actor?.toLowerCase(), `${action}: actor`);
      assert.ok(row.actor_id, `${action}: actor id`);
      assert.equal(row.entity_id, entity, `${action}: entity`);
      assert.ok(row.at.startsWith(day), `${action}: at ${row.at}`);
    }
    assert.deepEqual(JSON.parse(only('user.email_changed').before!), { email: MEMBER });
    assert.deepEqual(JSON.parse(only('user.email_changed').after!), { email: MEMBER_NEW });
    assert.deepEqual(JSON.parse(only('user.role_changed').before!), { role: 'staff' });
    assert.deepEqual(JSON.parse(only('user.role_changed').after!), { role: 'admin' });
    assert.deepEqual(JSON.parse(only('user.deactivated').before!), { status: 'active' });
    assert.deepEqual(JSON.parse(only('user.deactivated').after!), { status: 'deactivated' });
    assert.deepEqual(JSON.parse(only('user.invitation_accepted').after!), { status: 'active' });
    assert.equal(JSON.parse(only('user.invited').after!).role, 'staff');
    const settings = only('settings.updated');
    assert.equal(JSON.parse(settings.before!).networkName, 'Maillage');
    assert.equal(JSON.parse(settings.after!).networkName, 'Réseau du journal');
  });

  test('no entry holds a password, a password hash or a link token', async () => {
    const users = await t.db.db.selectFrom('users').select('password_hash').execute();
    const hashes = await t.db.db.selectFrom('user_tokens').select('token_hash').execute();
    const secrets = [
      TEST_PASSWORD,
      ...Object.values(PASSWORDS),
      ...tokens,
      ...users.flatMap((u) => (u.password_hash ? [u.password_hash] : [])),
      ...hashes.map((h) => h.token_hash),
    ];
    assert.ok(tokens.length >= 4);
    const text = JSON.stringify(rows);
    assert.doesNotMatch(text, /\$argon2/);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in the log: ${secret.slice(0, 12)}…`);
  });

  test('secrets handed to the log by mistake are masked, at any depth', async () => {
    await recordAudit(t.db.db, { id: null, email: null }, {
      action: 'test.masking',
      entityType: 'test',
      before: { email: 'a@example.org', password_hash: '$argon2id$v=19$abc', nested: { resetToken: 'tok-123', sessionSecret: 's3cr3t' } },
      after: { email: 'b@example.org', password: 'hunter2 hunter2', _csrf: 'csrf-value' },
    });
    const row = await t.db.db.selectFrom('audit_log').selectAll().where('action', '=', 'test.masking').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.before!), { email: 'a@example.org', password_hash: '[masqué]', nested: { resetToken: '[masqué]', sessionSecret: '[masqué]' } });
    assert.deepEqual(JSON.parse(row.after!), { email: 'b@example.org', password: '[masqué]', _csrf: '[masqué]' });
  });

  test('the journal is for admins only', async () => {
    clock.set('2026-06-01T10:00:00Z'); // the accounts made here stay out of the other periods
    await signInAgain(admin, ADMIN);
    assert.equal((await (await t.loginAs('staff')).get('/admin/journal')).statusCode, 403);
    assert.equal((await (await t.loginAs('member')).get('/admin/journal')).statusCode, 403);
    const visitor = await t.client().get('/admin/journal');
    assert.equal(visitor.statusCode, 302);
    assert.equal((await admin.get('/admin/journal')).statusCode, 200);
  });

  test('the journal filters by actor email, in any case', async () => {
    const res = await admin.get(`/admin/journal?acteur=${encodeURIComponent(STAFF.toUpperCase())}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(shown(res.body), { count: 2, actions: ['user.reactivated', 'user.deactivated'] });
  });

  test('the journal filters by entity and by action', async () => {
    const settings = shown((await admin.get('/admin/journal?entite=settings')).body);
    assert.deepEqual(settings, { count: 1, actions: ['settings.updated'] });
    const invited = shown((await admin.get('/admin/journal?action=user.invited')).body);
    assert.deepEqual(invited, { count: 1, actions: ['user.invited'] });
    const history = shown((await admin.get(`/admin/journal?entite=user&id=${ids.member}`)).body);
    assert.ok(history.actions.includes('user.email_changed'));
    assert.ok(!history.actions.includes('user.invited'));
  });

  test('the journal filters by a date range of Paris days, both ends included', async () => {
    const april = shown((await admin.get('/admin/journal?du=2026-04-01&au=2026-04-30')).body);
    assert.deepEqual(april.actions.sort(), ['settings.updated', 'user.deactivated', 'user.reactivated']);
    // 23:30 UTC on 10 March is already 11 March in Paris.
    const eleventh = shown((await admin.get('/admin/journal?du=2026-03-11&au=2026-03-11')).body);
    assert.deepEqual(eleventh, { count: 1, actions: ['user.role_changed'] });
    const tenth = shown((await admin.get('/admin/journal?du=2026-03-10&au=2026-03-10')).body);
    assert.ok(tenth.actions.includes('user.invited'));
    assert.ok(!tenth.actions.includes('user.role_changed'));
    assert.ok(!tenth.actions.includes('settings.updated'));
  });

  test('the date filters are date pickers, with no format hint to read', async () => {
    const body = (await admin.get('/admin/journal?du=2026-04-01&au=2026-04-30')).body;
    assert.match(body, /<input id="f-du" name="du" type="date" value="2026-04-01"/);
    assert.match(body, /<input id="f-au" name="au" type="date" value="2026-04-30"/);
    assert.doesNotMatch(body, /AAAA-MM-JJ/, 'the picker says the format itself');
    assert.doesNotMatch(body, /id="f-du-hint"|id="f-au-hint"/);
  });

  /** Asserts a refused journal: the line saying what to correct, and no entry at all. */
  function refusedList(body: string, line: string, what: string): void {
    assert.ok(body.includes(`<p class="result-count" role="status">${line}</p>`), `${what}: the line says what to correct`);
    assert.doesNotMatch(body, /\d+ entrées?</, `${what}: no count`);
    assert.doesNotMatch(body, /<table|data-action=|Aucune modification enregistrée/, `${what}: no entry, not even « none »`);
    assert.doesNotMatch(body, /class="pager"/, `${what}: no pager`);
  }
  const FIX_PERIOD = 'Aucune entrée affichée : corrigez la période («\u00a0Du\u00a0», «\u00a0Au\u00a0»).';

  test('a date that is not a date is quoted back in a short French message; no entry is shown, what was typed is kept', async () => {
    for (const [query, field, typed] of [
      ['du=31/01/2026', 'du', '31/01/2026'],
      ['au=2026-02-30', 'au', '2026-02-30'],
      ['du=hier', 'du', 'hier'],
      ['au=2026-4-1', 'au', '2026-4-1'],
    ] as const) {
      const res = await admin.get(`/admin/journal?${query}&entite=settings`);
      assert.equal(res.statusCode, 400, query);
      const message = `«\u00a0${typed}\u00a0» n’est pas une date : choisissez un jour.`;
      assert.ok(res.body.includes(`<p class="field-error" id="f-${field}-error">${message}</p>`), `${query}: the message next to the field`);
      assert.ok(res.body.includes(`<a href="#f-${field}">${message}</a>`), `${query}: the summary links to the field`);
      assert.match(res.body, new RegExp(`id="f-${field}" name="${field}" type="date"[^>]*aria-invalid="true"`), query);
      assert.match(res.body, /<option value="settings" selected/, `${query}: the other filter stays chosen`);
      assert.match(res.body, /Journal des modifications/);
      assert.doesNotMatch(res.body, /at .+\.ts:\d+|Error:/, 'no stack trace');
      refusedList(res.body, FIX_PERIOD, query);
    }
  });

  test('a long bad date is quoted cut short, and markup in it is shown as text', async () => {
    const res = await admin.get(`/admin/journal?du=${encodeURIComponent(`<b>${'x'.repeat(80)}`)}`);
    assert.equal(res.statusCode, 400);
    const error = /<p class="field-error" id="f-du-error">([^<]*)<\/p>/.exec(res.body);
    assert.ok(error, 'the message is text only');
    assert.equal(error[1], `«\u00a0&lt;b>${'x'.repeat(12)}…\u00a0» n’est pas une date : choisissez un jour.`, 'no longer than a day written out');
  });

  test('« Du » after « Au » is refused with a short message by « Au », naming both fields; no entry is shown', async () => {
    const res = await admin.get('/admin/journal?du=2026-04-30&au=2026-04-01&action=user.deactivated');
    assert.equal(res.statusCode, 400);
    const message = '«\u00a0Au\u00a0» doit être le même jour que «\u00a0Du\u00a0» ou après.';
    assert.ok(res.body.includes(`<p class="field-error" id="f-au-error">${message}</p>`), 'the message next to « Au »');
    assert.ok(res.body.includes(`<a href="#f-au">${message}</a>`), 'the summary links to « Au »');
    assert.match(res.body, /id="f-du" name="du" type="date" value="2026-04-30"/, 'both dates are kept in the form');
    assert.match(res.body, /id="f-au" name="au" type="date" value="2026-04-01"/);
    assert.match(res.body, /<option value="user\.deactivated" selected/, 'the action stays chosen');
    refusedList(res.body, FIX_PERIOD, 'dates in the wrong order');
    const sameDay = await admin.get('/admin/journal?du=2026-04-20&au=2026-04-20');
    assert.equal(sameDay.statusCode, 200, 'one day, from and to alike, is a range');
    assert.equal(shown(sameDay.body).count, 3);
  });

  test('the error summary follows the order of the fields: « Du » before « Au »', async () => {
    // « Du » has the form of a day but is none; « Au » has not even the form: two checks, one order.
    for (const query of ['du=2026-02-30&au=31/01/2026', 'du=31/01/2026&au=2026-02-30', 'du=hier&au=demain']) {
      const res = await admin.get(`/admin/journal?${query}`);
      assert.equal(res.statusCode, 400, query);
      const links = [...res.body.matchAll(/<li><a href="#(f-[a-z]+)">/g)].map((m) => m[1]);
      assert.deepEqual(links, ['f-du', 'f-au'], query);
    }
    const long = await admin.get(`/admin/journal?au=31/01/2026&acteur=${'a'.repeat(250)}@example.org`);
    assert.deepEqual(
      [...long.body.matchAll(/<li><a href="#(f-[a-z]+)">/g)].map((m) => m[1]),
      ['f-acteur', 'f-au'],
    );
  });

  test('a wrong filter other than the dates is refused too, with its own line', async () => {
    const res = await admin.get(`/admin/journal?acteur=${'a'.repeat(250)}@example.org`);
    assert.equal(res.statusCode, 400);
    refusedList(res.body, 'Aucune entrée affichée : corrigez les filtres signalés.', 'an author address too long');
  });

  test('a page number that is none shows the first page', async () => {
    const res = await admin.get('/admin/journal?page=abc&entite=settings');
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /error-summary/);
    assert.deepEqual(shown(res.body), { count: 1, actions: ['settings.updated'] });
  });

  test('the empty choices agree with their noun: « Tous » (objets), « Toutes » (actions)', async () => {
    const body = (await admin.get('/admin/journal')).body;
    assert.match(body, /<select id="f-entite" name="entite"><option value="" selected>Tous<\/option>/);
    assert.match(body, /<select id="f-action" name="action"><option value="" selected>Toutes<\/option>/);
  });

  test('in English, the date errors are in English and as short', async () => {
    const english = t.client();
    await signInAgain(english, ADMIN);
    const order = await english.get('/admin/journal?du=2026-04-30&au=2026-04-01', { 'accept-language': 'en' });
    assert.equal(order.statusCode, 400);
    assert.ok(order.body.includes('<a href="#f-au">“To” must be the same day as “From” or later.</a>'));
    assert.ok(order.body.includes('<p class="result-count" role="status">No entry shown: correct the period (“From”, “To”).</p>'));
    const bad = await english.get('/admin/journal?du=31/01/2026', { 'accept-language': 'en' });
    assert.ok(bad.body.includes('<a href="#f-du">“31/01/2026” is not a date: pick a day.</a>'));
    const choices = (await english.get('/admin/journal', { 'accept-language': 'en' })).body;
    assert.match(choices, /<select id="f-action" name="action"><option value="" selected>All<\/option>/);
  });
});
