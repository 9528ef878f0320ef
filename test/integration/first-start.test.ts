import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { firstStart } from '../../src/setup/first-start.js';
import { TEST_PASSWORD, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

forEachDialect('first start', (dialect) => {
  async function people(db: Awaited<ReturnType<typeof testApp>>['db']) {
    return db.db.selectFrom('users').select(['email', 'role', 'source']).orderBy('email').execute();
  }

  test('the first start creates one admin whose generated password signs in, and demo accounts', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const result = await firstStart(app.kernel);
    assert.ok(result.admin);
    assert.equal(result.admin.email, 'admin@example.org');
    assert.equal(result.demoSeeded, true);
    const users = await people(app.db);
    assert.deepEqual(users.filter((u) => u.role === 'admin').map((u) => u.email), ['admin@example.org']);
    assert.ok(users.some((u) => u.source === 'demo'));
    const signIn = await app.client().post('/connexion', { email: 'admin@example.org', password: result.admin.password });
    assert.equal(signIn.statusCode, 303);
    assert.equal(signIn.headers.location, '/admin');
  });

  test('a second start creates nothing and shows no password', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    await firstStart(app.kernel);
    const before = await people(app.db);
    const again = await firstStart(app.kernel);
    assert.deepEqual(again, { admin: null, demoSeeded: false });
    assert.deepEqual(await people(app.db), before);
  });

  test('in production the first start creates the admin but no demo data', async (t) => {
    const app = await testApp(dialect, { env: { NODE_ENV: 'production' } });
    t.after(() => app.close());
    const result = await firstStart(app.kernel);
    assert.ok(result.admin);
    assert.equal(result.demoSeeded, false);
    assert.deepEqual(await people(app.db), [{ email: 'admin@example.org', role: 'admin', source: 'setup' }]);
  });

  test('a first start after `user:create` made an admin keeps that admin and creates no other', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    await createActiveUser(app.kernel, { email: 'admin@example.org', role: 'admin', password: TEST_PASSWORD });
    const result = await firstStart(app.kernel);
    assert.deepEqual(result, { admin: null, demoSeeded: false });
    assert.deepEqual(await people(app.db), [{ email: 'admin@example.org', role: 'admin', source: 'cli' }]);
    assert.equal((await app.client().post('/connexion', { email: 'admin@example.org', password: TEST_PASSWORD })).statusCode, 303);
  });
});
