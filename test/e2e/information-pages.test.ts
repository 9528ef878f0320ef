import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const ADMIN = { email: 'dominique.admin@example.org', password: 'Pages du réseau à vérifier 2026 !', displayName: 'Dominique Admin' };

// Pages of the information and newsletter capabilities that no journey goes through: each opens
// with its title and passes axe-core, for an administrator (who sees every page) and a visitor.
const ADMIN_PAGES: Array<[string, RegExp]> = [
  ['/admin/appels-a-projets', /Appels à projets/],
  ['/admin/appels-a-projets/nouveau', /appel à projets/i],
  ['/admin/ressources', /Ressources/],
  ['/admin/ressources/nouvelle', /ressource/i],
  ['/admin/actualites/mastodon', /Mastodon/],
  ['/admin/lettres/listes', /[Ll]istes/],
  ['/admin/lettres/abonnes', /[Aa]bonné/],
  ['/admin/lettres/import', /[Ii]mport/],
  ['/admin/lettres/reglages', /[Rr]églages/],
  ['/admin/lettres/alertes', /[Aa]lertes/],
  ['/admin/lettres/bulletin-mensuel', /bulletin/i],
  // With the warning that the built-in legal notice still has gaps to fill.
  ['/admin/pages', /Pages/],
  ['/admin/pages/nouveau?legal=mentions-legales', /[Mm]entions légales|page légale/],
];
const PUBLIC_PAGES: Array<[string, RegExp]> = [
  ['/appels-a-projets/archives', /Appels à projets/],
  ['/ressources', /Ressources/],
  ['/actualites', /Actualités/],
  ['/mentions-legales', /Mentions légales/],
  ['/donnees-personnelles', /Données personnelles/],
];

describeWithBrowser('information and newsletter pages no journey visits', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...ADMIN, role: 'admin' });
    },
  });

  test('back-office pages open and pass axe-core', async () => {
    const p = await e2e.freshPage();
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    for (const [path, title] of ADMIN_PAGES) {
      await e2e.visit(p, path);
      assert.match(await p.locator('h1').first().innerText(), title, path);
      await expectNoAxeViolations(p);
    }
    await e2e.visit(p, '/admin/pages');
    assert.equal(await p.getByRole('link', { name: 'Compléter les mentions légales' }).isVisible(), true);
  });

  test('public pages open and pass axe-core, the footer offers the newsletter', async () => {
    const p = await e2e.freshPage();
    for (const [path, title] of PUBLIC_PAGES) {
      await e2e.visit(p, path);
      assert.match(await p.locator('h1').first().innerText(), title, path);
      assert.equal(await p.locator('footer #nl-footer-email').count(), 1, `${path}: the footer's subscribe form`);
      await expectNoAxeViolations(p);
    }
  });
});
