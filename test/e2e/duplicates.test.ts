import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addCandidate, addOrganisation, seedWorld, type World } from '../../src/modules/merge/test-world.js';
import { findOrganisationById } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.doublons@example.org', password: 'Estuaire de la Gironde 2026!', displayName: 'Camille Équipe' };

describeWithBrowser('duplicates: review, merge and undo in a real browser', () => {
  let w: World;
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      // Candidate pairs stored directly, as the scan would store them.
      w = await seedWorld(live.kernel, 'Parcours');
      // Pairs enough, with low scores, for a second page of the queue.
      const base = await addOrganisation(live.kernel, { name: 'Association des ressortissants maliens de Saint-Médard-en-Jalles', commune: '33449' });
      for (let i = 0; i < 26; i++) {
        const other = await addOrganisation(live.kernel, { name: `Assoc. ressortissants maliens St-Médard ${i}`, commune: '33449' });
        await addCandidate(live.kernel, base.id, other.id, 'pending', 0.3 - i / 1000);
      }
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff open the queue, merge a pair with one field changed, see the public page, then undo', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin');
    assert.match(await p.locator('main').innerText(), /Doublons à examiner/);

    await visit(p, '/admin/doublons');
    const queue = await p.locator('main').innerText();
    assert.match(queue, /Eau Vive Gironde Parcours/);
    assert.match(queue, /même téléphone/);
    await expectNoAxeViolations(p);

    await Promise.all([p.waitForURL(e2e.url(`/admin/doublons/${w.candidate}`)), p.click(`main a[href="/admin/doublons/${w.candidate}"]`)]);
    await expectNoAxeViolations(p);
    const absorbedSide = w.absorbed.id < w.survivor.id ? 'a' : 'b';
    const survivorSide = absorbedSide === 'a' ? 'b' : 'a';
    assert.ok(await p.isChecked(`#f-conserver-${survivorSide}`), 'the record created first is kept by default');
    // Both names are filled: the more recent record's is preselected; staff keep the other one.
    assert.ok(await p.isChecked(`#f-champ_name-${absorbedSide}`));
    await p.check(`#f-champ_name-${survivorSide}`);
    await Promise.all([p.waitForURL(/\/admin\/fusions\/[0-9a-f-]{36}$/), p.click('main form.merge-form button[type=submit]')]);
    const mergeUrl = p.url();
    assert.match(await p.locator('main').innerText(), /Fusion effectuée/);
    await expectNoAxeViolations(p);

    const survivor = (await findOrganisationById(e2e.live.kernel.db, w.survivor.id))!;
    assert.equal(survivor.name, w.survivor.name, 'the name chosen in the form');
    assert.equal(survivor.website, w.absorbed.website, 'a default left alone');
    await Promise.all([p.waitForURL(e2e.url(`/acteurs/${survivor.slug}`)), p.click('main a:text("Voir la fiche publique")')]);
    const publicPage = await p.locator('main').innerText();
    assert.match(publicPage, new RegExp(w.survivor.name));
    assert.match(publicPage, /Mali/, 'the united countries');
    await expectNoAxeViolations(p);
    await p.goto(e2e.url(`/acteurs/${w.absorbed.slug}`));
    assert.equal(p.url(), e2e.url(`/acteurs/${survivor.slug}`), 'the absorbed record’s address leads here');

    await visit(p, '/admin/fusions');
    assert.match(await p.locator('main').innerText(), /en vigueur/);
    await expectNoAxeViolations(p);

    await p.goto(mergeUrl);
    await Promise.all([p.waitForURL(e2e.url(`/admin/doublons/${w.candidate}`)), p.click('main button:text("Annuler la fusion")')]);
    assert.match(await p.locator('main').innerText(), /Fusion annulée/);
    await expectNoAxeViolations(p);
    assert.equal((await findOrganisationById(e2e.live.kernel.db, w.absorbed.id))?.name, w.absorbed.name, 'both records are back');
    assert.equal((await findOrganisationById(e2e.live.kernel.db, w.survivor.id))?.name, w.survivor.name);
  });

  test('"not a duplicate", and the comparison page at 320 px', async () => {
    const p = await freshPage(320);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/doublons');
    await expectNoHorizontalScroll(p, 320);
    await visit(p, `/admin/doublons/${w.candidate}`);
    await expectNoAxeViolations(p);
    await expectNoHorizontalScroll(p, 320);
    await Promise.all([p.waitForURL(e2e.url('/admin/doublons')), p.click('main button:text("Pas un doublon")')]);
    assert.match(await p.locator('main').innerText(), /Paire écartée/);
    await expectNoAxeViolations(p);
    await visit(p, '/admin/doublons?statut=dismissed');
    assert.match(await p.locator('main').innerText(), /Eau Vive Gironde Parcours/);
    await expectNoAxeViolations(p);
  });

  test('on a phone the queue is a list of cards, used with the keyboard; a pair opened from page 2 leads back there', async () => {
    const p = await freshPage(375);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/doublons?page=2');
    await expectNoHorizontalScroll(p, 375);
    // Each pair is a card as wide as the list, its cells one under the other, each named by its column.
    const card = await p.evaluate(() => {
      const wrap = document.querySelector('main .table-wrap')!;
      const cell = document.querySelector('main .merge-queue tbody td[data-label="Fiche A"]')!;
      return {
        overflow: wrap.scrollWidth - wrap.clientWidth,
        display: getComputedStyle(cell).display,
        label: getComputedStyle(cell, '::before').content,
        share: cell.getBoundingClientRect().width / wrap.clientWidth,
        header: document.querySelector('main .merge-queue thead')!.getBoundingClientRect().height,
      };
    });
    assert.equal(card.overflow, 0, 'nothing scrolls sideways');
    assert.equal(card.display, 'grid');
    assert.equal(card.label, '"Fiche A"');
    assert.ok(card.share > 0.8, `a cell takes the card’s width (${card.share})`);
    assert.ok(card.header <= 1, 'the column headers are left to screen readers');
    await expectNoAxeViolations(p);

    // From the control before the list, Tab reaches the first pair's button, visibly, and Enter opens it.
    await p.focus('main .merge-scan button');
    await p.keyboard.press('Tab');
    const focused = await p.evaluate(() => {
      const el = document.activeElement!;
      return { href: el.getAttribute('href') ?? '', outline: getComputedStyle(el).outlineStyle };
    });
    assert.match(focused.href, /^\/admin\/doublons\/[0-9a-f-]{36}\?retour=%2Fadmin%2Fdoublons%3Fpage%3D2$/);
    assert.notEqual(focused.outline, 'none', 'the focus is visible');
    await Promise.all([p.waitForURL(e2e.url(focused.href)), p.keyboard.press('Enter')]);
    await expectNoHorizontalScroll(p, 375);
    await expectNoAxeViolations(p);
    assert.equal(await p.getAttribute('main .breadcrumb a', 'href'), '/admin/doublons?page=2');

    await Promise.all([p.waitForURL(e2e.url('/admin/doublons?page=2')), p.click('main button:text("Pas un doublon")')]);
    const back = await p.locator('main').innerText();
    assert.match(back, /Paire écartée/);
    assert.match(back, /Page 2 sur 2/, 'the page the pair was opened from');
    await expectNoAxeViolations(p);
  });
});
