import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/kernel/clock.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { setPosition } from '../../src/modules/map/repo.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
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

const STAFF = { email: 'ines.equipe@example.org', password: 'Cadastre du réseau 2026!', displayName: 'Inès Équipe' };
const MEMBER = { email: 'moussa.membre@example.org', password: 'Boussole sur la Dordogne 2026', displayName: 'Moussa Koné' };

describeWithBrowser('the map in a real browser', () => {
  let live: LiveApp;
  let browser: TestBrowser;
  let page: Page | undefined;
  /** The organisation whose member moves its marker (Pau, placed at its address). */
  let moved = { id: '', slug: '' };

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
      return o;
    };
    for (let i = 0; i < 40; i++) {
      await add(
        { name: `Solidarité Gironde ${String(i).padStart(2, '0')}`, kind_code: 'association', commune: '33063', postcode: '33000', countries: [i % 2 ? 'SN' : 'ML'] },
        [44.83 + (i % 8) * 0.003, -0.6 + Math.floor(i / 8) * 0.006],
      );
    }
    await add({ name: 'Limousin Burkina', kind_code: 'association', commune: '87085', countries: ['BF'] }, [45.8336, 1.2611]);
    const pau = await add({ name: 'Pau Madagascar', kind_code: 'association', commune: '64445', countries: ['MG'] }, [43.2951, -0.3708]);
    moved = { id: pau.id, slug: pau.slug };
    await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
    const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
    await linkUserToOrganisation(live.kernel.db, member.id, pau.id, new Date().toISOString());
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await live?.close();
  });

  test('/carte shows clusters without tiles, zooms in to points, opens a popup, switches to the world view, and leads to the list', async () => {
    page = await browser.newPage();
    const p = page;
    // A visitor who asked for less motion: no fades nor zoom animations, so axe reads final colours.
    await p.emulateMedia({ reducedMotion: 'reduce' });
    const res = await p.goto(`${live.baseUrl}/carte`);
    assert.equal(res?.status(), 200);
    assert.equal(await p.evaluate(() => document.querySelector('#carte .leaflet-fade-anim') === null), true, 'the map does not fade');

    // Markers are DOM elements: they appear although no tile can load.
    await p.locator('#carte .map-cluster').first().waitFor();
    const clusterCount = await p.locator('#carte .map-cluster').count();
    assert.ok(clusterCount >= 1, 'at least one cluster');
    const shown = Number(await p.getAttribute('#carte', 'data-shown'));
    assert.equal(shown, 42, 'every located organisation is counted on the map');
    // Said to screen readers in words that agree with the count.
    assert.equal(await p.locator('[data-map-status]').innerText(), '42 acteurs dans cette zone de la carte.');
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
    // The popup fades in and links change colour with a transition: axe reads colours once they end.
    await p.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await expectNoAxeViolations(p);

    // Escape closes the popup, from its link or its close button, and the focus goes back to the marker.
    const focusedMarker = () => p.evaluate(() => (document.activeElement?.classList.contains('map-point') ? document.activeElement.getAttribute('title') : null));
    await p.keyboard.press('Escape');
    await p.locator('.leaflet-popup').waitFor({ state: 'detached' });
    assert.equal(await focusedMarker(), name, 'focus is back on the marker that opened the popup');
    await p.keyboard.press('Enter');
    await link.waitFor();
    await p.focus('.leaflet-popup-close-button');
    await p.keyboard.press('Escape');
    await p.locator('.leaflet-popup').waitFor({ state: 'detached' });
    assert.equal(await focusedMarker(), name);
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
      assert.match(await p.locator('.result-count').innerText(), /^1 acteur correspond,/);
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

  test('a member moves their marker with the keyboard and proposes it; staff see both points and approve; visitors see the new place', async () => {
    await browser.clearCookies();
    const p = await browser.newPage();
    const signIn = async (who: { email: string; password: string }) => {
      await p.goto(`${live.baseUrl}/connexion`);
      await p.fill('#f-email', who.email);
      await p.fill('#f-password', who.password);
      await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/connexion')), p.click('main form button[type=submit]')]);
    };
    try {
      await signIn(MEMBER);
      await p.goto(`${live.baseUrl}/mon-espace/structures`);
      await Promise.all([p.waitForURL(/\/position$/), p.click(`main a[href="/mon-espace/structures/${moved.id}/position"]`)]);
      const marker = p.locator('.map-position .map-point-drag');
      await marker.waitFor();
      assert.equal(await p.inputValue('#f-latitude'), '43,2951');
      assert.equal(await p.inputValue('#f-longitude'), '-0,3708');
      assert.equal(await p.isVisible('[data-drag-hint]'), true, 'the keyboard hint shows once the map is there');
      await expectNoAxeViolations(p);

      // Tab to the marker (after the map itself), then move it: three steps right, one big step up.
      await p.focus('#f-longitude');
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.matches('[data-position-map]')), true, 'the map comes after the fields');
      await p.keyboard.press('Tab');
      assert.equal(await marker.evaluate((el) => el === document.activeElement), true, 'then the marker');
      assert.equal(await marker.getAttribute('role'), 'button');
      assert.match(String(await marker.getAttribute('aria-label')), /flèches/);
      for (let i = 0; i < 3; i++) await p.keyboard.press('ArrowRight');
      await p.keyboard.press('Shift+ArrowUp');
      const number = (text: string) => Number(text.replace(',', '.'));
      const latitude = await p.inputValue('#f-latitude');
      const longitude = await p.inputValue('#f-longitude');
      assert.ok(number(latitude) > 43.2951, `the marker went north: ${latitude}`);
      assert.ok(number(longitude) > -0.3708, `and east: ${longitude}`);
      assert.match(latitude, /^43,\d+$/, 'French decimals in the field');
      assert.match(await p.locator('[data-position-status]').innerText(), new RegExp(`Repère déplacé : latitude ${latitude}, longitude ${longitude}`));
      assert.equal(await p.evaluate(() => window.scrollY >= 0 && document.activeElement?.classList.contains('map-point-drag')), true, 'the focus stays on the marker');
      await expectNoAxeViolations(p);

      await Promise.all([p.waitForURL((u) => u.pathname === '/mon-espace/structures'), p.click('main form button[type=submit]')]);
      assert.match(await p.locator('main').innerText(), /proposition de position a été transmise/);
      assert.match(await p.locator('main').innerText(), /Position proposée le/);
      await expectNoAxeViolations(p);
      const before = await live.kernel.db.selectFrom('organisations').select(['latitude', 'geo_precision']).where('id', '=', moved.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...before }, { latitude: 43.2951, geo_precision: 'address' }, 'nothing moves before review');

      // Staff: the review shows both points, then they approve.
      await browser.clearCookies();
      await signIn(STAFF);
      await p.goto(`${live.baseUrl}/admin/moderation?type=organisation_position`);
      await Promise.all([p.waitForURL(/\/admin\/moderation\/[0-9a-f-]{36}$/), p.click('main table a:text("Pau Madagascar")')]);
      assert.match(await p.locator('table.mod-diff').innerText(), new RegExp(`43,2951\\s+${latitude}`));
      const detailUrl = p.url();
      await Promise.all([p.waitForURL(/\/modifier$/), p.click('main a[href$="/modifier"]')]);
      await p.locator('.map-position .map-point-before').waitFor();
      assert.equal(await p.locator('.map-position .map-point-drag').count(), 1, 'the proposed point, draggable, beside the current one');
      assert.equal(await p.inputValue('#f-latitude'), latitude);
      await expectNoAxeViolations(p);
      await p.goto(detailUrl);
      await Promise.all([p.waitForURL(`${live.baseUrl}/admin/moderation`), p.click('main button:text("Accepter la proposition")')]);

      const after = await live.kernel.db.selectFrom('organisations').select(['latitude', 'longitude', 'geo_precision']).where('id', '=', moved.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...after }, { latitude: number(latitude), longitude: number(longitude), geo_precision: 'manual' });

      // A visitor: the organisation's page and the map show the new place.
      await browser.clearCookies();
      await p.goto(`${live.baseUrl}/acteurs/${moved.slug}`);
      assert.equal(await p.getAttribute('[data-mini-map]', 'data-lat'), String(number(latitude)));
      await p.goto(`${live.baseUrl}/carte?q=madagascar`);
      await p.locator('#carte .map-point[title="Pau Madagascar"]').waitFor();
      const clusters = await p.evaluate(async (url) => (await fetch(url)).json(), `/carte/clusters.json?bbox=-1,43,0,44&zoom=17&q=madagascar`);
      assert.deepEqual((clusters as { features: { geometry: { coordinates: number[] } }[] }).features.map((f) => f.geometry.coordinates), [[number(longitude), number(latitude)]]);
      await expectNoAxeViolations(p);
    } finally {
      await p.close();
    }
  });
});
