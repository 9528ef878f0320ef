import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { seedWatchItems } from '../helpers/watch-items.js';

const STAFF = { email: 'lea.veille@example.org', password: 'Veille du réseau 2026 !', displayName: 'Léa Veille' };
const ITEMS = [
  ['01900000-0000-7000-8000-0000000000c1', 'Appel à projets « Jeunesse IV »', '2026-11-20T10:00:00.000Z'],
  ['01900000-0000-7000-8000-0000000000c2', 'Télé-déclaration de l’APD 2026', '2026-11-19T10:00:00.000Z'],
  ['01900000-0000-7000-8000-0000000000c3', 'Festival ALIMENTERRE', '2026-11-18T10:00:00.000Z'],
] as const;

describeWithBrowser('the watch inbox in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      await seedWatchItems(live.kernel.db, ITEMS, 'new');
    },
  });
  const { freshPage, visit, signIn } = e2e;
  const statusOf = async (id: string) => (await e2e.live.kernel.db.selectFrom('watch_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  test('staff triage the inbox by click and by keyboard; a visitor finds the kept item', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/veille');
    await p.waitForSelector('#watch-keys:not([hidden])');
    await expectNoAxeViolations(p);
    // The watch's sections and the inbox's statuses are two bars: the current section is underlined,
    // the current status a filled pill, so the two don't read as one list.
    const look = (nav: string) =>
      p.locator(`nav[aria-label="${nav}"] a[aria-current="page"]`).evaluate((a) => {
        const style = getComputedStyle(a);
        return { filled: style.backgroundColor !== 'rgba(0, 0, 0, 0)', underline: style.borderBottomWidth };
      });
    assert.deepEqual(await look('Rubriques de la veille'), { filled: false, underline: '4px' });
    assert.equal((await look(await p.locator('nav.tab-nav').nth(1).getAttribute('aria-label') ?? '')).filled, true);

    // One click: kept without leaving the page.
    await p.click(`[data-item="${ITEMS[0][0]}"] button[data-action="keep"]`);
    await p.waitForSelector(`[data-item="${ITEMS[0][0]}"]`, { state: 'detached' });
    assert.equal(await statusOf(ITEMS[0][0]), 'kept');
    assert.match(await p.locator('#watch-live').innerText(), /Élément gardé/);
    // The counts follow without a reload.
    const counts = () => p.evaluate(() => Array.from(document.querySelectorAll('main nav[aria-label="Éléments par état"] a'), (a) => a.textContent).join(' | ') + ' — ' + document.getElementById('watch-count')?.textContent);
    assert.equal(await counts(), 'Nouveaux (2) | Gardés (1) | Ignorés (0) | Tous (3) — 2 éléments');

    // By keyboard: focus moved to the next item; "i" ignores it, then "g" keeps the last one.
    const focused = await p.evaluate(() => document.activeElement?.getAttribute('data-item'));
    assert.equal(focused, ITEMS[1][0]);
    await p.keyboard.press('i');
    await p.waitForSelector(`[data-item="${ITEMS[1][0]}"]`, { state: 'detached' });
    assert.equal(await statusOf(ITEMS[1][0]), 'ignored');
    assert.equal(await counts(), 'Nouveaux (1) | Gardés (1) | Ignorés (1) | Tous (3) — 1 élément');
    await p.keyboard.press('g');
    await p.waitForSelector(`[data-item="${ITEMS[2][0]}"]`, { state: 'detached' });
    assert.equal(await statusOf(ITEMS[2][0]), 'kept');
    assert.equal(await counts(), 'Nouveaux (0) | Gardés (2) | Ignorés (1) | Tous (3) — 0 élément');
    await expectNoAxeViolations(p);

    // Tag page.
    await visit(p, `/admin/veille/elements/${ITEMS[0][0]}`);
    await expectNoAxeViolations(p);
    await visit(p, '/admin/veille/sources');
    await expectNoAxeViolations(p);
    await visit(p, '/admin/veille/regles');
    await expectNoAxeViolations(p);

    const visitor = await freshPage();
    await visit(visitor, '/veille?q=jeunesse');
    const main = await visitor.locator('main').innerText();
    assert.match(main, /Jeunesse IV/);
    assert.doesNotMatch(main, /APD 2026/);
    assert.equal(await visitor.locator('#f-country option').first().innerText(), 'Tous');
    await expectNoAxeViolations(visitor);
  });
  test('an item made into a call links to it; promoting it again warns first, focused, and lets staff go on', async () => {
    const [itemId] = ITEMS[1];
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/veille/elements/${itemId}`);
    await p.getByRole('button', { name: 'En faire un appel à projets' }).click();
    await p.waitForURL(/\/admin\/appels-a-projets\/nouveau\?veille=/);
    await p.fill('#f-funder', 'Ministère des affaires étrangères');
    await p.fill('#f-closes_on', '2027-03-31');
    await p.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await p.waitForURL(/\/admin\/appels-a-projets\/[0-9a-f-]{36}$/);
    const callId = new URL(p.url()).pathname.split('/').pop()!;
    assert.equal(await statusOf(itemId), 'kept', 'the draft is enough to keep the item');

    await visit(p, `/admin/veille/elements/${itemId}`);
    const became = p.getByRole('region', { name: 'Ce que cet élément est devenu' });
    assert.equal(await became.getByRole('link').getAttribute('href'), `/admin/appels-a-projets/${callId}`);
    assert.match(await became.innerText(), /Appel à projets «\s*Télé-déclaration de l’APD 2026\s*» \(brouillon\)/);
    await expectNoAxeViolations(p);

    // Again: nothing is created; the warning takes the focus and names the call.
    await p.getByRole('button', { name: 'En faire un appel à projets' }).click();
    await p.waitForSelector('#promote-again');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'promote-again');
    assert.match(new URL(p.url()).pathname, /\/promouvoir\/call$/);
    assert.equal(await p.locator('#promote-again').getByRole('link').getAttribute('href'), `/admin/appels-a-projets/${callId}`);
    await expectNoAxeViolations(p);
    await p.getByRole('button', { name: 'Créer quand même un autre appel à projets' }).click();
    await p.waitForURL(/\/admin\/appels-a-projets\/nouveau\?veille=/);
  });
});
