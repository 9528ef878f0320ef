import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/kernel/clock.js';
import { setPosition } from '../../src/modules/map/repo.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, launchBrowser, type LiveApp, startLiveApp, type TestBrowser } from '../helpers/browser.js';

/** A port nothing listens on: every tile request fails, as offline. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

describeWithBrowser('the map in a real browser', () => {
  let live: LiveApp;
  let browser: TestBrowser;
  let page: Page | undefined;

  before(async () => {
    const port = await closedPort();
    live = await startLiveApp({ TILE_URL: `http://127.0.0.1:${port}/{z}/{x}/{y}.png` });
    browser = await launchBrowser();
    const codes = taxonomyCodes(await taxonomies(live.kernel.db));
    const add = async (raw: Record<string, unknown>, at: [number, number]) => {
      const result = validateOrganisation(raw, codes, { currentYear: 2026 });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const o = await createOrganisation({ db: live.kernel.db, clock: systemClock }, { id: null, email: null }, result.draft);
      await setPosition(live.kernel.db, o.id, { latitude: at[0], longitude: at[1], precision: 'address' });
    };
    for (let i = 0; i < 40; i++) {
      await add(
        { name: `Solidarité Gironde ${String(i).padStart(2, '0')}`, kind_code: 'association', commune: '33063', postcode: '33000', countries: [i % 2 ? 'SN' : 'ML'] },
        [44.83 + (i % 8) * 0.003, -0.6 + Math.floor(i / 8) * 0.006],
      );
    }
    await add({ name: 'Limousin Burkina', kind_code: 'association', commune: '87085', countries: ['BF'] }, [45.8336, 1.2611]);
    await add({ name: 'Pau Madagascar', kind_code: 'association', commune: '64445', countries: ['MG'] }, [43.2951, -0.3708]);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await live?.close();
  });

  test('/carte shows clusters without tiles, zooms in to points, opens a popup, switches to the world view, and leads to the list', async () => {
    page = await browser.newPage();
    const p = page;
    const res = await p.goto(`${live.baseUrl}/carte`);
    assert.equal(res?.status(), 200);

    // Markers are DOM elements: they appear although no tile can load.
    await p.locator('#carte .map-cluster').first().waitFor();
    const clusterCount = await p.locator('#carte .map-cluster').count();
    assert.ok(clusterCount >= 1, 'at least one cluster');
    const shown = Number(await p.getAttribute('#carte', 'data-shown'));
    assert.equal(shown, 42, 'every located organisation is counted on the map');
    assert.equal(await p.locator('#carte img.leaflet-tile-loaded').count(), 0, 'no tile loaded');
    // Country outlines are drawn under the markers, so the map keeps its bearings offline.
    await p.waitForFunction(() => Array.from(document.querySelectorAll('#carte .leaflet-outlines-pane path')).some((e) => e.getAttribute('d') !== 'M0 0'));
    await p.screenshot({ path: '.tmp/screenshots/carte-sans-tuiles.png' });
    await expectNoAxeViolations(p);

    // Zoom in by keyboard: focus the biggest cluster and press Enter until single points show.
    const gironde = '#carte .map-point[title^="Solidarité Gironde"]';
    for (let round = 0; round < 8 && (await p.locator(gironde).count()) === 0; round++) {
      const cluster = p.locator('#carte .map-cluster').first();
      const zoomBefore = await p.getAttribute('#carte', 'data-zoom');
      await cluster.focus();
      assert.equal(await cluster.getAttribute('role'), 'button');
      assert.match(String(await cluster.getAttribute('aria-label')), /acteurs ici/);
      await p.keyboard.press('Enter');
      await p.waitForFunction((z) => document.querySelector('#carte')?.getAttribute('data-zoom') !== z, zoomBefore);
    }
    const point = p.locator(gironde).first();
    await point.waitFor();
    const name = String(await point.getAttribute('title'));
    assert.match(name, /^Solidarité Gironde \d\d$/);

    // Open a popup by keyboard: the link to the page gets the focus.
    await point.focus();
    await p.keyboard.press('Enter');
    const link = p.locator('.leaflet-popup a[href^="/acteurs/"]');
    await link.waitFor();
    assert.equal(await link.innerText(), name);
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('href')?.startsWith('/acteurs/')), true, 'focus is on the link');
    assert.equal(await p.getAttribute('.leaflet-popup-close-button', 'aria-label'), 'Fermer');
    await expectNoAxeViolations(p);

    // The world view: countries shaded by number of actors, with a legend.
    await p.click('button[data-map-view="world"]');
    assert.equal(await p.getAttribute('button[data-map-view="world"]', 'aria-pressed'), 'true');
    await p.locator('#carte .map-legend').waitFor();
    await p.waitForFunction(() => document.querySelectorAll('#carte .leaflet-overlay-pane path').length > 100);
    assert.equal(await p.locator('#carte .map-point, #carte .map-cluster').count(), 0, 'no marker in the world view');
    const shaded = await p.evaluate(() => Array.from(document.querySelectorAll('#carte .leaflet-overlay-pane path')).filter((e) => e.getAttribute('fill') === '#6baed6' || e.getAttribute('fill') === '#08306b').length);
    assert.ok(shaded >= 2, 'Senegal and Mali (20 actors each) are shaded darker');
    await expectNoAxeViolations(p);

    // Back to the region, then the list alternative is one click away.
    await p.click('button[data-map-view="region"]');
    await p.locator('#carte .map-cluster, #carte .map-point').first().waitFor();
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL((u) => u.pathname === '/annuaire'), p.click('a.map-list-link')]);
  });

  test('the list on the page carries the same results, and a country link filters the map', async () => {
    const p = await browser.newPage();
    try {
      await p.goto(`${live.baseUrl}/carte`);
      await p.click('a.skip-map', { force: true }).catch(async () => {
        await p.focus('a.skip-map');
        await p.keyboard.press('Enter');
      });
      assert.equal(await p.locator('#liste li').count(), 42);
      await Promise.all([p.waitForURL((u) => u.searchParams.get('pays') === 'BF'), p.click('table.map-countries a:has-text("Burkina Faso")')]);
      assert.match(await p.locator('.result-count').innerText(), /^1 acteur\(s\) correspondent/);
      await p.locator('#carte .map-point').first().waitFor();
      assert.equal(await p.locator('#carte .map-point').getAttribute('title'), 'Limousin Burkina');
      await expectNoAxeViolations(p);
    } finally {
      await p.close();
    }
  });

  test('at 320 px the map page does not scroll sideways', async () => {
    const p = await browser.newPage({ width: 320 });
    try {
      await p.goto(`${live.baseUrl}/carte`);
      await p.locator('#carte .map-cluster, #carte .map-point').first().waitFor();
      await expectNoHorizontalScroll(p, 320);
    } finally {
      await p.close();
    }
  });
});
