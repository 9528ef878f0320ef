import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { recordAudit } from '../../src/kernel/audit/index.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { repoRoot } from '../helpers/paths.js';

const ADMIN = { email: 'admin@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Admin' };
const MEMBER_PASSWORD = 'Brume sur la Garonne 2026';
const SCREENSHOTS = path.join(repoRoot, '.tmp', 'screenshots');

const PUBLIC_PAGES = ['/', '/connexion', '/mot-de-passe-oublie', '/mentions-legales', '/donnees-personnelles', '/accessibilite'];
const ADMIN_PAGES = ['/admin', '/admin/comptes', '/admin/comptes/inviter', '/admin/journal', '/admin/parametres'];
const MEMBER_PAGES = ['/mon-espace', '/mon-espace/compte', '/mon-espace/compte/supprimer'];

describeWithBrowser('the foundation in a real browser', () => {
  let memberId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...ADMIN, role: 'admin' });
      const member = await createActiveUser(live.kernel, {
        email: 'awa.diallo@example.org',
        password: MEMBER_PASSWORD,
        displayName: 'Awa Diallo',
        role: 'member',
      });
      memberId = member.id;
      // Two changes far from today, for the journal's date filters.
      const system = { id: null, email: null };
      await recordAudit(live.kernel.db, system, { action: 'settings.updated', entityType: 'settings', after: { networkName: 'Février' } }, new Date('2025-02-14T10:00:00Z'));
      await recordAudit(live.kernel.db, system, { action: 'settings.updated', entityType: 'settings', after: { networkName: 'Mars' } }, new Date('2025-03-14T10:00:00Z'));
    },
  });
  const { freshPage, visit, signIn } = e2e;

  async function screenshot(p: Page, name: string) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function signOut(p: Page) {
    await Promise.all([p.waitForURL(e2e.url('/')), p.click('form[action="/deconnexion"] button')]);
  }

  test('an admin invites a member who chooses a password, signs in, sees their space and signs out', async () => {
    const p = await freshPage();
    await visit(p, '/');
    await expectNoAxeViolations(p);

    await p.click('header a[href="/connexion"]');
    await p.waitForURL(e2e.url('/connexion'));
    await expectNoAxeViolations(p);
    await p.fill('#f-email', ADMIN.email);
    await p.fill('#f-password', ADMIN.password);
    await Promise.all([p.waitForURL(e2e.url('/admin')), p.click('main form button[type=submit]')]);
    await expectNoAxeViolations(p);

    await p.click('nav a[href="/admin/comptes"]');
    await p.waitForURL(e2e.url('/admin/comptes'));
    await expectNoAxeViolations(p);
    await p.click('main a[href="/admin/comptes/inviter"]');
    await p.waitForURL(e2e.url('/admin/comptes/inviter'));
    await expectNoAxeViolations(p);
    // Sent with a missing name and a wrong address: the errors come in the order of the fields.
    await p.fill('#f-email', 'jules.ndiaye');
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    await p.locator('.error-summary').waitFor();
    assert.deepEqual(await p.locator('.error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), ['#f-display_name', '#f-email']);
    assert.deepEqual(await p.locator('main .field-error').evaluateAll((notes) => notes.map((n) => n.id)), ['f-display_name-error', 'f-email-error']);
    await expectNoAxeViolations(p);
    await screenshot(p, 'invite-errors');
    await p.fill('#f-display_name', 'Jules Ndiaye');
    await p.fill('#f-email', 'jules.ndiaye@example.org');
    await p.selectOption('#f-role', 'member');
    await Promise.all([p.waitForURL(/\/admin\/comptes\/[^/]+$/), p.click('main form button[type=submit]')]);
    assert.match(await p.locator('main').innerText(), /jules\.ndiaye@example\.org/);
    await expectNoAxeViolations(p);
    await signOut(p);

    const mail = e2e.live.smtp.lastTo('jules.ndiaye@example.org');
    assert.ok(mail, 'an invitation mail reached the member');
    const link = e2e.live.smtp.linkIn(mail, new RegExp(e2e.url('/invitation/\\S+')));
    await p.goto(link);
    await expectNoAxeViolations(p);
    await p.fill('#f-password', MEMBER_PASSWORD);
    await p.fill('#f-password_confirm', MEMBER_PASSWORD);
    // The password just chosen is not asked again: the member is signed in and lands in their space.
    await Promise.all([p.waitForURL(e2e.url('/mon-espace')), p.click('main form button[type=submit]')]);
    const space = await p.locator('main').innerText();
    assert.match(space, /Bienvenue, Jules Ndiaye\u202f! Votre compte est activé et vous êtes connecté·e\./);
    assert.match(space, /Jules Ndiaye/);
    assert.match(space, /C’est votre première connexion\./);
    assert.doesNotMatch(space, /Dernière connexion/);
    await expectNoAxeViolations(p);
    await screenshot(p, 'member-home-first-sign-in');

    await signOut(p);
    await expectNoAxeViolations(p);
    await visit(p, '/mon-espace');
    assert.equal(new URL(p.url()).pathname, '/connexion', 'signed out, the member space asks to sign in again');
  });

  test('the first Tab focuses the skip link, and following it moves focus to the main content', async () => {
    const p = await freshPage();
    await visit(p, '/');
    await p.keyboard.press('Tab');
    const focused = await p.evaluate(() => ({
      cls: document.activeElement?.className,
      visible: document.activeElement ? document.activeElement.getBoundingClientRect().top >= 0 : false,
    }));
    assert.equal(focused.cls, 'skip-link');
    assert.ok(focused.visible, 'the focused skip link is on screen');
    await p.keyboard.press('Enter');
    await p.waitForURL(e2e.url('/#contenu'));
    assert.equal(await p.evaluate(() => document.activeElement?.tagName), 'MAIN');
  });

  test('switching to English is remembered from page to page, and switching back restores French', async () => {
    const p = await freshPage();
    await visit(p, '/mentions-legales');
    assert.equal(await p.getAttribute('html', 'lang'), 'fr');
    await Promise.all([p.waitForURL(e2e.url('/mentions-legales')), p.click('form[action="/langue"] button')]);
    assert.equal(await p.getAttribute('html', 'lang'), 'en');
    const lang = (await e2e.browser.context.cookies()).find((c) => c.name === 'lang');
    assert.equal(lang?.value, 'en', 'the choice is kept in a cookie');
    await expectNoAxeViolations(p);
    await visit(p, '/connexion');
    assert.equal(await p.getAttribute('html', 'lang'), 'en');
    assert.equal(await p.locator('h1').innerText(), 'Sign in');
    await Promise.all([p.waitForURL(e2e.url('/connexion')), p.click('form[action="/langue"] button')]);
    assert.equal(await p.getAttribute('html', 'lang'), 'fr');
    await visit(p, '/');
    assert.equal(await p.getAttribute('html', 'lang'), 'fr');
    assert.equal(await p.locator('a.skip-link').innerText(), 'Aller au contenu');
  });

  test('a forgotten password is replaced through the emailed link, then the new one signs in', async () => {
    const p = await freshPage();
    await createActiveUser(e2e.live.kernel, { email: 'oubli@example.org', password: 'Ancien mot de passe 2020', displayName: 'Léa Oubli', role: 'member' });
    await visit(p, '/connexion');
    await p.click('main a[href="/mot-de-passe-oublie"]');
    await p.waitForURL(e2e.url('/mot-de-passe-oublie'));
    const before = e2e.live.smtp.messages.length;
    await p.fill('#f-email', 'oubli@example.org');
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    await expectNoAxeViolations(p);
    await e2e.live.smtp.waitFor(before + 1);
    const mail = e2e.live.smtp.lastTo('oubli@example.org');
    assert.ok(mail);
    const link = e2e.live.smtp.linkIn(mail, new RegExp(e2e.url('/reinitialiser/\\S+')));
    await p.goto(link);
    await expectNoAxeViolations(p);
    await p.fill('#f-password', 'Nouveau mot de passe 2026');
    await p.fill('#f-password_confirm', 'Nouveau mot de passe 2026');
    await Promise.all([p.waitForURL(e2e.url('/connexion')), p.click('main form button[type=submit]')]);
    await signIn(p, 'oubli@example.org', 'Nouveau mot de passe 2026');
    assert.equal(new URL(p.url()).pathname, '/mon-espace');
  });

  test('a form sent with errors lists them at the top and marks each field invalid', async () => {
    const p = await freshPage();
    await visit(p, '/mot-de-passe-oublie');
    await p.fill('#f-email', 'pas-une-adresse');
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    await assert.doesNotReject(p.locator('.error-summary').waitFor());
    assert.equal(await p.evaluate(() => document.activeElement?.className), 'error-summary', 'the summary takes the focus');
    assert.equal(await p.getAttribute('#f-email', 'aria-invalid'), 'true');
    assert.equal(await p.inputValue('#f-email'), 'pas-une-adresse');
    await expectNoAxeViolations(p);

    await visit(p, '/connexion');
    await p.click('main form button[type=submit]');
    await p.locator('.error-summary').waitFor();
    assert.equal(await p.getAttribute('#f-email', 'aria-invalid'), 'true');
    assert.equal(await p.getAttribute('#f-password', 'aria-invalid'), 'true');
    const summaryLinks = await p.locator('.error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(summaryLinks, ['#f-email', '#f-password']);
    assert.deepEqual(await p.locator('.error-summary a').allInnerTexts(), ['Saisissez votre adresse email.', 'Saisissez votre mot de passe.'], 'each says what is missing');
    await expectNoAxeViolations(p);

    await p.fill('#f-email', 'awa.diallo@example.org');
    await p.fill('#f-password', 'pas le bon mot de passe');
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    const refusal = p.locator('main .flash-error');
    await refusal.waitFor();
    assert.equal(await p.evaluate(() => document.activeElement?.classList.contains('flash-error')), true, 'a failed sign-in takes the focus');
    assert.equal(await p.inputValue('#f-email'), 'awa.diallo@example.org', 'the address typed is kept');
    await expectNoAxeViolations(p);
  });

  test('the journal’s date pickers filter it; dates in the wrong order, or not dates, are said in short French and no entry is shown', async () => {
    const p = await freshPage();
    await signIn(p, ADMIN.email, ADMIN.password);
    await visit(p, '/admin/journal');
    assert.equal(await p.getAttribute('#f-du', 'type'), 'date');
    assert.equal(await p.getAttribute('#f-au', 'type'), 'date');
    assert.doesNotMatch(await p.locator('main form').innerText(), /AAAA-MM-JJ/, 'no format hint to read');
    assert.equal(await p.locator('#f-entite option[value=""]').innerText(), 'Tous', 'tous les objets');
    assert.equal(await p.locator('#f-action option[value=""]').innerText(), 'Toutes', 'toutes les actions');
    await p.fill('#f-du', '2025-02-01');
    await p.fill('#f-au', '2025-02-28');
    await Promise.all([p.waitForURL(/[?&]du=2025-02-01&au=2025-02-28/), p.click('main form[role=search] button[type=submit]')]);
    assert.equal(await p.locator('main .result-count').innerText(), '1 entrée');
    assert.deepEqual(await p.locator('main tbody time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime'))), ['2025-02-14T10:00:00.000Z']);
    assert.equal(await p.inputValue('#f-du'), '2025-02-01', 'the picker keeps the chosen day');
    await expectNoAxeViolations(p);

    /** Lines an error message takes under its field (the filter bar grows by that much). */
    const lines = (selector: string) => p.locator(selector).evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));

    await p.fill('#f-du', '2025-03-31');
    await Promise.all([p.waitForURL(/[?&]du=2025-03-31&au=2025-02-28/), p.click('main form[role=search] button[type=submit]')]);
    await p.locator('.error-summary').waitFor();
    const order = '«\u00a0Au\u00a0» doit être le même jour que «\u00a0Du\u00a0» ou après.';
    assert.deepEqual(await p.locator('.error-summary a').allInnerTexts(), [order]);
    assert.equal(await p.getAttribute('#f-au', 'aria-invalid'), 'true');
    assert.equal(await p.inputValue('#f-du'), '2025-03-31', 'both days stay chosen');
    assert.equal(await p.inputValue('#f-au'), '2025-02-28');
    assert.ok((await lines('#f-au-error')) <= 3, 'at 1280 px the message under « Au » keeps the filter bar short');
    assert.equal(await p.locator('main table').count(), 0, 'no entry shown, the unfiltered list would mislead');
    assert.equal(await p.locator('main .result-count').innerText(), 'Aucune entrée affichée : corrigez la période («\u00a0Du\u00a0», «\u00a0Au\u00a0»).');
    await expectNoAxeViolations(p);

    await visit(p, '/admin/journal?du=31%2F01%2F2025&au=2025-02-30', 400);
    assert.deepEqual(
      await p.locator('.error-summary a').allInnerTexts(),
      ['«\u00a031/01/2025\u00a0» n’est pas une date : choisissez un jour.', '«\u00a02025-02-30\u00a0» n’est pas une date : choisissez un jour.'],
      'what was typed is quoted (the picker cannot show it), in the order of the fields',
    );
    assert.equal(await p.inputValue('#f-du'), '');
    assert.ok((await lines('#f-du-error')) <= 3 && (await lines('#f-au-error')) <= 3, 'short messages');
    assert.equal(await p.locator('main table').count(), 0);
    await expectNoAxeViolations(p);
  });

  test('on a phone the back-office menu waits behind a disclosure button opened with the keyboard; on a desktop its links show at once', async () => {
    const p = await freshPage(375);
    await signIn(p, ADMIN.email, ADMIN.password);
    await visit(p, '/admin/comptes');
    const menu = 'nav[aria-label="Menu de l’administration"]';
    assert.equal(await p.locator(`${menu} a[href="/admin/journal"]`).isVisible(), false, 'closed at first');
    const header = await p.evaluate(() => document.querySelector('.site-header')!.getBoundingClientRect().height);
    assert.ok(header < 250, `the header leaves room for the page (${header} px)`);
    await expectNoAxeViolations(p);
    const toggle = `${menu} button[aria-controls="main-nav-list"]`;
    assert.equal(await p.getAttribute(toggle, 'aria-expanded'), 'false');
    assert.equal(await p.locator(`${menu} #main-nav-list a[href="/admin/journal"]`).count(), 1, 'the button controls the list of links');
    await p.focus(toggle);
    await p.keyboard.press('Enter');
    assert.ok(await p.locator(`${menu} a[href="/admin/journal"]`).isVisible(), 'Enter opens it');
    assert.equal(await p.getAttribute(toggle, 'aria-expanded'), 'true', 'and says so');
    await p.keyboard.press('Tab');
    const first = await p.evaluate(() => {
      const link = document.activeElement;
      return link?.tagName === 'A' && link === link.closest('ul')?.querySelector('a') && link.closest('nav')?.getAttribute('aria-label');
    });
    assert.equal(first, 'Menu de l’administration', 'Tab goes on to its first link');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(e2e.url('/admin/journal')), p.click(`${menu} a[href="/admin/journal"]`)]);
    assert.equal(await p.getAttribute(`${menu} a[href="/admin/journal"]`, 'aria-current'), 'page');

    await p.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await p.locator(toggle).isVisible(), false, 'no disclosure on a wide screen');
    assert.ok(await p.locator(`${menu} a[href="/admin/comptes"]`).isVisible());

    // Without script the button never shows and the list does, on a phone too.
    await p.setViewportSize({ width: 375, height: 800 });
    await p.route('**/assets/site.js', (route) => route.abort());
    await visit(p, '/admin/comptes');
    assert.equal(await p.locator(toggle).isVisible(), false, 'no button that could not work');
    assert.ok(await p.locator(`${menu} a[href="/admin/journal"]`).isVisible(), 'the links show');
    await p.unroute('**/assets/site.js');
  });

  test('on a phone the public menu waits behind a disclosure button too, so the page starts near the top; on a desktop its links show', async () => {
    const p = await freshPage(375);
    await visit(p, '/');
    const menu = 'nav[aria-label="Menu principal"]';
    const toggle = `${menu} button[aria-controls="main-nav-list"]`;
    assert.equal(await p.locator(`${menu} a[href="/annuaire"]`).isVisible(), false, 'closed at first');
    const header = await p.evaluate(() => document.querySelector('.site-header')!.getBoundingClientRect().height);
    assert.ok(header < 250, `the header leaves room for the page (${header} px, 390 with the links shown)`);
    assert.equal(await p.getAttribute(toggle, 'aria-expanded'), 'false');
    await expectNoAxeViolations(p);
    await screenshot(p, 'public-menu-closed-375');
    await p.focus(toggle);
    await p.keyboard.press('Enter');
    assert.equal(await p.getAttribute(toggle, 'aria-expanded'), 'true', 'Enter opens it, and it says so');
    assert.ok(await p.locator(`${menu} #main-nav-list a[href="/annuaire"]`).isVisible(), 'the links it controls show');
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('href')), '/', 'Tab goes on to its first link');
    await expectNoAxeViolations(p);
    await screenshot(p, 'public-menu-open-375');
    await p.keyboard.press('Escape');
    assert.equal(await p.locator(`${menu} a[href="/annuaire"]`).isVisible(), false, 'Escape from a link closes it');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('aria-controls')), 'main-nav-list', 'and puts focus back on the button');
    await p.keyboard.press('Enter');
    assert.ok(await p.locator(`${menu} a[href="/annuaire"]`).isVisible(), 'Enter opens it again');
    await p.keyboard.press('Space');
    assert.equal(await p.locator(`${menu} a[href="/annuaire"]`).isVisible(), false, 'Space closes it');

    await p.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await p.locator(toggle).isVisible(), false, 'no disclosure on a wide screen');
    assert.ok(await p.locator(`${menu} a[href="/annuaire"]`).isVisible());

    // Without script the button never shows and the list does, on a phone too.
    await p.setViewportSize({ width: 375, height: 800 });
    await p.route('**/assets/site.js', (route) => route.abort());
    await visit(p, '/');
    assert.equal(await p.locator(toggle).isVisible(), false, 'no button that could not work');
    assert.ok(await p.locator(`${menu} a[href="/annuaire"]`).isVisible(), 'the links show');
    await p.unroute('**/assets/site.js');
  });

  /** Every page of the foundation, as a visitor, a member then an admin; screenshots of a few. */
  async function everyPage(width: number, check: (p: Page, url: string) => Promise<void>) {
    const p = await freshPage(width);
    const shoot = async (name: string) => {
      if (width !== 375 && width !== 1280) return;
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    };
    for (const url of PUBLIC_PAGES) {
      await visit(p, url);
      await check(p, url);
      if (url === '/') await shoot('home');
      if (url === '/connexion') await shoot('sign-in');
    }
    await visit(p, '/cette-page-n-existe-pas', 404);
    await check(p, '404');

    await signIn(p, 'awa.diallo@example.org', MEMBER_PASSWORD);
    for (const url of MEMBER_PAGES) {
      await visit(p, url);
      await check(p, url);
      if (url === '/mon-espace') await shoot('member-home');
    }
    await signOut(p);

    await signIn(p, ADMIN.email, ADMIN.password);
    for (const url of [...ADMIN_PAGES, `/admin/comptes/${memberId}`, `/admin/comptes/${memberId}/effacer`]) {
      await visit(p, url);
      await check(p, url);
      if (url === '/admin') await shoot('admin');
      if (url === '/admin/comptes') await shoot('admin-accounts');
    }
  }

  test('every page of the foundation has no axe violation on a desktop screen', async () => {
    await everyPage(1280, (p) => expectNoAxeViolations(p));
  });

  test('every page of the foundation has no axe violation on a phone screen', async () => {
    await everyPage(375, (p) => expectNoAxeViolations(p));
  });

  test('no page of the foundation scrolls sideways at 320 px wide', async () => {
    await everyPage(320, (p) => expectNoHorizontalScroll(p, 320));
  });
});
