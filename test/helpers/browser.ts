import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp, defineJobs } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import type { Kernel } from '../../src/kernel/http/types.js';
import { testConfig } from './app.js';
import { type TestDb, testDb } from './db.js';
import { chromiumAvailable, chromiumPath, missingComponent } from './environment.js';
import { TestSmtp } from './smtp.js';

/** Flags for Debian's Chromium in a container: no sandbox, no GPU, nothing talking to Google. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab in the shared profile (cookies are shared between tabs). */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  /** Forgets every cookie, as a fresh visitor would arrive. */
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile directory, removed on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
  });
  return {
    context,
    async newPage(options = {}) {
      const page = await context.newPage();
      if (options.width) await page.setViewportSize({ width: options.width, height: options.height ?? 800 });
      return page;
    },
    clearCookies: () => context.clearCookies(),
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a browser suite when Chromium is present; otherwise skips it loudly, or fails under
 * CI=true (same rule as forEachDialect for PostgreSQL).
 */
export function describeWithBrowser(title: string, body: () => void): void {
  describe(title, () => {
    if (!chromiumAvailable()) {
      const missing = missingComponent('Chromium');
      if ('fail' in missing) {
        test('Chromium est présent', () => assert.fail(missing.fail));
      } else {
        console.warn(`\n!!! ${missing.skip}\n`);
        test(missing.skip, { skip: missing.skip }, () => undefined);
      }
      return;
    }
    body();
  });
}

export interface LiveApp {
  app: FastifyInstance;
  kernel: Kernel;
  config: Config;
  db: TestDb;
  smtp: TestSmtp;
  /** The real listening URL, also the app's BASE_URL (links in mails point here). */
  baseUrl: string;
  close(): Promise<void>;
}

/** A port free right now on 127.0.0.1, so BASE_URL can be known before the app is built. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The whole app on a fresh SQLite database, listening for real on 127.0.0.1, with a real SMTP server. */
export async function startLiveApp(env: Record<string, string> = {}): Promise<LiveApp> {
  const db = await testDb('sqlite');
  const smtp = await new TestSmtp().start();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig(db, smtp.url, { BASE_URL: baseUrl, ...env });
  const kernel = createKernel(config, { dbHandle: db });
  defineJobs(kernel);
  const app = await buildApp(config, { kernel });
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    kernel,
    config,
    db,
    smtp,
    baseUrl,
    async close() {
      await app.close();
      await kernel.mail.close();
      await smtp.close();
      await db.close();
    },
  };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, best practices) on the page and fails with every
 * violation's id, help and target nodes. The source is evaluated, not added as a script tag,
 * since the CSP forbids inline scripts.
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  if (violations.length === 0) return;
  const report = violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n');
      return `  [${v.id}] (${v.impact ?? '?'}) ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
  assert.fail(`axe-core : ${violations.length} violation(s) sur ${page.url()}\n${report}`);
}

/** Fails when the page is wider than `width` CSS pixels, i.e. scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${page.url()} défile horizontalement à ${width} px (scrollWidth ${scrollWidth})`);
}

/** Fails when a table's frame (.table-wrap) scrolls sideways: its columns do not fit the screen. */
export async function expectNoScrollingTables(page: Page): Promise<void> {
  const scrolling = await page.evaluate(() =>
    Array.from(document.querySelectorAll('main .table-wrap'))
      .filter((f) => f.scrollWidth > f.clientWidth + 1)
      .map((f) => f.querySelector('caption')?.textContent ?? '?'),
  );
  assert.deepEqual(scrolling, [], `${page.url()} : ces tableaux défilent horizontalement`);
}
