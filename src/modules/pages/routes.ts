import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { isId } from '../../kernel/ids.js';
import { translateErrors } from '../../kernel/validation.js';
import { builtInLegalText, isLegalSlug, legalPagesToComplete, pageHref } from './legal.js';
import { MENU_CHECK_MS, PageMenuSync, pagesPageCache } from './menu.js';
import * as repo from './repo.js';
import { checkPage, createPage, deletePage, pageValues, submittedValues, updatePage, type PageValues } from './service.js';
import { PAGES_ADMIN, PageFormPage, PageListPage } from './views-admin.js';
import { PageView } from './views-public.js';
import { translator } from '../../kernel/i18n/index.js';
import { redirectMoved } from '../../kernel/http/moved.js';

/** The query string of a request's URL (« ?legal=… »), or ''. */

/** Editable pages: public at /pages/:slug, written by staff at /admin/pages; their menus kept current. */
export const pagesRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };
  const menus = new PageMenuSync(k);
  const refreshMenus = () => menus.refresh().catch((error: unknown) => k.logger.warn({ err: String(error) }, 'page menus not refreshed'));
  app.addHook('onReady', refreshMenus);
  // Changes made by other processes reach this one's menus within MENU_CHECK_MS.
  const timer = setInterval(() => void refreshMenus(), MENU_CHECK_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.get<{ Params: { slug: string } }>('/pages/:slug', { config: { access: 'public', pageCache: pagesPageCache } }, async (request, reply) => {
    const { slug } = request.params;
    if (isLegalSlug(slug)) return reply.redirect(`/${slug}`, 301);
    const page = await repo.findPageBySlug(k.db, slug);
    if (page?.status === 'published') return sendPage(reply, PageView({ ctx: await viewContext(request, reply), page }));
    if (!page) {
      const movedId = await repo.pageIdOfOldSlug(k.db, slug);
      const moved = movedId ? await repo.findPage(k.db, movedId) : undefined;
      if (moved?.status === 'published') return redirectMoved(reply, pageHref(moved.slug));
    }
    throw new AppError('not_found');
  });

  app.get(PAGES_ADMIN, staff, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const pages = await repo.listPages(k.db);
    const toComplete = legalPagesToComplete(new Map(pages.map((p) => [p.slug, p])), ctx.site);
    return sendPage(reply, PageListPage({ ctx, pages, toComplete }));
  });

  async function formPage(request: FastifyRequest, reply: FastifyReply, p: { values: PageValues; errors?: Record<string, string>; page?: repo.PageRow; legal?: string }) {
    const action = p.page ? `${PAGES_ADMIN}/${p.page.id}` : `${PAGES_ADMIN}/nouveau`;
    return sendPage(reply, PageFormPage({ ctx: await viewContext(request, reply), action, values: p.values, errors: p.errors ?? {}, page: p.page, legal: p.legal }), p.errors ? 400 : 200);
  }

  /** The legal page a new page replaces the text of (`?legal=` or the form's hidden field); none already edited. */
  async function legalOf(value: unknown): Promise<string | undefined> {
    if (typeof value !== 'string' || !isLegalSlug(value)) return undefined;
    const existing = await repo.findPageBySlug(k.db, value);
    if (existing) throw new AppError('conflict');
    return value;
  }

  app.get<{ Querystring: { legal?: string } }>(`${PAGES_ADMIN}/nouveau`, staff, async (request, reply) => {
    const legal = await legalOf(request.query.legal);
    const empty: PageValues = { title: '', slug: '', body: '', status: 'draft', menu: 'none', menu_order: '0', menu_label: '' };
    if (!legal) return formPage(request, reply, { values: empty });
    // The built-in text, in French (the site's language), as the start of the edited version.
    const builtIn = builtInLegalText(legal, translator('fr'), await k.settings.get())!;
    return formPage(request, reply, { values: { ...empty, title: builtIn.title, slug: legal, body: builtIn.html, status: 'published' }, legal });
  });

  redirectNewFormAliases(app, PAGES_ADMIN, 'nouveau', 'staff');

  app.post(`${PAGES_ADMIN}/nouveau`, staff, async (request, reply) => {
    const raw = formBody(request);
    const legal = await legalOf(raw['legal']);
    const checked = await checkPage(k.db, legal ? { ...raw, slug: legal } : raw);
    if (!checked.ok) return formPage(request, reply, { values: submittedValues(raw), errors: translateErrors(checked.errors, request.t), legal });
    const page = await createPage(k, actorOf(request), checked.draft);
    await refreshMenus();
    flash(request, 'success', request.t('pages.flash.created', { title: page.title }));
    return reply.redirect(`${PAGES_ADMIN}/${page.id}`, 303);
  });

  async function pageOf(request: FastifyRequest): Promise<repo.PageRow> {
    const { id } = request.params as { id: string };
    const page = isId(id) ? await repo.findPage(k.db, id) : undefined;
    if (!page) throw new AppError('not_found');
    return page;
  }

  app.get(`${PAGES_ADMIN}/:id`, staff, async (request, reply) => {
    const page = await pageOf(request);
    return formPage(request, reply, { values: pageValues(page), page });
  });

  app.post(`${PAGES_ADMIN}/:id`, staff, async (request, reply) => {
    const page = await pageOf(request);
    const raw = formBody(request);
    const checked = await checkPage(k.db, raw, page);
    if (!checked.ok) return formPage(request, reply, { values: submittedValues(raw), errors: translateErrors(checked.errors, request.t), page });
    await updatePage(k, actorOf(request), page, checked.draft);
    await refreshMenus();
    flash(request, 'success', request.t('pages.flash.saved'));
    return reply.redirect(`${PAGES_ADMIN}/${page.id}`, 303);
  });

  app.post(`${PAGES_ADMIN}/:id/supprimer`, staff, async (request, reply) => {
    const page = await pageOf(request);
    await deletePage(k, actorOf(request), page);
    await refreshMenus();
    flash(request, 'success', request.t(isLegalSlug(page.slug) ? 'pages.flash.restored' : 'pages.flash.deleted', { title: page.title }));
    return reply.redirect(PAGES_ADMIN, 303);
  });
};
