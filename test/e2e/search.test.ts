import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEvent } from '../../src/modules/agenda/test-fixtures.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

function inDays(days: number, hour: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}

describeWithBrowser('the site-wide search in a real browser', () => {
  const s = useLiveBrowser({
    async seed(live) {
      const db = live.kernel.db;
      const valid = validateOrganisation({ name: 'Solidarité Eau Sénégal', kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(db)), { currentYear: 2026 });
      if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
      await createOrganisation({ db, clock: live.kernel.clock }, { id: null, email: null }, valid.draft);
      await addEvent(db, { title: 'Rencontre eau et assainissement', starts_at: inDays(6, 8), ends_at: inDays(6, 11) });
    },
  });

  test('a visitor searches from the header by keyboard, sees every section, then narrows to one', async () => {
    const p = await s.freshPage();
    await s.visit(p, '/');
    await p.focus('#header-search-q');
    await p.keyboard.type('senegal');
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/recherche\?q=senegal/);
    assert.deepEqual(await p.locator('.search-hit h3 a').allTextContents(), ['Solidarité Eau Sénégal']);
    await expectNoAxeViolations(p);

    await p.fill('#recherche-q', 'eau');
    await p.keyboard.press('Enter');
    await p.waitForURL(/q=eau/);
    assert.deepEqual(await p.locator('.search-hit h3 a').allTextContents(), ['Solidarité Eau Sénégal', 'Rencontre eau et assainissement']);
    await p.getByRole('link', { name: 'Agenda (1)' }).click();
    await p.waitForURL(/rubrique=agenda/);
    assert.deepEqual(await p.locator('.search-hit h3 a').allTextContents(), ['Rencontre eau et assainissement']);
    assert.equal(await p.getByRole('link', { name: 'Agenda (1)' }).getAttribute('aria-current'), 'page');
    await expectNoAxeViolations(p);
  });

  test('on a 360 px phone the seven section tabs sit two a line, each a 40 px target, all in view', async () => {
    const p = await s.freshPage(360);
    await s.visit(p, '/recherche?q=eau');
    const tabs = await p.locator('.tab-nav a').evaluateAll((links) => links.map((a) => a.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), height: r.height, right: r.right })));
    assert.equal(tabs.length, 7);
    const lines = new Set(tabs.map((t) => t.top));
    assert.equal(lines.size, 4, 'seven tabs on four lines');
    for (const t of tabs) {
      assert.ok(t.height >= 40, `a tab ${t.height} px tall`);
      assert.ok(t.right <= 360, 'no tab off-screen');
    }
    await expectNoAxeViolations(p);
  });
});
