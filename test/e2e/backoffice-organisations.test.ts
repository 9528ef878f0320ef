import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'chargee@example.org', password: 'Estuaire de la Gironde 2026!', displayName: 'Lina Chargée' };

describeWithBrowser('the organisations back office in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      for (const raw of [
        { name: 'Eau Vive Gironde', kind_code: 'association', commune: '33063', postcode: '33000', email: 'contact@eauvive.org', themes: ['water_sanitation'] },
        { name: 'Mairie de Pessac', kind_code: 'local_authority', commune: 'Pessac', postcode: '33600', visibility: 'staff' },
        { name: 'Collectif Limousin Mali', kind_code: 'association', commune: '87085' },
      ]) {
        await addOrganisation(live.kernel, raw);
      }
    },
  });

  async function submit(p: Page, selector: string) {
    await Promise.all([p.waitForNavigation(), p.click(selector)]);
  }

  test('staff filter the list, save the filter, open an organisation, fix an error and see the history', async () => {
    const p = await e2e.freshPage();
    await e2e.signIn(p, STAFF.email, STAFF.password);

    await p.click('nav a[href="/admin/organisations"]');
    await p.waitForURL(e2e.url('/admin/organisations'));
    assert.match(await p.locator('.result-count').innerText(), /3 structures/);
    await expectNoAxeViolations(p);

    // Filter: Gironde, without email (a staff-only filter).
    await p.selectOption('#f-departement', '33');
    await p.selectOption('#f-manque', 'email');
    await submit(p, 'form[role=search] button[type=submit]');
    assert.match(p.url(), /departement=33/);
    assert.match(p.url(), /manque=email/);
    assert.match(await p.locator('.result-count').innerText(), /\b1 structure(?!s)/);
    assert.match(await p.locator('table').innerText(), /Mairie de Pessac/);
    await expectNoAxeViolations(p);

    // Save it as a segment.
    await p.click('.bo-segments summary');
    await p.fill('#f-segment-name', 'Gironde sans email');
    await submit(p, '.bo-segments button[type=submit]:has-text("Enregistrer ce filtre")');
    assert.match(await p.locator('.flash').innerText(), /Filtre « Gironde sans email » enregistré/);
    assert.equal(await p.locator('.bo-segment-list a', { hasText: 'Gironde sans email' }).count(), 1);
    await expectNoAxeViolations(p);

    // Open the organisation and make a mistake.
    await p.click('table a:has-text("Mairie de Pessac")');
    await p.waitForURL(/\/admin\/organisations\/[0-9a-f-]{36}$/);
    const recordUrl = p.url();
    await expectNoAxeViolations(p);
    await p.fill('#f-siret', '12345678901234');
    await p.fill('#f-email', 'mairie@pessac.fr');
    await submit(p, '#fiche form button[type=submit]');
    assert.match(await p.locator('.error-summary').innerText(), /Le SIRET compte 14 chiffres/);
    assert.equal(await p.inputValue('#f-email'), 'mairie@pessac.fr', 'nothing typed is lost');
    assert.equal(await p.getAttribute('#f-siret', 'aria-invalid'), 'true');
    await expectNoAxeViolations(p);

    // Fix it.
    await p.fill('#f-siret', '73282932000074');
    await submit(p, '#fiche form button[type=submit]');
    assert.match(await p.locator('.flash').innerText(), /Modifications enregistrées/);
    const history = await p.locator('#historique').innerText();
    assert.match(history, /Structure modifiée · chargee@example\.org/);
    assert.match(history, /73282932000074/);
    assert.match(history, /mairie@pessac\.fr/);
    await expectNoAxeViolations(p);

    // Back in the list, the saved filter now finds nothing (the email was added).
    await p.goto(e2e.url('/admin/organisations'));
    await submit(p, '.bo-segment-list a:has-text("Gironde sans email")');
    assert.match(await p.locator('.result-count').innerText(), /\b0 structure(?!s)/);

    // Small screens: no horizontal scroll on the list and the record.
    const narrow = await e2e.browser.newPage({ width: 320 });
    await narrow.goto(e2e.url('/admin/organisations'));
    await expectNoHorizontalScroll(narrow, 320);
    await narrow.goto(recordUrl);
    await expectNoHorizontalScroll(narrow, 320);
    await narrow.goto(e2e.url('/admin/contacts/nouveau'));
    await expectNoHorizontalScroll(narrow, 320);
    await narrow.close();
  });

  test('staff add a contact from an organisation, record a consent, then erase the person on request', async () => {
    // Still signed in, on the same tab as the previous test.
    const p = e2e.page;
    await p.goto(e2e.url('/admin/organisations?q=eau'));
    await p.click('table a:has-text("Eau Vive Gironde")');
    await p.waitForURL(/\/admin\/organisations\/[0-9a-f-]{36}$/);
    await p.click('#contacts a[href^="/admin/contacts/nouveau"]');
    await p.waitForURL(/\/admin\/contacts\/nouveau\?structure=/);
    assert.equal(await p.inputValue('#f-role_org_0'), 'Eau Vive Gironde', 'the organisation is already chosen');
    // A role's organisation and function have room for long names (« Saint-Médard-de-Guizières »).
    for (const field of ['#f-role_org_0', '#f-role_function_0']) {
      const width = (await p.locator(field).boundingBox())!.width;
      assert.ok(width > 400, `${field} is ${width} px wide`);
    }
    await expectNoAxeViolations(p);
    await p.selectOption('#f-civility', 'Mme');
    await p.fill('#f-first_name', 'Awa');
    await p.fill('#f-last_name', 'Diallo');
    await p.fill('#f-emails', 'pas-une-adresse');
    await p.fill('#f-role_function_0', 'Coordinatrice');
    await submit(p, 'main form.bo-contact-form button[type=submit]');
    assert.match(await p.locator('.error-summary').innerText(), /Adresse email invalide : pas-une-adresse/);
    assert.equal(await p.inputValue('#f-first_name'), 'Awa');
    assert.equal(await p.inputValue('#f-role_function_0'), 'Coordinatrice');
    await expectNoAxeViolations(p);
    await p.fill('#f-emails', 'Awa.Diallo@Example.org');
    await submit(p, 'main form.bo-contact-form button[type=submit]');
    await p.waitForURL(/\/admin\/contacts\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(p);

    await p.selectOption('#f-consent-purpose', 'newsletter');
    await p.selectOption('#f-consent-basis', 'consent');
    await p.selectOption('#f-consent-event', 'given');
    await p.selectOption('#f-consent-source', 'web_form');
    await p.fill('#f-consent-detail', 'Formulaire du forum');
    await submit(p, '#consentements form button[type=submit]');
    assert.match(await p.locator('#consentements table').innerText(), /Formulaire du forum/);

    await p.goto(e2e.url('/admin/contacts?q=AWA.DIALLO@example.ORG'));
    assert.match(await p.locator('.result-count').innerText(), /\b1 contact(?!s)/);
    await expectNoAxeViolations(p);
    await p.click('table a:has-text("Awa Diallo")');
    await p.waitForURL(/\/admin\/contacts\/[0-9a-f-]{36}$/);
    await p.click('#rgpd a[href$="/effacer"]');
    await expectNoAxeViolations(p);
    await submit(p, 'main form button:has-text("Effacer définitivement")');
    assert.match(await p.locator('h1').innerText(), /Contact effacé/);
    assert.match(await p.locator('main').innerText(), /Contact effacé le/);
    await expectNoAxeViolations(p);
  });

  test('staff creating an organisation that already exists are warned first, then may create it anyway', async () => {
    // Still signed in, on the same tab.
    const p = e2e.page;
    await e2e.visit(p, '/admin/organisations/nouvelle');
    await p.fill('#f-name', 'Eau vive Gironde');
    await p.selectOption('#f-kind_code', 'association');
    await p.fill('#f-commune', 'Bordeaux');
    await p.fill('#f-postcode', '33000');
    await p.fill('#f-description', 'Puits et assainissement');
    await submit(p, 'main form.bo-org-form > button[type=submit]');

    const warning = p.locator('section#f-duplicates');
    assert.equal(await warning.getAttribute('aria-labelledby'), 'f-duplicates-title');
    assert.equal(await p.locator('#f-duplicates-title').innerText(), 'Cette structure existe peut-être déjà');
    assert.equal(await warning.locator('[role=alert]').count(), 1, 'announced as soon as the page loads');
    assert.match(await warning.innerText(), /Eau Vive Gironde · 33000 Bordeaux · Association/);
    assert.match(await warning.innerText(), /e-mail contact@eauvive\.org · [^\n]*créée le /, 'what tells the record apart');
    assert.match(await warning.innerText(), /noms identiques/);
    assert.equal(await p.inputValue('#f-description'), 'Puits et assainissement', 'nothing typed is lost');
    await expectNoAxeViolations(p);

    // The existing record is one link away; here it is another organisation.
    assert.equal(await warning.locator('a[href^="/admin/organisations/"]').count(), 1);
    await p.check('#f-duplicates_confirmed');
    await submit(p, '#f-duplicates button[type=submit]');
    await p.waitForURL(/\/admin\/organisations\/[0-9a-f-]{36}$/);
    assert.match(await p.locator('.flash').innerText(), /Structure « Eau vive Gironde » créée/);
    assert.match(await p.locator('#historique').innerText(), /Structure enregistrée malgré un doublon possible · chargee@example\.org/);
    await expectNoAxeViolations(p);

    // Now two records bear that name in Bordeaux: each suggestion says which one it is.
    await e2e.visit(p, '/admin/organisations/nouvelle');
    await p.fill('#f-name', 'Eau Vive Gironde');
    await p.selectOption('#f-kind_code', 'association');
    await p.fill('#f-commune', 'Bordeaux');
    await p.fill('#f-postcode', '33000');
    await submit(p, 'main form.bo-org-form > button[type=submit]');
    const records = warning.locator('a[href^="/admin/organisations/"]');
    assert.equal(await records.count(), 2);
    const names = await warning.locator('a').allInnerTexts();
    assert.equal(new Set(names).size, names.length, `no two links read alike: ${names.join(' | ')}`);
    assert.match(names[0]!, /^Eau Vive Gironde \(.+\)$/i);
    await expectNoAxeViolations(p);
  });
});
