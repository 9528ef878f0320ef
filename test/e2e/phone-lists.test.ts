import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { seedDemo } from '../../src/setup/demo-seed.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const ADMIN = { email: 'admin@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Admin' };

/** Every back-office list, filled by the demo records: the lists a person opens on a phone. */
const ADMIN_LISTS = [
  '/admin',
  '/admin/organisations',
  '/admin/contacts',
  '/admin/comptes',
  '/admin/agenda',
  '/admin/actualites',
  '/admin/pages',
  '/admin/appels-a-projets',
  '/admin/ressources',
  '/admin/veille',
  '/admin/veille/sources',
  '/admin/veille/regles',
  '/admin/lettres',
  '/admin/lettres/listes',
  '/admin/lettres/abonnes',
  '/admin/moderation',
  '/admin/imports',
  '/admin/doublons',
  '/admin/fusions',
  '/admin/journal',
];

describeWithBrowser('back-office lists on a phone', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...ADMIN, role: 'admin' });
      await seedDemo(live.kernel);
    },
  });

  test('at 375 px no list scrolls sideways, neither the page nor a table inside its frame', async () => {
    const p = await e2e.freshPage(375);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    // The demo holds no watch rule: one is added through its form, so that the rules' list has a row.
    await e2e.visit(p, '/admin/veille/regles');
    await p.fill('#f-keyword', 'coopération décentralisée');
    await p.check('input[name=auto_keep]');
    await Promise.all([p.waitForURL(e2e.url('/admin/veille/regles')), p.click('main form button[type=submit]:has-text("Enregistrer la règle")')]);
    for (const list of ADMIN_LISTS) {
      await e2e.visit(p, list);
      await expectNoHorizontalScroll(p, 375);
      await expectNoScrollingTables(p);
      await expectNoAxeViolations(p);
    }
  });

  test('at 375 px a watch rule reads as a card: its keyword on top, its effect under its column’s name', async () => {
    const p = await e2e.freshPage(375);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    await e2e.visit(p, '/admin/veille/regles');
    const cards = await p.evaluate(() =>
      Array.from(document.querySelectorAll('main table tbody tr')).map((tr) => ({
        keyword: tr.querySelector('td')!.innerText,
        headersShown: document.querySelector('main table thead')!.getBoundingClientRect().height > 1,
        display: getComputedStyle(tr).display,
        effectLabel: getComputedStyle(tr.querySelector('td:nth-child(2)')!, '::before').content,
      })),
    );
    // A card is a grid whose labelled cells share its two columns (label, value).
    assert.deepEqual(cards, [{ keyword: 'coopération décentralisée', headersShown: false, display: 'grid', effectLabel: '"Effet"' }]);
  });
});
