import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.redaction@example.org', password: 'Actualités du réseau 2026 !', displayName: 'Camille Rédaction' };
const ALT = 'Des jeunes volontaires plantent des arbres au Sénégal';

describeWithBrowser('news: staff publish an article with an image, visitors read it', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff write and publish an article with an uploaded image; a visitor sees it on /actualites with its alternative text', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/actualites');
    await expectNoAxeViolations(p);
    await visit(p, '/admin/actualites/nouveau');
    await expectNoAxeViolations(p);

    await p.fill('#f-title', 'Chantier de reboisement à Thiès');
    await p.fill('#f-summary', 'Vingt volontaires de la région ont planté mille arbres en deux semaines.');
    await p.fill('#f-body', 'Le chantier a réuni des jeunes de Gironde et de Thiès.\n\nIl se poursuivra l’an prochain.');
    const image = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#2f7d32' } }).jpeg().toBuffer();
    await p.setInputFiles('#f-image_file', { name: 'reboisement.jpg', mimeType: 'image/jpeg', buffer: image });
    await p.fill('#f-image_alt', ALT);
    await p.check('#f-themes-environment_climate');
    await Promise.all([p.waitForURL(/\/admin\/actualites\/[0-9a-f-]{36}$/), p.click('button[name="intent"][value="publish"]')]);
    assert.match(await p.locator('main').innerText(), /Article « Chantier de reboisement à Thiès » publié/);
    // The edit page shows the stored image to staff.
    assert.equal(await p.locator('figure.org-logo-preview img').count(), 1);
    await expectNoAxeViolations(p);

    const visitor = await freshPage();
    await visit(visitor, '/actualites');
    const card = visitor.locator('.news-card', { hasText: 'Chantier de reboisement à Thiès' });
    assert.equal(await card.count(), 1);
    assert.equal(await card.locator('img').getAttribute('alt'), ALT);
    const loaded = await card.locator('img').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    assert.ok(loaded > 0 && loaded <= 1200, 'the resized image loads');
    await expectNoAxeViolations(visitor);

    await Promise.all([visitor.waitForURL(/\/actualites\/chantier-de-reboisement-a-thies$/), card.locator('a').first().click()]);
    assert.equal(await visitor.locator('h1').innerText(), 'Chantier de reboisement à Thiès');
    assert.equal(await visitor.locator('figure.news-image img').getAttribute('alt'), ALT);
    assert.match(await visitor.locator('.news-article').innerText(), /Il se poursuivra l’an prochain/);
    assert.match(String(await visitor.locator('meta[property="og:image"]').getAttribute('content')), /\/media\/actualites\/[0-9a-f-]{36}\/image\?v=/);
    await expectNoAxeViolations(visitor);
  });

  test('Enter in the new article form saves a draft, never publishes', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/actualites/nouveau');
    await p.fill('#f-title', 'Compte rendu du conseil d’administration');
    await Promise.all([p.waitForURL(/\/admin\/actualites\/[0-9a-f-]{36}$/), p.press('#f-title', 'Enter')]);
    assert.match(await p.locator('main').innerText(), /Brouillon « Compte rendu du conseil d’administration » enregistré/);
    const row = await e2e.live.kernel.db.selectFrom('news_articles').select('status').where('title', '=', 'Compte rendu du conseil d’administration').executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    const visitor = await freshPage();
    await visit(visitor, '/actualites');
    assert.doesNotMatch(await visitor.locator('main').innerText(), /Compte rendu du conseil/);
  });

  test('staff publish a page in the header menu; a visitor finds it there', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/pages');
    await expectNoAxeViolations(p);
    await visit(p, '/admin/pages/nouveau');
    await expectNoAxeViolations(p);
    await p.fill('#f-title', 'À propos du réseau');
    await p.fill('#f-body', 'Le réseau rassemble les acteurs de la coopération internationale.');
    await p.selectOption('#f-status', 'published');
    await p.selectOption('#f-menu', 'header');
    await p.fill('#f-menu_label', 'À propos');
    await Promise.all([p.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}$/), p.click('main form button[type=submit]')]);

    const visitor = await freshPage();
    await visit(visitor, '/');
    await Promise.all([visitor.waitForURL(/\/pages\/a-propos-du-reseau$/), visitor.click('nav[aria-label="Menu principal"] >> text=À propos')]);
    assert.equal(await visitor.locator('h1').innerText(), 'À propos du réseau');
    await expectNoAxeViolations(visitor);
  });
});
