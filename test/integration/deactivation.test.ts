import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

forEachDialect('deactivation and reactivation', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let people = 0;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function account(role: 'member' | 'staff' | 'admin') {
    people++;
    const email = `compte${people}@example.org`;
    const client = await t.loginAs(role, email);
    const user = await findUserByEmail(t.db.db, email);
    assert.ok(user);
    return { client, email, id: user.id };
  }

  async function act(by: Client, id: string, action: 'desactiver' | 'reactiver') {
    await by.get(`/admin/comptes/${id}`);
    return by.post(`/admin/comptes/${id}/${action}`);
  }

  test('staff deactivate a member: the open session ends at its next request and sign-in fails', async () => {
    const member = await account('member');
    assert.equal((await member.client.get('/mon-espace')).statusCode, 200);
    const res = await act(staff, member.id, 'desactiver');
    assert.equal(res.statusCode, 303);
    assert.equal((await findUserByEmail(t.db.db, member.email))?.status, 'deactivated');
    const next = await member.client.get('/mon-espace');
    assert.equal(next.statusCode, 302);
    assert.match(String(next.headers.location), /^\/connexion/);
    const signIn = await t.client().post('/connexion', { email: member.email, password: TEST_PASSWORD });
    assert.equal(signIn.statusCode, 401);
    assert.match(signIn.body, /Adresse email ou mot de passe incorrect/);
  });

  test('staff cannot deactivate a staff or an admin account (403)', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const target = await account(role);
      const res = await act(staff, target.id, 'desactiver');
      assert.equal(res.statusCode, 403, role);
      assert.match(res.body, /Accès refusé/);
      assert.equal((await findUserByEmail(t.db.db, target.email))?.status, 'active');
      assert.equal((await target.client.get('/admin')).statusCode, 200, 'their session is untouched');
    }
  });

  test('nobody can deactivate their own account, not even an admin', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const self = await account(role);
      const res = await act(self.client, self.id, 'desactiver');
      assert.equal(res.statusCode, 403, role);
      assert.equal((await findUserByEmail(t.db.db, self.email))?.status, 'active');
    }
  });

  test('an admin deactivates a staff account', async () => {
    const admin = await account('admin');
    const target = await account('staff');
    assert.equal((await act(admin.client, target.id, 'desactiver')).statusCode, 303);
    assert.equal((await target.client.get('/admin')).statusCode, 302);
  });

  test('a member cannot reach the deactivation of another member (403)', async () => {
    const member = await account('member');
    const other = await account('member');
    const res = await member.client.post(`/admin/comptes/${other.id}/desactiver`);
    assert.equal(res.statusCode, 403);
    assert.equal((await findUserByEmail(t.db.db, other.email))?.status, 'active');
  });

  test('reactivating a member restores sign-in', async () => {
    const member = await account('member');
    assert.equal((await act(staff, member.id, 'desactiver')).statusCode, 303);
    assert.equal((await t.client().post('/connexion', { email: member.email, password: TEST_PASSWORD })).statusCode, 401);
    assert.equal((await act(staff, member.id, 'reactiver')).statusCode, 303);
    assert.equal((await findUserByEmail(t.db.db, member.email))?.status, 'active');
    const signIn = await t.client().post('/connexion', { email: member.email, password: TEST_PASSWORD });
    assert.equal(signIn.statusCode, 303);
  });
});
