import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

/** How far around an element its focus indicator is looked for (CSS pixels). */
const MARGIN = 12;

/** Relative luminance of an sRGB colour (WCAG 2). */
function luminance(r: number, g: number, b: number): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [la, lb] = [luminance(...a), luminance(...b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

async function pixels(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The focus indicator as WCAG 2.4.13 measures it: the pixels around the element that change by
 * 3:1 or more between the unfocused and the focused states. Returns how many there are, and the
 * area of a 2 CSS px thick perimeter of the element, which they must cover at least.
 */
async function focusIndicator(p: Page, selector: string): Promise<{ strong: number; needed: number; weakest: number }> {
  const el = p.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const box = (await el.boundingBox())!;
  const clip = { x: Math.max(0, box.x - MARGIN), y: Math.max(0, box.y - MARGIN), width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN };
  const before = await pixels(await p.screenshot({ clip }));
  // As a keyboard user arrives: a key pressed first, so the browser shows the focus (:focus-visible).
  await p.keyboard.press('Shift');
  await el.focus();
  assert.equal(await el.evaluate((e) => e.matches(':focus-visible')), true, `${selector} shows its focus`);
  const after = await pixels(await p.screenshot({ clip }));
  const inside = (x: number, y: number) => x >= box.x - clip.x - 1 && x <= box.x - clip.x + box.width && y >= box.y - clip.y - 1 && y <= box.y - clip.y + box.height;
  let strong = 0;
  let weakest = Infinity;
  for (let y = 0; y < before.height; y++) {
    for (let x = 0; x < before.width; x++) {
      if (inside(x, y)) continue;
      const i = (y * before.width + x) * 3;
      const a: [number, number, number] = [before.data[i]!, before.data[i + 1]!, before.data[i + 2]!];
      const b: [number, number, number] = [after.data[i]!, after.data[i + 1]!, after.data[i + 2]!];
      if (a[0] === b[0] && a[1] === b[1] && a[2] === b[2]) continue;
      const ratio = contrast(a, b);
      if (ratio >= 3) strong++;
      else weakest = Math.min(weakest, ratio);
    }
  }
  await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return { strong, needed: Math.floor(2 * 2 * (box.width + box.height)), weakest };
}

/** Focusable elements on each background the public pages use. */
const TARGETS: Array<[string, string[]]> = [
  [
    '/',
    [
      '.brand', // header, white
      '.main-nav a', // header, white
      'form[action="/langue"] button', // header, white
      '.hero .button-primary', // yellow button on the dark home banner
      '.hero .button-secondary', // outlined button on the dark home banner
      '.site-footer .nl-footer-form input[type=email]', // footer, dark
      '.site-footer .nl-footer-form button', // footer, dark
      '.site-footer a', // footer, dark
    ],
  ],
  [
    '/appels-a-projets',
    [
      '#f-q', // a field on a white panel
      '#f-theme',
      '.call-filters button[type=submit]', // a coloured button on white
      '.call-alerts-box a', // a button on the light blue band
      '.call-feeds li a', // a link on the page's background
    ],
  ],
];

describeWithBrowser('the keyboard focus shows on every background', () => {
  const e2e = useLiveBrowser();

  test('each focused element draws an indicator that contrasts by 3:1 or more, at least a 2 px perimeter around it', async () => {
    const p = await e2e.freshPage(1280);
    await p.emulateMedia({ reducedMotion: 'reduce' });
    for (const [path, selectors] of TARGETS) {
      await e2e.visit(p, path);
      for (const selector of selectors) {
        const { strong, needed, weakest } = await focusIndicator(p, selector);
        assert.ok(strong >= needed, `${path} ${selector}: ${strong} pixels change by 3:1 or more, ${needed} needed (weakest change ${weakest.toFixed(2)}:1)`);
      }
      await expectNoAxeViolations(p);
    }
  });
});
