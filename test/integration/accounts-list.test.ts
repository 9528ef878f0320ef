import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** Emails listed in the accounts table of a page. */
function listed(body: string): string[] {
  const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '';
  return [...table.matchAll(/<td[^>]*>\s*([^<\s]+@[^<\s]+)\s*<\/td>/g)].map((m) => m[1]!).sort();
}

forEachDialect('accounts list', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe.liste@example.org');
    for (const [email, displayName] of [
      ['jean_paul@example.org', 'Jean_Paul Sartre'],
      ['jeanxpaul@example.org', 'Jeanx Paul'],
      ['cent.pour.cent@example.org', 'Cent % Solidaire'],
      ['Marie.Curie@Example.org', 'Marie Curie'],
    ]) {
      await createActiveUser(t.kernel, { email: email!, displayName, role: 'member', password: TEST_PASSWORD });
    }
  });
  after(() => t.close());

  test('search finds part of a name or an email, whatever the case', async () => {
    assert.deepEqual(listed((await staff.get('/admin/comptes?q=CURIE')).body), ['Marie.Curie@Example.org']);
    assert.deepEqual(listed((await staff.get('/admin/comptes?q=paul')).body), ['jean_paul@example.org', 'jeanxpaul@example.org']);
  });

  test('"_" and "%" in a search are taken literally, not as wildcards', async () => {
    assert.deepEqual(listed((await staff.get(`/admin/comptes?q=${encodeURIComponent('jean_')}`)).body), ['jean_paul@example.org']);
    assert.deepEqual(listed((await staff.get(`/admin/comptes?q=${encodeURIComponent('cent %')}`)).body), ['cent.pour.cent@example.org']);
  });

  test('the list filters by role', async () => {
    assert.deepEqual(listed((await staff.get('/admin/comptes?role=staff')).body), ['equipe.liste@example.org']);
  });

  test('an account’s page lists the organisations it speaks for, linked to their back-office pages', async () => {
    const created = await staff.post('/admin/organisations/nouvelle', { name: 'Comité de jumelage Tulle–Dédougou', kind_code: 'association', commune: '19272', postcode: '19000', visibility: 'public' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const org = await t.kernel.db.selectFrom('organisations').select('id').where('name', '=', 'Comité de jumelage Tulle–Dédougou').executeTakeFirstOrThrow();
    const member = await t.kernel.db.selectFrom('users').select('id').where('email_lower', '=', 'marie.curie@example.org').executeTakeFirstOrThrow();
    const without = (await staff.get(`/admin/comptes/${member.id}`)).body;
    assert.match(without, /<dt>Structures<\/dt>\s*<dd>—<\/dd>/);
    await t.kernel.db.insertInto('user_organisations').values({ user_id: member.id, organisation_id: org.id, created_at: new Date().toISOString() }).execute();
    const page = (await staff.get(`/admin/comptes/${member.id}`)).body;
    assert.match(page, new RegExp(`<a href="/admin/organisations/${org.id}">Comité de jumelage Tulle–Dédougou</a>`));
  });
});
