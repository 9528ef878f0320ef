import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { forgetDraftStats } from '../../src/modules/duplicates/index.js';
import type { Organisation } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

/** The visitor's proposal: a near-duplicate of « Amis de Kpalimé » (article, case and accent differ). */
const TYPED = { proposer_name: 'Awa Diallo', proposer_email: 'awa.diallo@example.org', name: 'Les amis de Kpalime', commune: 'Talence', postcode: '33400' };

describeWithBrowser('the public organisation proposal warns of a likely duplicate, in a real browser', () => {
  let existing: Organisation;
  let membersOnly: Organisation;
  const e2e = useLiveBrowser({
    async seed(live) {
      existing = await addOrganisation(live.kernel, {
        name: 'Amis de Kpalimé',
        kind_code: 'association',
        commune: 'Talence',
        postcode: '33400',
        website: 'https://www.amis-kpalime.example.org',
        email: 'bureau@amis-kpalime.example.org',
        visibility: 'public',
      });
      membersOnly = await addOrganisation(live.kernel, { name: 'AMIS DE KPALIME', kind_code: 'association', commune: 'Talence', postcode: '33400', siret: '73282932000074', visibility: 'members' });
      await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000', visibility: 'public' });
      await addOrganisation(live.kernel, { name: 'Solidarité Bénin Mérignac', kind_code: 'association', commune: 'Mérignac', postcode: '33700', visibility: 'public' });
      forgetDraftStats(live.kernel.db);
    },
  });
  const { freshPage, visit } = e2e;

  const proposalsNamed = async (name: string) =>
    (await e2e.live.kernel.db.selectFrom('proposals').select('payload').where('entity_id', 'is', null).execute()).filter((p) => (JSON.parse(p.payload) as { name?: string }).name === name).length;

  /** Fills the form as a visitor would and sends it; resolves on the page that answers. */
  async function propose(p: Page): Promise<number | undefined> {
    await visit(p, '/proposer-une-structure');
    await p.fill('#f-proposer_name', TYPED.proposer_name);
    await p.fill('#f-proposer_email', TYPED.proposer_email);
    await p.fill('#f-name', TYPED.name);
    await p.selectOption('#f-kind_code', 'association');
    await p.fill('#f-commune', TYPED.commune);
    await p.fill('#f-postcode', TYPED.postcode);
    const [response] = await Promise.all([
      p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/proposer-une-structure'),
      p.click('main form.mod-form > button[type=submit]'),
    ]);
    await p.waitForLoadState('load');
    return response.status();
  }

  test('a near-duplicate name: the warning shows with public facts only, takes the focus, then the keyboard reaches its links; axe finds nothing', async () => {
    const p = await freshPage();
    assert.equal(await propose(p), 409, 'sent back with the warning, nothing saved');
    assert.equal(await proposalsNamed(TYPED.name), 0, 'nothing was sent to moderation');

    const warning = p.locator('main section.duplicate-warning');
    assert.equal(await warning.count(), 1, 'the duplicate warning is shown');
    assert.equal(await warning.getAttribute('aria-labelledby'), 'f-duplicates-title');
    assert.equal(await p.locator('#f-duplicates-title').innerText(), 'Cette structure existe peut-être déjà');
    assert.equal(await warning.locator('[role=alert]').count(), 1, 'announced as the page loads');
    const text = await warning.innerText();
    assert.match(text, /Amis de Kpalimé · 33400 Talence · Association/);
    assert.match(text, /site amis-kpalime\.example\.org/, 'what its public page shows');
    assert.doesNotMatch(text, /bureau@amis-kpalime|73282932000074|AMIS DE KPALIME/, 'neither an e-mail nor the members-only namesake');
    assert.equal(await warning.locator(`a[href="/acteurs/${existing.slug}"]`).count(), 1, 'the existing record’s public page is one link away');
    assert.equal(await warning.locator(`a[href="/demande-de-compte?structure=${existing.id}"]`).count(), 1, 'and so is an account request for it');
    assert.equal(await p.locator(`a[href="/acteurs/${membersOnly.slug}"]`).count(), 0);
    // Nothing typed is lost.
    assert.equal(await p.inputValue('#f-name'), TYPED.name);
    assert.equal(await p.inputValue('#f-proposer_email'), TYPED.proposer_email);
    assert.equal(await p.inputValue('#f-commune'), TYPED.commune);

    // The focus is on the warning (or an error summary before it), in view, so that keyboard and screen reader users start there.
    const focus = await p.evaluate(() => {
      const el = document.activeElement;
      const box = el?.getBoundingClientRect();
      return {
        inWarning: !!el?.closest('.duplicate-warning'),
        summary: !!el?.closest('.error-summary'),
        visible: !!box && box.top < window.innerHeight && box.bottom > 0,
      };
    });
    assert.ok(focus.inWarning || focus.summary, `the focus lands on the warning or the summary, not on ${await p.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
    assert.ok(focus.visible, 'and the focused element is in view');
    // From there, Tab reaches the existing record's link first, visibly.
    await p.keyboard.press('Tab');
    const next = await p.evaluate(() => ({ href: document.activeElement?.getAttribute('href'), outline: getComputedStyle(document.activeElement!).outlineStyle }));
    assert.equal(next.href, `/acteurs/${existing.slug}`);
    assert.notEqual(next.outline, 'none', 'the focus is visible');
    await expectNoAxeViolations(p);

    // Sent again without ticking « Il s’agit d’une autre structure »: said next to the box, still nothing sent.
    await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'), p.click('#f-duplicates button[type=submit]')]);
    await p.waitForLoadState('load');
    assert.match(await p.locator('#f-duplicates_confirmed-error').innerText(), /^Cochez «\u00a0Il s’agit d’une autre structure\u00a0» pour continuer/);
    assert.equal(await proposalsNamed(TYPED.name), 0);
    await expectNoAxeViolations(p);
  });

  test('the warning at 320 px: nothing scrolls sideways, axe finds nothing', async () => {
    const p = await freshPage(320);
    assert.equal(await propose(p), 409);
    assert.equal(await p.locator('main section.duplicate-warning').count(), 1, 'the duplicate warning is shown');
    await expectNoHorizontalScroll(p, 320);
    await expectNoAxeViolations(p);
  });
});
