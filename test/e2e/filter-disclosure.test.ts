import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { seedDemo } from '../../src/setup/demo-seed.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { seedWatchItems, WATCH_SOURCE_ID } from '../helpers/watch-items.js';

const ADMIN = { email: 'admin@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Admin' };

/** The lists whose filters fold on a phone: the first result's selector, and the search field inside the filters. */
const LISTS = [
  { path: '/annuaire', first: '.org-list > li', search: '#directory-q' },
  { path: '/admin/organisations', first: 'main table tbody tr', search: '#f-q' },
  { path: '/admin/contacts', first: 'main table tbody tr', search: '#f-q' },
  { path: '/agenda', first: '.event-list > li', search: '#f-agenda-q' },
  { path: '/appels-a-projets', first: '.call-list > li', search: '#f-q' },
  { path: '/admin/appels-a-projets', first: 'main table tbody tr', search: '#f-q' },
  { path: '/ressources', first: '.search-hits > li', search: '#f-q' },
  { path: '/actualites', first: '.news-list > li', search: '#f-theme' },
  { path: '/admin/agenda', first: 'main table tbody tr', search: '#f-q' },
  { path: '/admin/actualites', first: 'main table tbody tr', search: '#f-q' },
  { path: '/admin/ressources', first: 'main table tbody tr', search: '#f-q' },
  { path: '/admin/veille', first: '.watch-inbox > li', search: '#f-source' },
  // The map is the result: it shows on the first screen, the filters fold, not the map.
  { path: '/carte', first: '#carte', search: '#f-q' },
];
/** Items for the watch inbox (the demo records have none). */
const WATCH_ITEMS = [
  ['01900000-0000-7000-8000-0000000000d1', 'Appel à projets « Jeunesse IV »', '2026-11-20T10:00:00.000Z'],
  ['01900000-0000-7000-8000-0000000000d2', 'Télé-déclaration de l’APD 2026', '2026-11-19T10:00:00.000Z'],
] as const;
const SCREEN = 800;

/** Where the page's first result starts, from the top of the page (CSS pixels). */
async function firstResultTop(p: Page, selector: string): Promise<number> {
  const top = await p.evaluate((s) => {
    const el = document.querySelector(s);
    return el ? el.getBoundingClientRect().top + window.scrollY : null;
  }, selector);
  assert.ok(top !== null, `${p.url()} : aucun résultat (${selector})`);
  return top;
}

async function disclosure(p: Page): Promise<{ open: boolean; summary: string; summaryShown: boolean }> {
  return p.evaluate(() => {
    const details = document.querySelector('main details.filter-disclosure');
    if (!(details instanceof HTMLDetailsElement)) throw new Error('no « Filtres » disclosure');
    const summary = details.querySelector('summary')!;
    const label = summary.querySelector('.filter-disclosure-label') as HTMLElement;
    return { open: details.open, summary: label.innerText.trim(), summaryShown: summary.getBoundingClientRect().height > 0 };
  });
}

/** What the folded « Filtres » says is set, under its count ('' when nothing, or when open and hidden). */
async function shownValues(p: Page): Promise<string> {
  return p.evaluate(() => {
    const values = document.querySelector('main details.filter-disclosure > summary .filter-disclosure-values');
    return values instanceof HTMLElement ? values.innerText.trim() : '';
  });
}

describeWithBrowser('list filters behind « Filtres » on a phone', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...ADMIN, role: 'admin' });
      await seedDemo(live.kernel);
      await seedWatchItems(live.kernel.db, WATCH_ITEMS, 'new');
    },
  });

  test('at 375 px the filters fold behind « Filtres » and the first result shows on the first screen', async () => {
    const p = await e2e.freshPage(375);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    for (const list of LISTS) {
      await e2e.visit(p, list.path);
      assert.deepEqual(await disclosure(p), { open: false, summary: 'Filtres', summaryShown: true }, list.path);
      assert.equal(await p.isVisible(list.search), false, `${list.path} : the filters are folded`);
      const top = await firstResultTop(p, list.first);
      assert.ok(top < SCREEN, `${list.path} : the first result starts at ${Math.round(top)} px, below the first screen`);
      await expectNoHorizontalScroll(p, 375);
      await expectNoAxeViolations(p);
    }
  });

  test('at 375 px « Filtres » opens by keyboard and shows the search field', async () => {
    const p = await e2e.freshPage(375);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    for (const list of LISTS.slice(0, 2)) {
      await e2e.visit(p, list.path);
      await p.focus('main details.filter-disclosure > summary');
      await p.keyboard.press('Enter');
      assert.equal((await disclosure(p)).open, true, list.path);
      assert.equal(await p.isVisible(list.search), true, `${list.path} : the search field shows`);
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.id), list.search.slice(1), `${list.path} : the search field comes next by keyboard`);
      await expectNoAxeViolations(p);
      // Enter again folds them.
      await p.focus('main details.filter-disclosure > summary');
      await p.keyboard.press('Enter');
      assert.equal(await p.isVisible(list.search), false, `${list.path} : folded again`);
    }
  });

  test('at 360 px a list with filters set keeps them folded, says how many and which, and shows its results on the first screen', async () => {
    const p = await e2e.freshPage(360);
    // The walk's pages (the results were 1,450 to 2,160 px down), then lists of each kind.
    const FILTERED: Array<{ path: string; first: string; count: string; values: RegExp }> = [
      { path: '/annuaire?q=eau', first: '.org-list > li', count: 'Filtres (1 actif)', values: /^«\u00a0eau\u00a0»$/ },
      { path: '/annuaire?famille=association&departement=33', first: '.org-list > li', count: 'Filtres (2 actifs)', values: /^Association, 33 – Gironde$/ },
      { path: '/agenda?theme=water_sanitation', first: '.event-list > li', count: 'Filtres (1 actif)', values: /^Eau/ },
      { path: '/appels-a-projets?statut=bientot', first: '.call-list > li', count: 'Filtres (1 actif)', values: /^Ferment dans les 14 jours/ },
      { path: '/appels-a-projets?region=75&q=solidarit%C3%A9', first: '.call-list > li', count: 'Filtres (2 actifs)', values: /^«\u00a0solidarité\u00a0», Nouvelle-Aquitaine$/ },
      { path: '/ressources?q=eau', first: '.search-hits > li', count: 'Filtres (1 actif)', values: /^«\u00a0eau\u00a0»$/ },
    ];
    for (const list of FILTERED) {
      await e2e.visit(p, list.path);
      assert.deepEqual(await disclosure(p), { open: false, summary: list.count, summaryShown: true }, list.path);
      assert.match(await shownValues(p), list.values, list.path);
      const top = await firstResultTop(p, list.first);
      assert.ok(top < SCREEN, `${list.path} : the first result starts at ${Math.round(top)} px, below the first screen`);
      await expectNoHorizontalScroll(p, 360);
      await expectNoAxeViolations(p);
    }
    // One tap opens them, the values set in their fields; the summary no longer repeats them.
    await e2e.visit(p, '/annuaire?famille=association&q=solidarit%C3%A9');
    assert.deepEqual(await disclosure(p), { open: false, summary: 'Filtres (2 actifs)', summaryShown: true });
    await p.click('main details.filter-disclosure > summary');
    assert.equal(await p.inputValue('#directory-q'), 'solidarité');
    assert.equal(await p.isVisible('main details.filter-disclosure > summary .filter-disclosure-values'), false);
    await expectNoAxeViolations(p);
    // Without a filter, nothing is named.
    await e2e.visit(p, '/appels-a-projets');
    assert.equal(await shownValues(p), '');
  });

  test('at 375 px back-office lists and the map keep their filters folded too, the count and values in the summary', async () => {
    const p = await e2e.freshPage(375);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    const FILTERED: Array<{ path: string; count: string; values: RegExp; field: [string, string] }> = [
      { path: '/admin/organisations?adherent=oui', count: 'Filtres (1 actif)', values: /^Adhérent$/, field: ['#f-q', ''] },
      // A choice other than the list's default filters it too: past events, the whole inbox.
      { path: '/admin/agenda?periode=past', count: 'Filtres (1 actif)', values: /^Passés$/, field: ['#f-periode', 'past'] },
      { path: `/admin/veille?statut=all&source=${WATCH_SOURCE_ID}`, count: 'Filtres (1 actif)', values: /^Ministère/, field: ['#f-source', WATCH_SOURCE_ID] },
      { path: '/admin/ressources?statut=draft&q=eau', count: 'Filtres (2 actifs)', values: /^«\u00a0eau\u00a0», Brouillon$/, field: ['#f-q', 'eau'] },
      { path: '/carte?famille=association', count: 'Filtres (1 actif)', values: /^Association$/, field: ['#f-famille', 'association'] },
    ];
    for (const list of FILTERED) {
      await e2e.visit(p, list.path);
      assert.deepEqual(await disclosure(p), { open: false, summary: list.count, summaryShown: true }, list.path);
      assert.match(await shownValues(p), list.values, list.path);
      assert.equal(await p.inputValue(list.field[0]), list.field[1], list.path);
      await expectNoAxeViolations(p);
    }
    // The map stays in view under its folded filters.
    assert.equal(await p.isVisible('#carte'), true);

    // The directory updates in place: ticking a filter updates the count on « Filtres », and folded, it names the filter.
    await e2e.visit(p, '/annuaire');
    await p.focus('main details.filter-disclosure > summary');
    await p.keyboard.press('Enter');
    await p.check('#directory-facets input[name=famille] >> nth=0');
    await p.waitForFunction(() => document.getElementById('directory-filter-label')?.textContent === 'Filtres (1 actif)');
    const ticked = await p.evaluate(() => {
      const box = document.querySelector('#directory-facets input[name=famille]:checked') as HTMLInputElement;
      return document.querySelector(`label[for="${box.id}"]`)!.textContent!.replace(/\s*\(.*\)\s*$/, '').trim();
    });
    await p.click('main details.filter-disclosure > summary');
    assert.equal((await disclosure(p)).open, false);
    assert.equal(await shownValues(p), ticked);
  });

  test('at 390 px the watch inbox shows how many items wait in each state above the folded « Filtres »', async () => {
    const p = await e2e.freshPage(390);
    await p.setViewportSize({ width: 390, height: 844 });
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    const states = async () => {
      const links = p.getByRole('navigation', { name: 'Éléments par état' }).getByRole('link');
      const shown = await links.evaluateAll((all) =>
        all.map((a) => {
          const box = a.getBoundingClientRect();
          return `${(a as HTMLElement).innerText}${a.getAttribute('aria-current') === 'page' ? ' ✓' : ''}${box.height > 0 && box.bottom <= window.innerHeight ? '' : ' (caché)'}`;
        }),
      );
      return shown.join(' | ');
    };
    await e2e.visit(p, '/admin/veille');
    // The filters fold; the counts by state stay on the first screen, the current one marked.
    assert.deepEqual(await disclosure(p), { open: false, summary: 'Filtres', summaryShown: true });
    assert.equal(await states(), 'Nouveaux (2) ✓ | Gardés (0) | Ignorés (0) | Tous (2)');
    await expectNoAxeViolations(p);
    // A state is one tap away, and choosing one opens no fold: it is no filter hidden in « Filtres ».
    await Promise.all([p.waitForURL((u) => u.searchParams.get('statut') === 'all'), p.getByRole('link', { name: 'Tous (2)' }).click()]);
    assert.equal(await states(), 'Nouveaux (2) | Gardés (0) | Ignorés (0) | Tous (2) ✓');
    assert.equal((await disclosure(p)).open, false);
    // The source, chosen behind « Filtres », keeps the state chosen above it.
    await p.click('main details.filter-disclosure > summary');
    await p.selectOption('#f-source', WATCH_SOURCE_ID);
    await Promise.all([p.waitForURL((u) => u.searchParams.get('source') === WATCH_SOURCE_ID), p.click('main .watch-filter button[type=submit]')]);
    assert.equal(new URL(p.url()).searchParams.get('statut'), 'all');
    assert.equal(await states(), 'Nouveaux (2) | Gardés (0) | Ignorés (0) | Tous (2) ✓');
    await expectNoAxeViolations(p);
  });

  test('on a tablet (768 to 895 px) the directory folds its filters as on a phone, up to where they stand beside the results', async () => {
    const p = await e2e.freshPage(800);
    for (const width of [768, 800, 895]) {
      await p.setViewportSize({ width, height: SCREEN });
      await e2e.visit(p, '/annuaire');
      assert.deepEqual(await disclosure(p), { open: false, summary: 'Filtres', summaryShown: true }, `${width} px`);
      assert.equal(await p.isVisible('#directory-q'), false, `${width} px : the filters are folded`);
      const top = await firstResultTop(p, '.org-list > li');
      assert.ok(top < SCREEN, `${width} px : the first result starts at ${Math.round(top)} px, below the first screen`);
      await expectNoHorizontalScroll(p, width);
    }
    await expectNoAxeViolations(p);
    // « Filtres » opens them there.
    await p.click('main details.filter-disclosure > summary');
    assert.equal(await p.isVisible('#directory-q'), true);
    await expectNoAxeViolations(p);
    // From 896 px the filters stand beside the results, shown without a click.
    await p.setViewportSize({ width: 896, height: SCREEN });
    await e2e.visit(p, '/annuaire');
    assert.deepEqual(await disclosure(p), { open: true, summary: 'Filtres', summaryShown: false });
    const beside = await p.evaluate(() => {
      const filters = document.getElementById('directory-form')!.getBoundingClientRect();
      const results = document.querySelector('.org-list > li')!.getBoundingClientRect();
      return filters.right <= results.left && results.top < filters.bottom;
    });
    assert.equal(beside, true, 'at 896 px the filters stand beside the results');
    // Folded on a tablet, then widened past 895 px: they show again beside the results.
    await p.setViewportSize({ width: 800, height: SCREEN });
    await e2e.visit(p, '/annuaire');
    assert.equal((await disclosure(p)).open, false);
    await p.setViewportSize({ width: 896, height: SCREEN });
    await p.waitForFunction(() => (document.querySelector('main details.filter-disclosure') as HTMLDetailsElement).open);
    assert.equal(await p.isVisible('#directory-q'), true);
  });

  test('at 375 px the map, its list link and its list stay in reach, the filters folded', async () => {
    const p = await e2e.freshPage(375);
    await e2e.visit(p, '/carte');
    assert.equal((await disclosure(p)).open, false);
    // The way to the same actors as a list is on the first screen, above the map.
    const link = await firstResultTop(p, 'main .map-list-link');
    assert.ok(link < SCREEN, `the list link starts at ${Math.round(link)} px, below the first screen`);
    // The map draws its markers (it was laid out folded), and its skip link leads to the list.
    await p.waitForSelector('#carte .leaflet-marker-icon');
    await p.focus('main .skip-map');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => location.hash === '#liste');
    assert.ok((await p.locator('#liste .map-results > li').count()) > 0);
  });

  test('at 375 px without JavaScript the filters stay open, as before', async () => {
    const p = await e2e.freshPage(375);
    await p.route('**/assets/filter-disclosure.js', (route) => route.abort());
    await e2e.visit(p, '/annuaire');
    assert.deepEqual(await disclosure(p), { open: true, summary: 'Filtres', summaryShown: true });
    assert.equal(await p.isVisible('#directory-q'), true);
  });

  test('at 1280 px the filters show without a click, and no « Filtres » button', async () => {
    const p = await e2e.freshPage(1280);
    await e2e.signIn(p, ADMIN.email, ADMIN.password);
    for (const list of LISTS.slice(0, 2)) {
      await e2e.visit(p, list.path);
      assert.deepEqual(await disclosure(p), { open: true, summary: 'Filtres', summaryShown: false }, list.path);
      assert.equal(await p.isVisible(list.search), true, `${list.path} : the filters show`);
      await expectNoAxeViolations(p);
    }
    // Folded on a phone, then widened (a tablet turned): the filters show again.
    await p.setViewportSize({ width: 375, height: SCREEN });
    await e2e.visit(p, '/annuaire');
    assert.equal((await disclosure(p)).open, false);
    await p.setViewportSize({ width: 1280, height: SCREEN });
    await p.waitForFunction(() => (document.querySelector('main details.filter-disclosure') as HTMLDetailsElement).open);
    assert.equal(await p.isVisible('#directory-q'), true);
  });
});
