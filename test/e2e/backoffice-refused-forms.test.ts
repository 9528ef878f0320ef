import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'refus.formulaires@example.org', password: 'Bassin d’Arcachon 2026 !', displayName: 'Noé Équipe' };

/** Where the focus is: the element's tag, id and class, and whether it sits in the section `sectionId`. */
async function focusInfo(p: Page, sectionId: string) {
  return p.evaluate((id) => {
    const el = document.activeElement!;
    const box = el.getBoundingClientRect();
    return {
      summary: el.classList.contains('error-summary'),
      tag: el.tagName.toLowerCase(),
      inSection: Boolean(el.closest(`#${id}`)),
      // Whole pixels: a jump may leave the box a fraction of a pixel above the top.
      inView: Math.round(box.top) >= 0 && box.top < window.innerHeight,
    };
  }, sectionId);
}

/** Submits by keyboard: Enter in a field of the form (its implicit submission), then waits for the page. */
async function enterIn(p: Page, selector: string) {
  await p.focus(selector);
  await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
}

describeWithBrowser('refused back-office forms put the focus on their error summary', () => {
  let organisationId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      organisationId = (await addOrganisation(live.kernel, { name: 'Solidarité Médoc Sahel', kind_code: 'association', commune: '33063', postcode: '33000' })).id;
      await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: '33063', postcode: '33000' });
    },
  });

  /** A refused form: the focus is on its summary, in its own section, on screen; Tab then Enter lead to the field at fault. */
  async function expectSummaryFocused(p: Page, sectionId: string, field: string) {
    assert.equal(await p.locator(`#${sectionId} .error-summary`).count(), 1, `the summary is in #${sectionId}`);
    assert.deepEqual(await focusInfo(p, sectionId), { summary: true, tag: 'div', inSection: true, inView: true }, `after a refusal in #${sectionId}`);
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement?.closest('.error-summary') !== null && document.activeElement?.tagName), 'A', 'Tab reaches the summary’s first link');
    await p.keyboard.press('Enter');
    assert.equal(await p.evaluate(() => `#${document.activeElement?.id}`), field, 'the link leads to the field at fault');
    await expectNoAxeViolations(p);
  }

  test('the record form, the invitation and a new exchange, each refused then accepted', async () => {
    const p = await e2e.freshPage(1280);
    await e2e.signIn(p, STAFF.email, STAFF.password);
    const record = `/admin/organisations/${organisationId}`;

    // The record: a bad email.
    await e2e.visit(p, record);
    await p.fill('#f-email', 'pas-une-adresse');
    await enterIn(p, '#f-email');
    await expectSummaryFocused(p, 'fiche', '#f-email');
    // Fixed: the page shows its message at the top.
    await p.fill('#f-email', 'contact@medoc-sahel.example.org');
    await enterIn(p, '#f-email');
    assert.match(await p.locator('.flash').innerText(), /Modifications enregistrées/);
    assert.equal(new URL(p.url()).hash, '#contenu');

    // Renamed as another organisation of the same town: held, the warning takes the focus.
    await p.fill('#f-name', 'Eau vive Gironde');
    await enterIn(p, '#f-name');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'f-duplicates', 'the “may already exist” warning has the focus');
    assert.ok(await p.evaluate(() => document.activeElement!.getBoundingClientRect().top >= 0 && document.activeElement!.getBoundingClientRect().top < window.innerHeight));
    await expectNoAxeViolations(p);
    await p.goto(e2e.url(record));

    // The invitation: a bad email.
    await p.fill('#f-invite-display_name', 'Awa Sow');
    await p.fill('#f-invite-email', 'awa.sow@');
    await enterIn(p, '#f-invite-email');
    await expectSummaryFocused(p, 'comptes', '#f-invite-email');

    // An exchange without its text.
    await p.goto(e2e.url(record));
    await enterIn(p, '#f-interaction-occurred_on');
    await expectSummaryFocused(p, 'interactions', '#f-interaction-text');
    // Written: the page opens at the exchanges, the new one among them.
    await p.fill('#f-interaction-text', 'Appel pour le forum de juin');
    await enterIn(p, '#f-interaction-occurred_on');
    assert.equal(new URL(p.url()).hash, '#interactions');
    assert.match(await p.locator('#interactions').innerText(), /Appel pour le forum de juin/);
    const top = await p.evaluate(() => document.getElementById('interactions')!.getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 2, `the exchanges’ section is at the top of the screen (${top})`);
  });

  test('a contact’s form refused for a bad email', async () => {
    const p = await e2e.freshPage(1280);
    await e2e.signIn(p, STAFF.email, STAFF.password);
    await e2e.visit(p, `/admin/contacts/nouveau?structure=${organisationId}`);
    await p.fill('#f-last_name', 'Sow');
    await Promise.all([p.waitForURL(/\/admin\/contacts\/[0-9a-f-]{36}$/), p.click('main form.bo-contact-form button[type=submit]')]);

    await p.fill('#f-emails', 'awa.sow@');
    await enterIn(p, '#f-last_name');
    await expectSummaryFocused(p, 'fiche', '#f-emails');
  });

  test('the list’s bulk actions, applied with nothing ticked and no action chosen, on a phone', async () => {
    const p = await e2e.freshPage(360);
    await e2e.signIn(p, STAFF.email, STAFF.password);
    await e2e.visit(p, '/admin/organisations');
    await p.click('.bo-bulk-disclosure > summary');
    await p.focus('.bo-bulk-bar button[type=submit]');
    await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);

    const summary = p.locator('.bo-bulk .error-summary');
    assert.equal(await summary.count(), 1, 'the bulk actions have their error summary');
    assert.deepEqual(await summary.locator('li').allInnerTexts(), ['Cochez au moins une structure, ou choisissez tout le résultat du filtre.', 'Choisissez l’action à appliquer.']);
    assert.deepEqual(await focusInfo(p, 'contenu'), { summary: true, tag: 'div', inSection: true, inView: true });
    // « Tick at least one » leads to the first row's box, which the message describes.
    const firstBox = await p.locator('main table tbody tr:first-child input[type=checkbox]').getAttribute('id');
    assert.equal(await summary.locator('a').first().getAttribute('href'), `#${firstBox}`);
    assert.equal(await p.locator(`#${firstBox}`).getAttribute('aria-describedby'), 'f-bulk-ids-error');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    assert.equal(await p.evaluate(() => document.activeElement?.id), firstBox, 'the first link leads to the first row’s box');
    await p.keyboard.press('Space');
    assert.ok(await p.isChecked(`#${firstBox}`));
    await summary.locator('a').nth(1).click();
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'f-bulk-action');
    await expectNoAxeViolations(p);
  });
});
