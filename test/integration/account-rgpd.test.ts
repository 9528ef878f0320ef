import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { recordAudit } from '../../src/kernel/audit/index.js';
import { findUserByEmail, findUserById } from '../../src/kernel/auth/repo.js';
import type { PersonalDataSource } from '../../src/kernel/module.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

forEachDialect('RGPD rights of an account: access and erasure', (dialect) => {
  let t: TestApp;
  let people = 0;
  /** The addresses the test source below was asked to erase, call after call. */
  const erasedBySource: string[][] = [];

  before(async () => {
    t = await testApp(dialect);
    // A module's personal data of its own, so the test sees the account's document and erasure reach every module.
    const source: PersonalDataSource = {
      key: 'test_source',
      export: async (_kernel, emails) => ({ emails }),
      erase: async (_kernel, _actor, emails) => {
        erasedBySource.push([...emails]);
        return emails.length;
      },
    };
    t.kernel.personalData.push(source);
  });
  after(() => t.close());

  /** A signed-in account with a name of its own, so its traces can be looked for. */
  async function person(role: 'member' | 'staff' | 'admin' = 'member') {
    people++;
    const email = `Personne.${people}@Example.org`;
    const name = `Sidonie Vermeil ${people}`;
    const { id } = await createActiveUser(t.kernel, { email, role, password: TEST_PASSWORD, displayName: name });
    const client = t.client();
    const res = await client.post('/connexion', { email, password: TEST_PASSWORD });
    assert.equal(res.statusCode, 303, 'signed in');
    return { client, email, name, id };
  }

  async function canSignIn(email: string, password: string): Promise<boolean> {
    return (await t.client().post('/connexion', { email, password })).statusCode === 303;
  }

  /** Journal entries in which any of the texts appears, in any field (case-insensitive). */
  async function journalMentions(...texts: string[]): Promise<string[]> {
    const rows = await t.db.db.selectFrom('audit_log').selectAll().execute();
    const needles = texts.map((s) => s.toLowerCase());
    return rows
      .filter((r) => [r.actor_email, r.before, r.after].some((v) => v !== null && needles.some((n) => v.toLowerCase().includes(n))))
      .map((r) => r.action);
  }

  function journalOf(userId: string, action: string) {
    return t.db.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'user').where('entity_id', '=', userId).where('action', '=', action).execute();
  }

  test('the only active admin cannot erase their own account: told before typing a password, refused after, nothing changed', async () => {
    const admin = await person('admin');
    const page = await admin.client.get('/mon-espace/compte/supprimer');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Votre compte est le dernier compte administrateur actif/, 'the rule is told up front');
    assert.match(page.body, /href="\/admin\/comptes">la page « Comptes »<\/a>/, 'where to give the role to someone else');
    assert.doesNotMatch(page.body, /name="current_password"/, 'no password asked for nothing');
    assert.doesNotMatch(page.body, /action="\/mon-espace\/compte\/supprimer"/);
    const res = await admin.client.post('/mon-espace/compte/supprimer', { current_password: TEST_PASSWORD });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /dernier compte administrateur actif/);
    assert.doesNotMatch(res.body, /name="current_password"/);
    const user = await findUserById(t.db.db, admin.id);
    assert.equal(user?.email, admin.email);
    assert.equal(user?.status, 'active');
    assert.equal((await admin.client.get('/admin')).statusCode, 200, 'still signed in');
    assert.equal(await canSignIn(admin.email, TEST_PASSWORD), true);
    assert.deepEqual(erasedBySource, [], 'no module erased anything');
  });

  test('a member downloads their data: a JSON file with their account, journal and every module’s section', async () => {
    const member = await person();
    const page = await member.client.get('/mon-espace/compte');
    assert.match(page.body, /action="\/mon-espace\/compte\/donnees"/);
    assert.match(page.body, /Télécharger mes données/);
    const res = await member.client.post('/mon-espace/compte/donnees');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="[^"]+\.json"$/);
    const doc = JSON.parse(res.body) as {
      account: { id: string; email: string; display_name: string; role: string; status: string };
      journal: { as_actor: unknown[]; as_subject: { action: string }[] };
      sections: Record<string, unknown>;
    };
    assert.equal(doc.account.id, member.id);
    assert.equal(doc.account.email, member.email);
    assert.equal(doc.account.display_name, member.name);
    assert.equal(doc.account.role, 'member');
    assert.equal(doc.account.status, 'active');
    assert.ok(doc.journal.as_subject.some((e) => e.action === 'user.created'), 'the account’s own history');
    assert.deepEqual(doc.sections['test_source'], { emails: [member.email.toLowerCase()] });
    assert.equal((await journalOf(member.id, 'user.exported')).length, 1, 'the download is in the journal');
  });

  test('the access document names no one else: what an admin did to others comes without its content, who acted on an account is “staff”', async () => {
    const admin = await person('admin');
    const member = await person();
    // The admin acts on other people: invites someone, changes the member's role, merges two contact records.
    const invitee = { email: `Philomene.Tardieu.${people}@example.org`, name: 'Philomène Tardieu' };
    await admin.client.get('/admin/comptes/inviter');
    assert.equal((await admin.client.post('/admin/comptes/inviter', { email: invitee.email, display_name: invitee.name, role: 'member' })).statusCode, 303);
    assert.equal((await admin.client.post(`/admin/comptes/${member.id}/role`, { role: 'staff' })).statusCode, 303);
    const contactId = '01970000-0000-7000-8000-00000000c0de';
    const merged = { first_name: 'Ghislaine', last_name: 'Marchetti', emails: ['ghislaine.marchetti@example.org'] };
    await recordAudit(t.db.db, { id: admin.id, email: admin.email }, { action: 'contact.merged', entityType: 'contact', entityId: contactId, before: merged, after: merged });

    type Entry = { at: string; action: string; entity_type: string; entity_id: string | null; actor: string; before?: unknown; after?: unknown };
    type Doc = { journal: { as_actor: Entry[]; as_subject: Entry[] } };
    const adminRes = await admin.client.post('/mon-espace/compte/donnees');
    assert.equal(adminRes.statusCode, 200);
    const adminBody = adminRes.body.toLowerCase();
    for (const other of [invitee.email, invitee.name, member.email, member.name, 'ghislaine', 'marchetti']) {
      assert.ok(!adminBody.includes(other.toLowerCase()), `${other} is not in the admin’s document`);
    }
    const adminDoc = JSON.parse(adminRes.body) as Doc;
    const did = (action: string) => adminDoc.journal.as_actor.find((e) => e.action === action);
    // What they did is still told: when, what, on which record.
    assert.deepEqual(
      { type: did('contact.merged')?.entity_type, id: did('contact.merged')?.entity_id, actor: did('contact.merged')?.actor },
      { type: 'contact', id: contactId, actor: 'self' },
    );
    assert.equal(did('user.role_changed')?.entity_id, member.id);
    assert.ok(did('user.invited')?.at, 'the invitation is dated');
    for (const e of adminDoc.journal.as_actor) {
      if (e.entity_type === 'user' && e.entity_id === admin.id) continue;
      assert.ok(!('before' in e) && !('after' in e), `${e.action} comes without the other record’s snapshots`);
    }
    // Their own account's history keeps its content: it is their data.
    const created = adminDoc.journal.as_subject.find((e) => e.action === 'user.created');
    assert.equal((created?.after as { email?: string } | undefined)?.email?.toLowerCase(), admin.email.toLowerCase());

    const memberRes = await member.client.post('/mon-espace/compte/donnees');
    assert.equal(memberRes.statusCode, 200);
    assert.ok(!memberRes.body.toLowerCase().includes(admin.email.toLowerCase()), 'the member’s document does not name the admin');
    const memberDoc = JSON.parse(memberRes.body) as Doc;
    const roleChange = memberDoc.journal.as_subject.find((e) => e.action === 'user.role_changed');
    assert.deepEqual([roleChange?.actor, roleChange?.before, roleChange?.after], ['staff', { role: 'member' }, { role: 'staff' }]);
    const actors = new Set([...memberDoc.journal.as_subject, ...memberDoc.journal.as_actor].map((e) => e.actor));
    // The account made by the test set-up (no one signed in) was made by « system ».
    assert.deepEqual([...actors].filter((a) => a !== 'self' && a !== 'staff' && a !== 'system'), [], 'who acted is the person, the staff or the system, nothing else');
  });

  test('a wrong password refuses the erasure with a French error and changes nothing', async () => {
    const member = await person();
    const page = await member.client.get('/mon-espace/compte/supprimer');
    assert.equal(page.statusCode, 200);
    const res = await member.client.post('/mon-espace/compte/supprimer', { current_password: 'not my password at all' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Le mot de passe actuel est incorrect/);
    const user = await findUserById(t.db.db, member.id);
    assert.equal(user?.email, member.email);
    assert.equal(user?.display_name, member.name);
    assert.equal(user?.status, 'active');
    assert.equal((await member.client.get('/mon-espace')).statusCode, 200, 'still signed in');
    assert.equal(await canSignIn(member.email, TEST_PASSWORD), true);
    assert.deepEqual(erasedBySource, []);
  });

  test('the access document and the erasure reach what the account did under its earlier address, not an address another account took since', async () => {
    const member = await person();
    const changeEmail = async (email: string) => {
      const sent = t.smtp.messages.length;
      assert.equal((await member.client.post('/mon-espace/compte/email', { email, current_password: TEST_PASSWORD })).statusCode, 303);
      await t.smtp.waitFor(sent + 1);
      const link = new URL(t.smtp.linkIn(t.smtp.lastTo(email)!, /http:\/\/localhost:3000\/confirmer-email\/[A-Za-z0-9_-]+/)).pathname;
      assert.equal((await member.client.post(link)).statusCode, 200);
    };
    await member.client.get('/mon-espace/compte');
    const second = `deuxieme.${people}@example.org`;
    const third = `troisieme.${people}@example.org`;
    await changeEmail(second);
    await changeEmail(third);
    // The second address now belongs to someone else: what is under it is theirs.
    await createActiveUser(t.kernel, { email: second, role: 'member', password: TEST_PASSWORD, displayName: 'Autre personne' });

    const doc = JSON.parse((await member.client.post('/mon-espace/compte/donnees')).body) as { sections: Record<string, { emails: string[] }> };
    assert.deepEqual(doc.sections['test_source']?.emails, [third, member.email.toLowerCase()], 'the current address, then the first one; not the one taken since');

    assert.equal((await member.client.post('/mon-espace/compte/supprimer', { current_password: TEST_PASSWORD })).statusCode, 303);
    assert.deepEqual(erasedBySource.at(-1), [third, member.email.toLowerCase()]);
    assert.ok(await findUserByEmail(t.db.db, second), 'the other account is untouched');
  });

  test('a member erases their account: signed out, no sign-in any more, no trace of their address or name', async () => {
    const member = await person();
    // A history worth erasing: a password changed, then an address changed (the old one stays in the journal).
    const NEW_PASSWORD = 'trois pommes sur la table basse';
    await member.client.get('/mon-espace/compte');
    assert.equal((await member.client.post('/mon-espace/compte/mot-de-passe', { current_password: TEST_PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).statusCode, 303);
    const newEmail = `nouvelle.${people}@example.org`;
    const sent = t.smtp.messages.length;
    assert.equal((await member.client.post('/mon-espace/compte/email', { email: newEmail, current_password: NEW_PASSWORD })).statusCode, 303);
    await t.smtp.waitFor(sent + 1);
    const link = new URL(t.smtp.linkIn(t.smtp.lastTo(newEmail)!, /http:\/\/localhost:3000\/confirmer-email\/[A-Za-z0-9_-]+/)).pathname;
    assert.equal((await member.client.post(link)).statusCode, 200);
    assert.ok((await journalMentions(member.email)).length > 0, 'the journal knew the first address');

    const page = await member.client.get('/mon-espace/compte/supprimer');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ce qui sera effacé/);
    assert.match(page.body, /Ce qui reste/);
    assert.match(page.body, /fiche publique de votre structure/);
    assert.match(page.body, /écrivez à <a href="mailto:contact@example\.org">contact@example\.org<\/a> ;/, 'the network’s address can be written to');
    assert.match(page.body, /depuis <a href="\/mon-espace\/compte">la page « Mon compte »<\/a>\./);
    const res = await member.client.post('/mon-espace/compte/supprimer', { current_password: NEW_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    const home = await member.client.get('/');
    assert.match(home.body, /Votre compte a été supprimé et vous êtes déconnecté·e\./);
    const space = await member.client.get('/mon-espace');
    assert.equal(space.statusCode, 302, 'signed out');

    if (t.db.sqliteFile) {
      // Not even in the database's free pages or its write-ahead log, where a deleted row's bytes used to stay.
      for (const file of [t.db.sqliteFile, `${t.db.sqliteFile}-wal`].filter((f) => fs.existsSync(f))) {
        const bytes = fs.readFileSync(file);
        for (const old of [member.email, newEmail]) assert.ok(!bytes.includes(old), `${old} gone from ${path.basename(file)}`);
      }
    }
    assert.equal(await canSignIn(newEmail, NEW_PASSWORD), false);
    assert.equal(await canSignIn(member.email, NEW_PASSWORD), false);
    const limits = await t.db.db.selectFrom('login_attempts').select('key').execute();
    assert.ok(limits.length > 0 && !limits.some((l) => l.key.includes('@')), 'the sign-in limits, kept for these attempts too, hold no address');
    assert.equal(await findUserByEmail(t.db.db, newEmail), undefined);
    const user = await findUserById(t.db.db, member.id);
    assert.equal(user?.display_name, 'Compte effacé');
    assert.equal(user?.email, `efface-${member.id}@invalid`);
    assert.equal(user?.password_hash, null);
    assert.equal(user?.status, 'deactivated');
    const identity = [user?.email, user?.email_lower, user?.display_name].join(' ').toLowerCase();
    for (const old of [member.email, newEmail, member.name]) assert.ok(!identity.includes(old.toLowerCase()), `${old} gone from the account`);
    assert.deepEqual(await journalMentions(member.email, newEmail, member.name), [], 'the journal holds neither address nor the name');
    const sessions = await t.db.db.selectFrom('sessions').select('data').execute();
    assert.ok(!sessions.some((s) => s.data.includes(member.id)), 'no session of the account is left');
    assert.deepEqual(erasedBySource.at(-1), [newEmail.toLowerCase(), member.email.toLowerCase()], 'every module was asked to erase both addresses, the current one and the earlier one');
    const erased = await journalOf(member.id, 'user.erased');
    assert.equal(erased.length, 1);
    assert.equal(erased[0]?.actor_id, member.id);
    const noRegistrations = await t.db.db.selectFrom('audit_log').select('id').where('action', '=', 'registration.erased').execute();
    assert.deepEqual(noRegistrations, [], 'no « registrations anonymised » entry when there were none');
  });

  test('an admin downloads another account’s data and erases it from its page; it cannot come back', async () => {
    const admin = await person('admin');
    const member = await person();
    const detail = await admin.client.get(`/admin/comptes/${member.id}`);
    assert.match(detail.body, new RegExp(`action="/admin/comptes/${member.id}/donnees"`));
    assert.match(detail.body, new RegExp(`href="/admin/comptes/${member.id}/effacer"`));

    const download = await admin.client.post(`/admin/comptes/${member.id}/donnees`);
    assert.equal(download.statusCode, 200);
    assert.match(String(download.headers['content-disposition']), /^attachment;/);
    assert.equal((JSON.parse(download.body) as { account: { email: string } }).account.email, member.email);

    const confirm = await admin.client.get(`/admin/comptes/${member.id}/effacer`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Ce qui sera effacé/);
    assert.match(confirm.body, /Effacer définitivement ce compte/);
    const res = await admin.client.post(`/admin/comptes/${member.id}/effacer`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/comptes');
    assert.match((await admin.client.get('/admin/comptes')).body, /Le compte a été effacé/);
    assert.equal((await member.client.get('/mon-espace')).statusCode, 302, 'the person’s open session is over');
    assert.equal(await canSignIn(member.email, TEST_PASSWORD), false);
    assert.equal((await findUserById(t.db.db, member.id))?.display_name, 'Compte effacé');
    assert.deepEqual(await journalMentions(member.email, member.name), []);
    const erased = await journalOf(member.id, 'user.erased');
    assert.equal(erased[0]?.actor_id, admin.id);

    const after = await admin.client.get(`/admin/comptes/${member.id}`);
    assert.match(after.body, /Ce compte a été effacé/);
    assert.doesNotMatch(after.body, /\/reactiver"/, 'no reactivation offered');
    assert.equal((await admin.client.post(`/admin/comptes/${member.id}/reactiver`)).statusCode, 409);
    assert.equal((await findUserById(t.db.db, member.id))?.status, 'deactivated');

    // Their own account an admin erases from their member space, with their password: sent there.
    const own = await admin.client.get(`/admin/comptes/${admin.id}`);
    assert.match(own.body, /href="\/mon-espace\/compte\/supprimer">Supprimer mon compte<\/a>/);
    assert.doesNotMatch(own.body, new RegExp(`/admin/comptes/${admin.id}/effacer`));
    for (const method of ['get', 'post'] as const) {
      const res = await admin.client[method](`/admin/comptes/${admin.id}/effacer`);
      assert.equal(res.statusCode, 303, method);
      assert.equal(res.headers.location, '/mon-espace/compte/supprimer', method);
    }
    assert.equal((await findUserById(t.db.db, admin.id))?.status, 'active');
  });

  test('an erased account reads “Compte effacé” / “Erased account” and its status “Effacé” / “Erased”, without its placeholder address', async () => {
    const admin = await person('admin');
    const member = await person();
    await admin.client.get(`/admin/comptes/${member.id}/effacer`);
    assert.equal((await admin.client.post(`/admin/comptes/${member.id}/effacer`)).statusCode, 303);
    const rowOf = (body: string) => body.match(new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*?/admin/comptes/${member.id}"[\\s\\S]*?</tr>`))?.[0] ?? '';

    const list = await admin.client.get('/admin/comptes?status=deactivated');
    const row = rowOf(list.body);
    assert.match(row, />Compte effacé<\/a>/);
    assert.match(row, />Effacé<\/span>/);
    assert.doesNotMatch(row, /Désactivé/);
    assert.match(row, /<td data-label="[^"]+">—<\/td>/, 'no address shown');
    assert.doesNotMatch(list.body, /@invalid/);
    const page = await admin.client.get(`/admin/comptes/${member.id}`);
    assert.match(page.body, /<h1>Compte effacé<\/h1>/);
    assert.match(page.body, />Effacé<\/span>/);
    assert.doesNotMatch(page.body, /@invalid/);
    assert.doesNotMatch(page.body, /effacez-le/, 'nothing left to erase');
    assert.match(page.body, new RegExp(`action="/admin/comptes/${member.id}/donnees"`), 'what remains can still be downloaded');

    assert.equal((await admin.client.post('/langue', { lang: 'en', suite: '/admin/comptes' })).statusCode, 303);
    const english = rowOf((await admin.client.get('/admin/comptes?status=deactivated')).body);
    assert.match(english, />Erased account<\/a>/);
    assert.match(english, />Erased<\/span>/);
    assert.doesNotMatch(english, /Compte effacé|Deactivated/);
    const englishPage = await admin.client.get(`/admin/comptes/${member.id}`);
    assert.match(englishPage.body, /<h1>Erased account<\/h1>/);
    assert.doesNotMatch(englishPage.body, /Compte effacé|erase it at the person/);
    // The journal names it in the reader's language too.
    const journal = (await admin.client.get(`/admin/journal?entite=user&id=${member.id}`)).body;
    assert.match(journal, new RegExp(`<a href="/admin/comptes/${member.id}">Erased account</a>`));
    assert.doesNotMatch(journal, new RegExp(`<a href="/admin/comptes/${member.id}">Compte effacé</a>`));
  });

  test('staff and members reach neither the download nor the erasure of another account', async () => {
    const target = await person();
    const others: Client[] = [(await person('staff')).client, (await person()).client];
    for (const client of others) {
      await client.get('/mon-espace');
      assert.equal((await client.post(`/admin/comptes/${target.id}/donnees`)).statusCode, 403);
      assert.equal((await client.post(`/admin/comptes/${target.id}/effacer`)).statusCode, 403);
    }
    assert.equal((await findUserById(t.db.db, target.id))?.email, target.email);
    assert.equal(await canSignIn(target.email, TEST_PASSWORD), true);
  });
});
