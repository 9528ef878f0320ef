import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Page, Response } from 'playwright-core';
import { launchBrowser, type LiveApp, startLiveApp, type TestBrowser } from './browser.js';

/** What a browser suite works with; `live`, `browser` and `page` exist once the suite's `before` has run. */
export interface LiveBrowser {
  readonly live: LiveApp;
  readonly browser: TestBrowser;
  /** The tab opened by the last `freshPage()`. */
  readonly page: Page;
  /** The absolute address of a path of the app. */
  url(path: string): string;
  /** Closes the current tab, forgets every cookie and opens a new tab: a new visitor arrives. */
  freshPage(width?: number): Promise<Page>;
  /** Opens a path of the app and checks the response's status. */
  visit(p: Page, path: string, status?: number): Promise<Response | null>;
  /** Signs in through the form; resolves once the browser has left the sign-in page. */
  signIn(p: Page, email: string, password: string): Promise<void>;
}

export interface LiveBrowserOptions {
  /** Environment of the app (e.g. TILE_URL). */
  env?: Record<string, string>;
  /** Runs once the app listens and Chromium is up: accounts, organisations… */
  seed?: (live: LiveApp) => Promise<void>;
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not ready yet: use it inside a test or a hook`);
  return value;
}

/**
 * The setup every browser suite shares, registered as `before`/`after` hooks of the enclosing
 * `describeWithBrowser`: the whole app listening on a fresh database, Chromium with a fresh
 * profile, then `seed`; all closed after the suite.
 */
export function useLiveBrowser(options: LiveBrowserOptions = {}): LiveBrowser {
  let live: LiveApp | undefined;
  let browser: TestBrowser | undefined;
  let page: Page | undefined;

  before(async () => {
    live = await startLiveApp(options.env);
    browser = await launchBrowser();
    await options.seed?.(live);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
    await live?.close();
  });

  const session: LiveBrowser = {
    get live() {
      return ready(live, 'The app');
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    get page() {
      return ready(page, 'The page');
    },
    url: (path) => session.live.baseUrl + path,
    async freshPage(width = 1280) {
      await page?.close();
      await session.browser.clearCookies();
      page = await session.browser.newPage({ width });
      return page;
    },
    async visit(p, path, status = 200) {
      const res = await p.goto(session.url(path));
      assert.equal(res?.status(), status, `${path} répond ${res?.status()}`);
      return res;
    },
    async signIn(p, email, password) {
      await session.visit(p, '/connexion');
      await p.fill('#f-email', email);
      await p.fill('#f-password', password);
      await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/connexion')), p.click('main form button[type=submit]')]);
    },
  };
  return session;
}
