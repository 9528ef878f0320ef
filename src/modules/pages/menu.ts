import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import type { PageNav } from '../../kernel/ui/context.js';
import { pageHref } from './legal.js';
import { menuPages, readPagesVersion } from './repo.js';

/** Other processes' changes to the menus show within this delay (one primary-key read per period). */
export const MENU_CHECK_MS = 30_000;

/** Pages are cached until one of them changes: the database moves the pages' version. */
export const pagesPageCache: PageCacheConfig = { version: (kernel) => readPagesVersion(kernel.db) };

/**
 * Keeps the kernel's page menus (`kernel.pageNav`, rendered by the layout) in step with the
 * published pages staff placed in the header or the footer. The arrays are changed in place: every
 * view context shares them. `refresh` reads the pages' version and reloads the menus only when it
 * moved, so it is cheap enough to call after each change and every MENU_CHECK_MS.
 */
export class PageMenuSync {
  private version: string | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly target: { db: Kysely<Database>; pageNav: PageNav }) {}

  async refresh(): Promise<void> {
    // A refresh asked while one runs waits for it, then reads again (it may have read too early).
    while (this.running) await this.running;
    this.running = this.load().finally(() => (this.running = null));
    await this.running;
  }

  private async load(): Promise<void> {
    const { db, pageNav } = this.target;
    const version = await readPagesVersion(db);
    if (version === this.version) return;
    const rows = await menuPages(db);
    const links = (menu: 'header' | 'footer') => rows.filter((r) => r.menu === menu).map((r) => ({ href: pageHref(r.slug), label: r.menu_label ?? r.title }));
    pageNav.header.splice(0, pageNav.header.length, ...links('header'));
    pageNav.footer.splice(0, pageNav.footer.length, ...links('footer'));
    this.version = version;
  }
}
