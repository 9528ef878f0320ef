import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { insertTestEvent } from '../../src/modules/registrations/test-fixtures-repo.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

describeWithBrowser('registrations in a real browser', () => {
  let slug = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      const event = await insertTestEvent(live.kernel.db, { capacity: 1, title: 'Journée de la solidarité internationale' });
      slug = event.slug;
    },
  });
  const { freshPage, visit } = e2e;

  async function register(p: Page, first: string, last: string, email: string): Promise<string> {
    await visit(p, `/agenda/${slug}/inscription`);
    await p.fill('#f-first_name', first);
    await p.fill('#f-last_name', last);
    await p.fill('#f-email', email);
    await p.fill('#f-organisation_name', 'Eau Vive Gironde');
    await p.selectOption('#f-organisation_kind', 'association');
    await p.selectOption('#f-organisation_department', '33');
    await p.check('#f-consent');
    await p.click('main form.stack-form button[type=submit]');
    await p.waitForSelector('main .flash-success');
    return p.locator('main').innerText();
  }

  async function mailTo(address: string, subject: RegExp) {
    for (let i = 0; i < 50; i++) {
      await e2e.live.kernel.jobs.runDue();
      const found = e2e.live.smtp.messages.find((m) => m.envelopeTo.some((a) => a.toLowerCase() === address) && subject.test(m.parsed.subject ?? ''));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail "${subject}" to ${address}`);
  }

  test('register, get the confirmation, cancel through the link: the waitlisted person is promoted', async () => {
    const p = await freshPage();
    await visit(p, `/agenda/${slug}/inscription`);
    await expectNoAxeViolations(p);
    // A mistake first: the message is tied to its field.
    await p.click('main form.stack-form button[type=submit]');
    await p.waitForSelector('#f-email-error');
    await expectNoAxeViolations(p);

    assert.match(await register(p, 'Awa', 'Diallo', 'awa@example.org'), /Votre place est réservée/);
    await expectNoAxeViolations(p);
    const other = await freshPage(375);
    assert.match(await register(other, 'Marc', 'Lopez', 'marc@example.org'), /liste d’attente \(position 1\)/);
    await expectNoHorizontalScroll(other, 375);

    const confirmation = await mailTo('awa@example.org', /Inscription confirmée/);
    assert.equal(confirmation.parsed.attachments[0]?.contentType, 'text/calendar');
    const link = e2e.live.smtp.linkIn(confirmation, /http:\/\/127\.0\.0\.1:\d+\/inscriptions\/[A-Za-z0-9_-]+/);

    const owner = await freshPage();
    await owner.goto(link);
    assert.match(await owner.locator('main').innerText(), /Inscrit·e/);
    await expectNoAxeViolations(owner);
    await owner.click('main section.panel form button[type=submit]');
    await owner.waitForSelector('main .flash-success');
    assert.match(await owner.locator('main').innerText(), /Votre inscription est annulée/);
    await expectNoAxeViolations(owner);

    const promoted = await mailTo('marc@example.org', /Une place s’est libérée/);
    assert.match(promoted.parsed.text ?? '', /Journée de la solidarité internationale/);
    const marcLink = e2e.live.smtp.linkIn(promoted, /http:\/\/127\.0\.0\.1:\d+\/inscriptions\/[A-Za-z0-9_-]+/);
    await owner.goto(marcLink);
    assert.match(await owner.locator('main').innerText(), /Inscrit·e/);
  });

  test('searching the directory for one’s organisation keeps what was typed; no match says so', async () => {
    const p = await freshPage();
    await visit(p, `/agenda/${slug}/inscription`);
    await p.fill('#f-first_name', 'Léa');
    await p.fill('#f-last_name', 'Martin');
    await p.fill('#f-email', 'lea@example.org');
    await p.selectOption('#f-organisation_kind', 'association');
    await p.check('#f-consent');
    await p.fill('#f-find-q', 'Zzzyx introuvable');
    await Promise.all([p.waitForURL(/q=Zzzyx/), p.click('main form[role="search"] button[type=submit]')]);
    await p.waitForLoadState('load');
    assert.match(await p.locator('main').innerText(), /Aucune structure de l’annuaire ne correspond à « Zzzyx introuvable » : indiquez son nom ci-dessous/);
    assert.deepEqual(
      [await p.inputValue('#f-first_name'), await p.inputValue('#f-last_name'), await p.inputValue('#f-email'), await p.inputValue('#f-organisation_kind')],
      ['Léa', 'Martin', 'lea@example.org', 'association'],
      'the details typed before the search are still there',
    );
    assert.equal(await p.isChecked('#f-consent'), false, 'consent is never ticked for the person');
    await expectNoAxeViolations(p);
  });
});
