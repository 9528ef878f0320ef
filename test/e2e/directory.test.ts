import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation, type DirectoryFixtures, seedDirectory } from '../../src/modules/directory/test-fixtures.js';
import {
  describeWithBrowser,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  launchBrowser,
  type LiveApp,
  startLiveApp,
  type TestBrowser,
} from '../helpers/browser.js';
import { repoRoot } from '../helpers/paths.js';

const SCREENSHOTS = path.join(repoRoot, '.tmp', 'screenshots');

describeWithBrowser('the directory in a real browser', () => {
  let live: LiveApp;
  let browser: TestBrowser;
  let page: Page;
  let f: DirectoryFixtures;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    const deps = { db: live.kernel.db, clock: live.kernel.clock };
    f = await seedDirectory(deps);
    for (const [name, commune, theme] of [
      ['Partenariat Aquitaine Burkina', '33063', 'water_sanitation'],
      ['Lycée agricole de Blanquefort', '33056', 'agriculture_food'],
      ['Maison des solidarités de Bayonne', '64102', 'youth_mobility'],
    ] as const) {
      await addOrganisation(deps, { name, kind_code: 'association', commune, themes: [theme], countries: ['BF'] });
    }
    // A position, so the organisation page carries its mini map.
    await live.kernel.db.updateTable('organisations').set({ latitude: 44.8378, longitude: -0.5792, geo_precision: 'address' }).where('id', '=', f.water.id).execute();
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  async function freshPage(width = 1280, options: { script?: boolean } = {}): Promise<Page> {
    await page?.close();
    await browser.clearCookies();
    page = await browser.newPage({ width });
    // "Without JavaScript": the enhancement script never arrives, the form works on its own.
    if (options.script === false) await page.route('**/assets/directory.js', (route) => route.abort());
    return page;
  }

  const url = (p: Page) => {
    const u = new URL(p.url());
    return u.pathname + u.search;
  };
  const countText = (p: Page) => p.locator('#directory-count').innerText();
  const cardNames = (p: Page) => p.locator('#directory-results .org-card h3 span:first-child').allInnerTexts();

  test('with the script: typing and ticking update the results in place, the URL follows, Back restores', async () => {
    const p = await freshPage();
    await p.goto(`${live.baseUrl}/annuaire`);
    await expectNoAxeViolations(p);
    assert.equal(await countText(p), '8 structures');
    // A marker on the window: it survives only if the page is never reloaded.
    await p.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await p.fill('#directory-q', 'eau senegal');
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '1 structure');
    assert.deepEqual(await cardNames(p), ["Associations pour l'eau du Sénégal"]);
    assert.equal(url(p), '/annuaire?q=eau+senegal');

    await p.fill('#directory-q', '');
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '8 structures');
    assert.equal(url(p), '/annuaire');
    await p.locator('details[data-facet="pays"] > summary').click();
    await p.check('#facet-pays-BF');
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '5 structures');
    assert.equal(url(p), '/annuaire?pays=BF');
    assert.equal(await p.isChecked('#facet-pays-BF'), true);
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'facet-pays-BF', 'focus stays on the ticked box');
    await p.locator('details[data-facet="zone"] > summary').click();
    await p.locator('details[data-facet="theme"] > summary').click();
    await p.check('#facet-theme-water_sanitation');
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '1 structure');
    assert.equal(await p.locator('details[data-facet="zone"]').getAttribute('open'), '', 'a group opened by the visitor stays open');
    assert.deepEqual(await cardNames(p), ['Partenariat Aquitaine Burkina']);
    assert.equal(url(p), '/annuaire?theme=water_sanitation&pays=BF');
    await p.selectOption('#directory-tri', 'recent');
    await p.waitForURL(/tri=recent/);
    await expectNoAxeViolations(p);

    await p.goBack();
    await p.waitForURL(`${live.baseUrl}/annuaire?theme=water_sanitation&pays=BF`);
    await p.goBack();
    await p.waitForURL(`${live.baseUrl}/annuaire?pays=BF`);
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '5 structures');
    assert.equal(await p.isChecked('#facet-theme-water_sanitation'), false);
    assert.equal(await p.isChecked('#facet-pays-BF'), true);
    await p.goBack();
    await p.waitForURL(`${live.baseUrl}/annuaire`);
    await p.goBack();
    await p.waitForURL(`${live.baseUrl}/annuaire?q=eau+senegal`);
    await p.waitForFunction(() => document.getElementById('directory-count')?.textContent === '1 structure');
    assert.equal(await p.inputValue('#directory-q'), 'eau senegal', 'the search box follows the history');
    assert.equal(await p.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'never reloaded');

    // A shared link opens the same results.
    const shared = await browser.newPage();
    await shared.goto(`${live.baseUrl}/annuaire?theme=water_sanitation&pays=BF`);
    assert.deepEqual(await cardNames(shared), ['Partenariat Aquitaine Burkina']);
    await shared.close();
  });

  test('without the script: the form submits, filters combine, Back works, and a card opens the page', async () => {
    const p = await freshPage(1280, { script: false });
    await p.goto(`${live.baseUrl}/annuaire`);
    await p.fill('#directory-q', 'associations');
    await Promise.all([p.waitForURL(/q=associations/), p.click('.search-row button[type=submit]')]);
    assert.ok((await cardNames(p)).includes("Associations pour l'eau du Sénégal"));
    await p.locator('details[data-facet="departement"] > summary').click();
    await p.check('#facet-departement-33');
    await p.check('#facet-famille-association');
    await Promise.all([p.waitForURL(/departement=33/), p.click('.directory-form-actions button')]);
    assert.match(url(p), /famille=association/);
    assert.equal(await p.isChecked('#facet-departement-33'), true);
    const filtered = await countText(p);
    await expectNoAxeViolations(p);
    await p.goBack();
    await p.waitForURL((u) => u.search.includes("q=associations") && !u.search.includes("departement"));
    await p.goForward();
    await p.waitForURL(/departement=33/);
    assert.equal(await countText(p), filtered);

    await Promise.all([p.waitForURL(`${live.baseUrl}/acteurs/${f.water.slug}`), p.click(`a[href="/acteurs/${f.water.slug}"]`)]);
    assert.equal(await p.locator('h1').innerText(), "Associations pour l'eau du Sénégal (APES)");
    await expectNoAxeViolations(p);
  });

  test("an organisation's page: readable, accessible, its tags lead back into the directory", async () => {
    const p = await freshPage();
    await p.goto(`${live.baseUrl}/acteurs/${f.water.slug}`);
    await expectNoAxeViolations(p);
    assert.match(await p.locator('.org-facts').innerText(), /05 56 00 00 00/);
    await Promise.all([p.waitForURL(`${live.baseUrl}/annuaire?theme=water_sanitation`), p.click('a[href="/annuaire?theme=water_sanitation"]')]);
    assert.equal(await p.isChecked('#facet-theme-water_sanitation'), true);
    assert.equal(await countText(p), '2 structures');

    // HTML typed into a name or a description does nothing.
    let dialogs = 0;
    p.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await p.goto(`${live.baseUrl}/acteurs/${f.xss.slug}`);
    await p.goto(`${live.baseUrl}/annuaire?theme=human_rights`);
    assert.equal(dialogs, 0, 'no script ran');
    assert.match(await p.locator('h1').first().innerText(), /Annuaire/);
  });

  test('the directory, a page and the API page on a phone: no axe violation, no sideways scroll at 320 px', async () => {
    for (const width of [375, 320]) {
      const p = await freshPage(width);
      for (const target of ['/annuaire?pays=BF', `/acteurs/${f.water.slug}`, '/api/docs']) {
        await p.goto(live.baseUrl + target);
        if (width === 375) await expectNoAxeViolations(p);
        else await expectNoHorizontalScroll(p, 320);
      }
      if (width === 375) {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await p.goto(`${live.baseUrl}/annuaire`);
        await p.screenshot({ path: path.join(SCREENSHOTS, 'directory-375.png'), fullPage: true });
      }
    }
    const p = await freshPage(1280);
    await p.goto(`${live.baseUrl}/annuaire`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await p.screenshot({ path: path.join(SCREENSHOTS, 'directory-1280.png'), fullPage: true });
    await p.goto(`${live.baseUrl}/acteurs/${f.water.slug}`);
    await p.screenshot({ path: path.join(SCREENSHOTS, 'organisation-1280.png'), fullPage: true });
  });

  test('staff upload a logo in the back office; the page, the card and the JSON-LD show it', async () => {
    const staff = { email: 'logos@example.org', password: 'Estuaire de la Gironde 2026!', displayName: 'Lina Logos' };
    await createActiveUser(live.kernel, { ...staff, role: 'staff' });
    const org = await addOrganisation({ db: live.kernel.db, clock: live.kernel.clock }, { name: 'Atelier des Deux Rives', kind_code: 'association', commune: '33063', postcode: '33000' });
    const p = await freshPage();
    await p.goto(`${live.baseUrl}/connexion`);
    await p.fill('#f-email', staff.email);
    await p.fill('#f-password', staff.password);
    await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/connexion')), p.click('main form button[type=submit]')]);

    await p.goto(`${live.baseUrl}/admin/organisations/${org.id}`);
    // An SVG first: refused next to the field, the link typed meanwhile kept.
    await p.fill('#f-social_linkedin', 'linkedin.com/company/deux-rives');
    await p.setInputFiles('#f-logo_file', { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await Promise.all([p.waitForNavigation(), p.click('form.bo-org-form button[type=submit]')]);
    assert.match(await p.locator('#f-logo_file-error').innerText(), /Le logo doit être une image PNG, JPEG, WebP ou GIF/);
    assert.equal(await p.inputValue('#f-social_linkedin'), 'linkedin.com/company/deux-rives');
    await expectNoAxeViolations(p);

    const image = await sharp({ create: { width: 900, height: 300, channels: 3, background: '#0a6e4f' } }).png().toBuffer();
    await p.setInputFiles('#f-logo_file', { name: 'deux-rives.png', mimeType: 'image/png', buffer: image });
    await Promise.all([p.waitForNavigation(), p.click('form.bo-org-form button[type=submit]')]);
    assert.match(new URL(p.url()).pathname, new RegExp(`/admin/organisations/${org.id}$`));
    const preview = p.locator('.org-logo-preview img');
    assert.equal(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), 400, 'staff see the stored logo, reduced');
    await expectNoAxeViolations(p);
    await preview.scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(SCREENSHOTS, 'admin-logo-1280.png') });

    await p.goto(`${live.baseUrl}/acteurs/${org.slug}`);
    const logo = p.locator('img.org-logo');
    assert.equal(await logo.getAttribute('alt'), '', 'decorative beside the name');
    assert.equal(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true, 'the image loads');
    assert.match(await p.locator('.org-facts').innerText(), /LinkedIn/);
    const ld = JSON.parse((await p.locator('script[type="application/ld+json"]').textContent()) ?? '{}') as { logo?: string };
    assert.match(ld.logo ?? '', new RegExp(`/media/organisations/${org.id}/logo\\?v=`));
    await expectNoAxeViolations(p);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await p.screenshot({ path: path.join(SCREENSHOTS, 'organisation-logo-1280.png') });

    await p.goto(`${live.baseUrl}/annuaire?q=deux+rives`);
    assert.equal(await p.locator('.org-card img.org-card-logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true);
    await expectNoAxeViolations(p);
    await p.screenshot({ path: path.join(SCREENSHOTS, 'directory-logo-1280.png') });
  });
});
