import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation } from '../../../test/helpers/duplicate-warning.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { linkUserToOrganisation } from '../organisations/index.js';

/** The lines of the « Comptes membres » section of an organisation's page, as read (tags dropped). */
function accountLines(html: string): string[] {
  const section = /id="comptes"[\s\S]*?<ul class="bo-list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
}

forEachDialect('back office: an erased account on its organisation’s page', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let orgId: string;

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin', 'admin.reseau@example.org');
    orgId = (await seedOrganisation(t.kernel, { name: 'Greniers villageois Charente', kind_code: 'association', commune: 'Angoulême', postcode: '16000', visibility: 'public' })).id;
  });
  after(() => t.close());

  test('reads « Compte effacé · Membre · Effacé », without its placeholder address, as on the accounts page; the other accounts keep theirs', async () => {
    await t.loginAs('member', 'marie.membre@example.org');
    await t.loginAs('member', 'paul.parti@example.org');
    const marie = (await findUserByEmail(t.kernel.db, 'marie.membre@example.org'))!;
    const paul = (await findUserByEmail(t.kernel.db, 'paul.parti@example.org'))!;
    const now = new Date().toISOString();
    await linkUserToOrganisation(t.kernel.db, marie.id, orgId, now);
    await linkUserToOrganisation(t.kernel.db, paul.id, orgId, now);

    await admin.get(`/admin/comptes/${paul.id}/effacer`);
    assert.equal((await admin.post(`/admin/comptes/${paul.id}/effacer`)).statusCode, 303);

    const page = await admin.get(`/admin/organisations/${orgId}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(accountLines(page.body), ['Compte effacé · Membre · Effacé', `${marie.display_name} · marie.membre@example.org · Membre · Actif`]);
    assert.doesNotMatch(page.body, /efface-[0-9a-f-]+@invalid/);
    assert.match(page.body, new RegExp(`<a href="/admin/comptes/${paul.id}">Compte effacé</a>`), 'the account’s page is one click away');

    // In English too, through the catalogue.
    const english = await admin.get(`/admin/organisations/${orgId}`, { 'accept-language': 'en' });
    assert.deepEqual(accountLines(english.body), ['Erased account · Member · Erased', `${marie.display_name} · marie.membre@example.org · Member · Active`]);
  });
});
