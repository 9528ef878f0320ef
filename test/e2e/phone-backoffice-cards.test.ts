import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { seedWorld, type World } from '../../src/modules/merge/test-world.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'cartes.telephone@example.org', password: 'Lac de Vassivière 2026 !', displayName: 'Jo Équipe' };
const PHONE = 360;

/**
 * The words of the cards' labels (a cell's `data-label`, drawn by ::before) wider than the label's
 * column: those a browser would cut mid-word. Measured in the label's own font; the column runs from
 * the cell's left edge to where its value starts.
 */
async function cutLabelWords(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const canvas = document.createElement('canvas').getContext('2d')!;
    const cut: string[] = [];
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>('main table.table-stack tbody td[data-label]'))) {
      const before = getComputedStyle(cell, '::before');
      canvas.font = `${before.fontWeight} ${before.fontSize} ${before.fontFamily}`;
      const content = document.createRange();
      content.selectNodeContents(cell);
      const valueLeft = Math.min(...Array.from(content.getClientRects()).map((r) => r.left));
      const column = valueLeft - cell.getBoundingClientRect().left - parseFloat(getComputedStyle(cell).columnGap);
      for (const word of (cell.dataset.label ?? '').split(/\s+/)) {
        if (canvas.measureText(word).width > column + 0.5) cut.push(`${word} (${canvas.measureText(word).width.toFixed(1)} > ${column.toFixed(1)} px)`);
      }
    }
    return cut;
  });
}

/** Heights of the header's links and buttons (the account's, the language switch). */
async function headerTargets(p: Page): Promise<Record<string, number>> {
  return p.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll<HTMLElement>('.site-header .account-links a, .site-header .account-links button')).map((e) => [e.innerText.trim(), Math.round(e.getBoundingClientRect().height)])),
  );
}

describeWithBrowser('the back office read on a phone (360 px)', () => {
  let w: World;
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      await addOrganisation(live.kernel, { name: 'Adour Développement', kind_code: 'company', commune: '40192' });
      await addOrganisation(live.kernel, { name: 'Mairie de Pessac', kind_code: 'local_authority', commune: '33318', visibility: 'staff' });
      w = await seedWorld(live.kernel, 'Carte');
    },
  });

  test('the organisations’ cards: labels wrap between words, never inside one', async () => {
    const p = await e2e.freshPage(PHONE);
    await e2e.signIn(p, STAFF.email, STAFF.password);
    await e2e.visit(p, '/admin/organisations');
    assert.ok(await p.locator('main table.table-stack tbody td[data-label="Département"]').count() > 0);
    assert.deepEqual(await cutLabelWords(p), [], 'no label word is cut');
    // A long value may still break anywhere: the card never scrolls sideways.
    await expectNoHorizontalScroll(p, PHONE);
    await expectNoScrollingTables(p);
    // Labels and values line up from one line of a card to the next.
    const lefts = await p.evaluate(() => {
      const card = document.querySelector('main table.table-stack tbody tr')!;
      return Array.from(card.querySelectorAll('td[data-label]')).map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return Math.round(Math.min(...Array.from(range.getClientRects()).map((r) => r.left)));
      });
    });
    assert.equal(new Set(lefts).size, 1, `the values of a card start at the same place: ${lefts.join(', ')}`);
    await expectNoAxeViolations(p);
  });

  test('a pair of duplicates: the united lists and the contacts read as cards, A, B and after the merge in view', async () => {
    const p = await e2e.freshPage(PHONE);
    await e2e.signIn(p, STAFF.email, STAFF.password);
    await e2e.visit(p, `/admin/doublons/${w.candidate}`);
    await expectNoHorizontalScroll(p, PHONE);
    await expectNoScrollingTables(p);
    const lists = await p.evaluate((width) => {
      const table = document.querySelector('main .merge-lists')!;
      const card = table.querySelector('tbody tr')!;
      return {
        head: (card.querySelector('th[scope=row]') as HTMLElement).innerText,
        labels: Array.from(card.querySelectorAll('td')).map((td) => getComputedStyle(td, '::before').content),
        inView: Array.from(table.querySelectorAll('td')).every((td) => td.getBoundingClientRect().right <= width && td.getBoundingClientRect().width > 100),
      };
    }, PHONE);
    assert.deepEqual(lists, { head: 'Thématiques', labels: ['"Fiche A"', '"Fiche B"', '"Après la fusion"'], inView: true });
    const contacts = await p.evaluate(() => Array.from(document.querySelectorAll('main .merge-contacts tbody tr:first-child td[data-label]')).map((td) => getComputedStyle(td, '::before').content));
    assert.deepEqual(contacts, ['"Fiche"', '"Après la fusion"']);
    assert.deepEqual(await cutLabelWords(p), []);
    await expectNoAxeViolations(p);
  });

  test('the header’s links and buttons: 44 px tall on a phone, at least 24 px and no more than 30 on a computer', async () => {
    const p = await e2e.freshPage(PHONE);
    await e2e.visit(p, '/');
    assert.deepEqual(await headerTargets(p), { 'Se connecter': 44, English: 44 });
    await e2e.signIn(p, STAFF.email, STAFF.password);
    await e2e.visit(p, '/admin');
    assert.deepEqual(await headerTargets(p), { Administration: 44, 'Mon espace': 44, 'Se déconnecter': 44, English: 44 });
    await expectNoAxeViolations(p);

    await p.setViewportSize({ width: 1280, height: 800 });
    for (const [name, height] of Object.entries(await headerTargets(p))) assert.ok(height >= 24 && height <= 30, `${name}: ${height} px on a computer`);
  });
});
