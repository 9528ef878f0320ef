import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { propose } from '../../src/modules/moderation/index.js';
import { seedDemo } from '../../src/setup/demo-seed.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { seedWatchItems } from '../helpers/watch-items.js';

// Spots a browser walkthrough of the demo found broken, at a phone's width and a desktop's.
const ADMIN = { email: 'admin@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Admin' };
const ITEM_ID = '01900000-0000-7000-8000-0000000000c1';
const KEPT = [
  [ITEM_ID, 'Appel à projets « Jeunesse IV »', '2026-11-20T10:00:00.000Z'],
  ['01900000-0000-7000-8000-0000000000c2', 'Télé-déclaration de l’APD 2026', '2026-11-19T10:00:00.000Z'],
] as const;

interface CheckRow {
  label: string;
  box: number;
  beside: boolean;
  brokenWord: boolean;
}

/** Each box of the page's checkbox groups: its width, whether its text starts beside it, and whether a word of that text is cut. */
async function checkRows(p: Page): Promise<CheckRow[]> {
  return p.evaluate(() =>
    Array.from(document.querySelectorAll('main fieldset.checkbox-group label.checkbox')).map((label) => {
      const box = label.querySelector('input')!.getBoundingClientRect();
      const text = label.querySelector('span')!;
      // A word is cut when it starts on one line and ends on the next (hyphens may break a line).
      const whole = text.textContent ?? '';
      const cut = whole.split(/[\s\-\u2011]+/).some((word) => {
        if (!word) return false;
        const range = document.createRange();
        const start = whole.indexOf(word);
        range.setStart(text.firstChild!, start);
        range.setEnd(text.firstChild!, start + word.length);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1;
      });
      return {
        label: whole,
        box: box.width,
        beside: text.getBoundingClientRect().left >= box.right && Math.abs(text.getBoundingClientRect().top - box.top) < box.height,
        brokenWord: cut,
      };
    }),
  );
}

describeWithBrowser('page layout at 375 and 1280 px', () => {
  let proposalId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...ADMIN, role: 'admin' });
      await seedDemo(live.kernel);
      await seedWatchItems(live.kernel.db, KEPT, 'kept');
      // A visitor's proposal of a new directory record, one of its values a long web address.
      const proposed = await propose(live.kernel, {
        type: 'organisation',
        entityId: null,
        payload: {
          name: 'Jardins du Monde Landes',
          kind_code: 'association',
          commune: 'Mont-de-Marsan',
          description: 'Une présentation qui raconte vingt ans de projets menés avec des partenaires au Sénégal et au Mali.',
          website: 'https://www.une-adresse-de-site-particulierement-longue.example.org/chemin/vers/la/page',
        },
        proposer: { userId: null, name: 'Léa Martin', email: 'lea.martin@example.org' },
      });
      assert.ok(proposed.ok);
      proposalId = proposed.id;
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('checkboxes in forms are boxes with their label beside them, no word cut, on a phone and a desktop', async () => {
    for (const width of [375, 1280]) {
      const p = await freshPage(width);
      await signIn(p, ADMIN.email, ADMIN.password);
      for (const path of ['/admin/appels-a-projets/nouveau', '/admin/veille/sources', `/admin/veille/elements/${ITEM_ID}`]) {
        await visit(p, path);
        const rows = await checkRows(p);
        assert.ok(rows.length >= 18, `${path}: the themes at least (${rows.length})`);
        for (const row of rows) {
          assert.ok(row.box <= 24, `${path} at ${width} px: « ${row.label} » has a box ${row.box} px wide`);
          assert.ok(row.beside, `${path} at ${width} px: « ${row.label} » starts beside its box`);
          assert.equal(row.brokenWord, false, `${path} at ${width} px: a word of « ${row.label} » is cut`);
        }
        await expectNoHorizontalScroll(p, width);
        await expectNoAxeViolations(p);
      }
    }
  });

  test('the dashboard’s latest changes keep each address on one line', async () => {
    for (const width of [1280, 375]) {
      const p = await freshPage(width);
      await signIn(p, ADMIN.email, ADMIN.password);
      await visit(p, '/admin');
      const who = await p.evaluate(() =>
        Array.from(document.querySelectorAll('main .recent-changes .timeline-who')).map((el) => ({
          text: el.textContent ?? '',
          lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
        })),
      );
      assert.ok(who.length >= 5, `the demo's changes are listed (${who.length})`);
      for (const w of who) assert.equal(w.lines, 1, `at ${width} px « ${w.text} » takes ${w.lines} lines`);
      await expectNoHorizontalScroll(p, width);
      await expectNoAxeViolations(p);
    }
  });

  test('a proposal’s before/after table is a card per field on a phone; a table that scrolls can be scrolled from the keyboard', async () => {
    const p = await freshPage(375);
    await signIn(p, ADMIN.email, ADMIN.password);
    await visit(p, `/admin/moderation/${proposalId}`);
    await expectNoHorizontalScroll(p, 375);
    await expectNoScrollingTables(p);
    // « Proposé » shows within the screen, named, under « Avant ».
    const cells = await p.evaluate(() =>
      Array.from(document.querySelectorAll('main table.mod-diff td.mod-after')).map((td) => ({
        label: getComputedStyle(td, '::before').content,
        right: td.getBoundingClientRect().right,
        under: td.getBoundingClientRect().top >= td.parentElement!.querySelector('td.mod-before')!.getBoundingClientRect().bottom - 1,
      })),
    );
    assert.ok(cells.length >= 4, `one card per proposed field (${cells.length})`);
    for (const cell of cells) assert.deepEqual(cell, { label: '"Proposé"', right: cell.right, under: true });
    assert.ok(Math.max(...cells.map((c) => c.right)) <= 375, 'within the screen');
    await expectNoAxeViolations(p);

    // The sources' table: a card per source on a phone, and it fits a desktop.
    await visit(p, '/admin/veille/sources');
    await expectNoScrollingTables(p);
    await expectNoAxeViolations(p);
    await p.setViewportSize({ width: 1280, height: 800 });
    await visit(p, '/admin/veille/sources');
    await expectNoScrollingTables(p);

    // A table that fits leaves the tab order; once wider than its frame (a long value), the frame,
    // named by the table's caption, takes the focus and the arrow keys scroll it.
    await visit(p, '/admin/moderation');
    const frame = () =>
      p.evaluate(() => {
        const wrap = document.querySelector('main .table-wrap')!;
        return { tabindex: wrap.getAttribute('tabindex'), role: wrap.getAttribute('role'), name: wrap.getAttribute('aria-label'), caption: wrap.querySelector('caption')!.textContent };
      });
    const fitting = await frame();
    assert.deepEqual(fitting, { tabindex: null, role: 'group', name: fitting.caption, caption: fitting.caption });
    await p.evaluate(() => {
      document.querySelector<HTMLElement>('main .table-wrap table')!.style.minWidth = '2400px';
    });
    await p.waitForFunction(() => document.querySelector('main .table-wrap')!.getAttribute('tabindex') === '0');
    await expectNoAxeViolations(p);
    await p.focus('main .table-wrap');
    await p.keyboard.press('ArrowRight');
    await p.waitForFunction(() => document.querySelector('main .table-wrap')!.scrollLeft > 0);
    await p.evaluate(() => {
      document.querySelector<HTMLElement>('main .table-wrap table')!.style.minWidth = '';
      (document.activeElement as HTMLElement).blur();
    });
    await p.waitForFunction(() => !document.querySelector('main .table-wrap')!.hasAttribute('tabindex'));
  });

  test('buttons and counts keep their distance: the watch item’s promotions, the public watch’s count', async () => {
    const p = await freshPage(1280);
    await signIn(p, ADMIN.email, ADMIN.password);
    await visit(p, `/admin/veille/elements/${ITEM_ID}`);
    const buttons = await p.locator('main section[aria-labelledby="promote-title"] button').evaluateAll((list) => list.map((b) => b.getBoundingClientRect().toJSON() as DOMRect));
    assert.equal(buttons.length, 2, 'a call for projects and a news item');
    const [a, b] = buttons as [DOMRect, DOMRect];
    const gap = Math.abs(a.top - b.top) < 2 ? b.left - a.right : b.top - a.bottom;
    assert.ok(gap >= 8, `the two buttons are ${gap} px apart`);

    const phone = await freshPage(375);
    await visit(phone, '/veille');
    const space = await phone.evaluate(() => {
      // The filters fold behind « Filtres » on a phone: the count keeps its distance from that block.
      const form = document.querySelector('main details.filter-disclosure')!.getBoundingClientRect();
      const count = document.querySelector('main .result-count')!.getBoundingClientRect();
      return count.top - form.bottom;
    });
    assert.ok(space >= 12, `the count sits ${space} px under the filters`);
    assert.match(await phone.locator('main .result-count').innerText(), /^2 informations$/);
    await expectNoHorizontalScroll(phone, 375);
    await expectNoAxeViolations(phone);
  });
});
