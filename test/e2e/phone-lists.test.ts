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
    for (const list of ADMIN_LISTS) {
      await e2e.visit(p, list);
      await expectNoHorizontalScroll(p, 375);
      await expectNoScrollingTables(p);
      await expectNoAxeViolations(p);
    }
  });
});
