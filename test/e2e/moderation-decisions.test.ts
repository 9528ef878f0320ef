import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { forgetDraftStats } from '../../src/modules/duplicates/index.js';
import { propose, submitAccountRequest } from '../../src/modules/moderation/index.js';
import { type Organisation, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import type { LiveApp } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.moderation@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Équipe' };
const MEMBER = { email: 'awa.proposee@example.org', password: 'Brume sur la Garonne 2026', displayName: 'Awa Diallo' };

/** An organisation's values as its proposal holds them. */
async function proposalValues(live: LiveApp, raw: Record<string, unknown>) {
  const checked = validateOrganisation(raw, taxonomyCodes(await taxonomies(live.kernel.db)), { currentYear: 2026 });
  assert.ok(checked.ok);
  return organisationFormValues(checked.draft as unknown as Record<string, unknown>) as Record<string, unknown>;
}

/** Where the focus is: inside the error summary, and in view. */
async function focusOf(p: Page) {
  return p.evaluate(() => {
    const el = document.activeElement;
    const box = el?.getBoundingClientRect();
    return { summary: !!el?.closest('.error-summary'), id: el?.id ?? '', visible: !!box && box.top < window.innerHeight && box.bottom > 0 };
  });
}

describeWithBrowser('moderation decisions in a real browser: a namesake elsewhere, a refused request, a pending organisation', () => {
  let perigueux: Organisation;
  let proposalId = '';
  let requestId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      perigueux = await addOrganisation(live.kernel, { name: 'Association Eau Vive Dordogne', kind_code: 'association', commune: 'Périgueux', postcode: '24000', visibility: 'public' });
      forgetDraftStats(live.kernel.db);
      const proposed = await propose(live.kernel, {
        type: 'organisation',
        entityId: null,
        payload: await proposalValues(live, { name: 'Association Eau Vive Dordogne', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' }),
        proposer: { userId: null, name: 'Léa Martin', email: 'lea.martin@example.org' },
      });
      assert.ok(proposed.ok);
      proposalId = proposed.id;
      requestId = await submitAccountRequest(live.kernel, {
        name: 'Jules Ndiaye',
        email: 'jules.ndiaye@example.org',
        organisationId: null,
        newOrganisation: await proposalValues(live, { name: 'Jardins partagés de Lormont', kind_code: 'association', commune: 'Lormont', postcode: '33310' }),
        message: null,
        ip: '127.0.0.1',
      });
      // A member whose own proposed organisation still waits.
      const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
      await propose(live.kernel, {
        type: 'organisation',
        entityId: null,
        payload: await proposalValues(live, { name: 'Lormont Solidarité Sahel', kind_code: 'association', commune: 'Lormont', postcode: '33310' }),
        proposer: { userId: member.id, name: MEMBER.displayName, email: MEMBER.email },
      });
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff see the namesake of Périgueux on the proposal; « Accepter » unticked opens at the summary, focused; ticked, it is accepted', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/moderation/${proposalId}`);
    const matches = p.locator('main section.mod-matches');
    assert.match(await matches.innerText(), /Même nom, autre commune\u00a0: Périgueux/);
    assert.equal(await matches.locator(`a[href="/admin/organisations/${perigueux.id}"]`).count(), 1);
    await expectNoAxeViolations(p);

    await Promise.all([p.waitForURL(/#erreurs-accepter$/), p.click('main form[action$="/approuver#erreurs-accepter"] button[type=submit]')]);
    await p.waitForLoadState('load');
    const focus = await focusOf(p);
    assert.ok(focus.summary && focus.visible, 'the focus is on the summary, in view');
    assert.match(await p.locator('#erreurs-accepter').innerText(), /cochez «\u00a0Ce n’est pas la même structure\u00a0»/);
    await expectNoAxeViolations(p);
    // The summary's link leads to the box.
    await p.click('#erreurs-accepter a');
    assert.equal((await focusOf(p)).id, 'f-acc-duplicates_confirmed');

    await p.check('#f-acc-duplicates_confirmed');
    // The queue (the browser keeps the form's « #erreurs-accepter » across the redirect: no such place there, the page opens at its top).
    await Promise.all([p.waitForURL((u) => u.pathname === '/admin/moderation'), p.click('main form[action$="/approuver#erreurs-accepter"] button[type=submit]')]);
    assert.match(await p.locator('main').innerText(), /Proposition acceptée/);
  });

  test('a request refused without a message opens at its error summary, focused, worded for a request; its link leads to the message', async () => {
    const p = await freshPage(390);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/demandes-de-compte');
    const form = p.locator(`main form[action="/admin/demandes-de-compte/${requestId}/rejeter#erreurs-demande-${requestId}"]`);
    assert.match(await p.locator(`#f-rej-${requestId}-message-hint`).innerText(), /Refuser la demande refuse aussi la structure «\u00a0Jardins partagés de Lormont\u00a0»/);
    await Promise.all([p.waitForURL(new RegExp(`#erreurs-demande-${requestId}$`)), form.locator('button[type=submit]').click()]);
    await p.waitForLoadState('load');
    const focus = await focusOf(p);
    assert.ok(focus.summary && focus.visible, 'the focus is on the summary, in view');
    assert.equal(await p.locator(`#erreurs-demande-${requestId} a`).innerText(), 'Expliquez à la personne pourquoi sa demande de compte est refusée.');
    await expectNoAxeViolations(p);
    await expectNoHorizontalScroll(p, 390);
    await p.click(`#erreurs-demande-${requestId} a`);
    assert.equal((await focusOf(p)).id, `f-rej-${requestId}-message`);
  });

  test('a member sees the organisation they proposed, waiting, on « Mes structures »', async () => {
    const p = await freshPage();
    await signIn(p, MEMBER.email, MEMBER.password);
    await visit(p, '/mon-espace/structures');
    const main = await p.locator('main').innerText();
    assert.match(main, /Lormont Solidarité Sahel/);
    assert.match(main, /en attente de validation par l’équipe/);
    assert.doesNotMatch(main, /Écrivez à l’équipe/);
    assert.match(main, /Proposition en attente/);
    await expectNoAxeViolations(p);
  });
});
