import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { addEvent } from '../../src/modules/agenda/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

/** An instant `days` from now at `hour`:00 UTC. */
function inDays(days: number, hour: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
}

const cardTitles = (p: Page) => p.locator('#agenda-results .event-card h4 a span').allTextContents();
const path = (p: Page) => {
  const u = new URL(p.url());
  return u.pathname + u.search;
};

describeWithBrowser('the agenda in a real browser', () => {
  const s = useLiveBrowser({
    env: { TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' },
    async seed(live) {
      const db = live.kernel.db;
      await addEvent(db, {
        title: 'Rencontre eau et assainissement en Gironde',
        starts_at: inDays(5, 8),
        ends_at: inDays(5, 11),
        venue: 'Salle des fêtes',
        commune_code: '33063',
        latitude: 44.8412,
        longitude: -0.5697,
        themes: ['water_sanitation'],
        registration_open: 1,
      });
      await addEvent(db, {
        title: 'Webinaire des financements',
        type_code: 'webinar',
        starts_at: inDays(8, 13),
        ends_at: inDays(8, 14),
        online_url: 'https://visio.example.org/financements',
      });
      await addEvent(db, {
        title: 'Formation gestion de projet à Périgueux',
        type_code: 'training_session',
        starts_at: inDays(12, 7),
        ends_at: inDays(12, 15),
        commune_code: '24322',
        latitude: 45.1842,
        longitude: 0.7211,
      });
    },
  });

  test('filter the agenda in place, switch to the month and the map, reach the list alternative', async () => {
    const p = await s.freshPage();
    await s.visit(p, '/agenda');
    assert.deepEqual(await cardTitles(p), [
      'Rencontre eau et assainissement en Gironde',
      'Webinaire des financements',
      'Formation gestion de projet à Périgueux',
    ]);
    await expectNoAxeViolations(p);

    // The skip link moves within the page: no reload (the history entry it adds is no other page).
    await p.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement?.className), 'skip-link');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => location.hash === '#contenu');
    await p.waitForTimeout(300);
    assert.equal(await p.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'the skip link does not reload the agenda');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'contenu', 'the content has the focus');

    // Choosing a type updates the results without a page load, and the URL follows.
    await p.selectOption('#f-agenda-type', 'webinar');
    await p.waitForFunction(() => location.search.includes('type=webinar'));
    await p.waitForFunction(() => document.querySelectorAll('#agenda-results .event-card').length === 1);
    assert.deepEqual(await cardTitles(p), ['Webinaire des financements']);
    assert.equal(await p.textContent('#agenda-count'), '1 événement');
    assert.equal(await p.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'no page load');
    assert.match((await p.getAttribute('#agenda-feeds a[type="text/calendar"]', 'href')) ?? '', /type=webinar/, 'the subscription link follows the filters');

    // Back to every type, in person only.
    await p.selectOption('#f-agenda-type', '');
    await p.selectOption('#f-agenda-format', 'sur-place');
    await p.waitForFunction(() => location.search === '?format=sur-place');
    await p.waitForFunction(() => document.querySelectorAll('#agenda-results .event-card').length === 2);

    // The month view keeps the filters.
    await p.click('#agenda-views a[data-view="mois"]');
    await p.waitForURL(/vue=mois/);
    assert.match(path(p), /format=sur-place/);
    await p.locator('table.agenda-calendar').waitFor();
    await expectNoAxeViolations(p);

    // The map view: one marker per placed event, markers without tiles, and the list below.
    await p.click('#agenda-views a[data-view="carte"]');
    await p.waitForURL(/vue=carte/);
    await p.locator('#agenda-map.map-ready').waitFor();
    await p.waitForFunction(() => document.querySelectorAll('#agenda-map .agenda-point').length === 2);
    assert.equal(await p.getAttribute('#agenda-map', 'data-shown'), '2');
    await expectNoAxeViolations(p);
    await p.locator('#agenda-map .agenda-point').first().click();
    await p.locator('.leaflet-popup-content a').waitFor();
    assert.match((await p.getAttribute('.leaflet-popup-content a', 'href')) ?? '', /^\/agenda\//);
    // The popup's link has the focus; Escape closes the popup and gives the focus back to its marker.
    await p.waitForFunction(() => document.activeElement?.closest('.leaflet-popup-content') !== null);
    await p.keyboard.press('Escape');
    await p.locator('.leaflet-popup').waitFor({ state: 'detached' });
    assert.ok(await p.evaluate(() => document.activeElement?.classList.contains('agenda-point') ?? false), 'focus back on the marker');

    // The list alternative: the skip link leads to it.
    await p.focus('a.skip-map');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.activeElement?.id === 'agenda-map-list');
    assert.deepEqual(await p.locator('#agenda-map-list .event-card h4 a span').allTextContents(), [
      'Rencontre eau et assainissement en Gironde',
      'Formation gestion de projet à Périgueux',
    ]);

    // Back to the list view.
    await p.click('#agenda-views a[data-view="liste"]');
    await p.waitForURL((u) => !u.search.includes('vue='));
    assert.equal(await p.locator('#agenda-results .event-card').count(), 2);
  });

  test('without JavaScript the filters still work as a plain form', async () => {
    const p = await s.freshPage();
    await p.route('**/assets/agenda.js', (route) => route.abort());
    await s.visit(p, '/agenda');
    await p.fill('#f-agenda-q', 'périgueux');
    await Promise.all([p.waitForURL(/q=p%C3%A9rigueux/), p.click('#agenda-form button[type="submit"]')]);
    assert.deepEqual(await cardTitles(p), ['Formation gestion de projet à Périgueux']);
  });

  test('an event page, the archive and the widget are accessible; pages fit a phone', async () => {
    const p = await s.freshPage();
    await s.visit(p, '/agenda');
    await p.click('text=Rencontre eau et assainissement en Gironde');
    await p.waitForURL(/\/agenda\/rencontre-eau/);
    assert.equal(await p.textContent('.event-registration a'), 'S’inscrire');
    await expectNoAxeViolations(p);
    await s.visit(p, '/agenda/archives');
    await expectNoAxeViolations(p);
    await s.visit(p, '/agenda/widget');
    assert.equal(await p.locator('.widget-event').count(), 3);
    await expectNoAxeViolations(p);

    const phone = await s.freshPage(375);
    for (const url of ['/agenda', '/agenda?vue=mois', '/agenda?vue=carte']) {
      await s.visit(phone, url);
      await expectNoHorizontalScroll(phone, 375);
    }
  });
});
