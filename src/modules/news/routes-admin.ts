import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { isId } from '../../kernel/ids.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { pendingModerationCounts } from '../moderation/index.js';
import { translate } from './http.js';
import { scheduleMastodonPost } from './mastodon-job.js';
import { mastodonAccount } from './mastodon-settings.js';
import { organisationNames } from './organisation.js';
import { prefillFromWatch, type WatchPrefill } from './promote.js';
import * as repo from './repo.js';
import { changeArticleStatus, checkNews, createArticle, deleteArticle, isStatusAction, updateArticle } from './service.js';
import { articleValues, list, submittedValues, text } from './validate.js';
import { ADMIN_PAGE_SIZE, NEWS_ADMIN, NewsCreatePage, NewsEditPage, NewsListAdminPage } from './views-admin.js';
import { writeRefused } from '../../kernel/http/write-refused.js';
import { dateTimeFormat } from '../../kernel/i18n/index.js';
import type { Article } from './types.js';

/**
 * What staff read once an article is published: « publié », or, when its date is still to come,
 * « programmé pour le 14 janvier 2027 à 09:00 » (the list says « Programmé » too).
 */
function publishedText(request: FastifyRequest, article: Pick<Article, 'title' | 'published_at'>, now: Date): string {
  const at = article.published_at ? new Date(article.published_at) : null;
  if (at && at.getTime() > now.getTime()) {
    return request.t('news.flash.scheduled', { title: article.title, date: dateTimeFormat(request.locale, { dateStyle: 'long', timeStyle: 'short' }).format(at) });
  }
  return request.t('news.flash.published', { title: article.title });
}

/** The staff back office of news: list, creation (also from a watch item), the article's page, status, deletion, Mastodon retry. */
export const newsAdminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  app.get(NEWS_ADMIN, staff, async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const status = text(raw, 'statut');
    const query = {
      q: text(raw, 'q').slice(0, 200),
      status: ['draft', 'scheduled', 'published', 'archived'].includes(status) ? status : '',
      page: pageNumber(text(raw, 'page') || undefined),
    };
    const now = k.clock.now();
    const [page, pending] = await Promise.all([
      repo.listAdmin(k.db, k.dbHandle.dialect, { status: query.status, q: query.q, tokens: searchTokens(query.q).slice(0, 8), now: now.toISOString() }, (query.page - 1) * ADMIN_PAGE_SIZE, ADMIN_PAGE_SIZE),
      pendingModerationCounts(k.db),
    ]);
    const beyond = redirectPastLastPage(request, reply, query.page, page.total, ADMIN_PAGE_SIZE);
    if (beyond) return beyond;
    return sendPage(reply, NewsListAdminPage({ ctx: await viewContext(request, reply), rows: page.rows, total: page.total, query, now, pendingProposals: pending.proposals['news'] ?? 0 }));
  });

  async function formLabels(values: Record<string, unknown>) {
    const [themes, names, account] = await Promise.all([repo.themeOptions(k.db), organisationNames(k.db, list(values, 'organisation')), mastodonAccount(k.db)]);
    return { themes, organisationNames: names, mastodonConfigured: account !== null };
  }

  async function createPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, watch: WatchPrefill | null, status = 200) {
    return sendPage(reply, NewsCreatePage({ ctx: await viewContext(request, reply), values, errors, ...(await formLabels(values)), watchSource: watch?.source ?? null }), status);
  }

  app.get<{ Querystring: { veille?: string } }>(`${NEWS_ADMIN}/nouveau`, staff, async (request, reply) => {
    const watch = request.query.veille ? await prefillFromWatch(k.db, String(request.query.veille)) : null;
    if (request.query.veille && !watch) throw new AppError('not_found');
    return createPage(request, reply, watch?.values ?? {}, {}, watch);
  });

  redirectNewFormAliases(app, NEWS_ADMIN, 'nouveau', 'staff');

  app.post(`${NEWS_ADMIN}/nouveau`, staff, async (request, reply) => {
    const raw = formBody(request);
    const actor = actorOf(request);
    const checked = await checkNews(k, raw, actor.id);
    if (!checked.ok) {
      const watchId = text(raw, 'watch_item_id');
      return createPage(request, reply, submittedValues(raw), translate(checked.errors, request.t), watchId ? await prefillFromWatch(k.db, watchId) : null, 400);
    }
    const status = text(raw, 'intent') === 'publish' ? 'published' : 'draft';
    let created: Awaited<ReturnType<typeof createArticle>>;
    try {
      // The article, its log line and its Mastodon job are one transaction: refused, nothing stays.
      created = await createArticle(k, actor, checked.draft, { status, source: checked.draft.watch_item_id ? 'watch' : 'staff', authorUserId: actor.id });
    } catch (error) {
      writeRefused(request, error, 'news.flash.notSaved');
      const watchId = text(raw, 'watch_item_id');
      return createPage(request, reply, submittedValues(raw), {}, watchId ? await prefillFromWatch(k.db, watchId) : null, 503);
    }
    flash(request, 'success', status === 'published' ? publishedText(request, created, k.clock.now()) : request.t('news.flash.created', { title: created.title }));
    return reply.redirect(`${NEWS_ADMIN}/${created.id}`, 303);
  });

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, submitted?: { values?: Record<string, unknown>; errors: Record<string, string>; status?: number }) {
    const article = isId(id) ? await repo.findArticle(k.db, id) : undefined;
    if (!article) throw new AppError('not_found');
    const values = submitted?.values ?? articleValues(article);
    const [labels, history] = await Promise.all([formLabels({ ...values, organisation: [...list(values, 'organisation'), article.organisation_id ?? ''] }), listAudit(k.db, { entityType: 'news', entityId: id, limit: 50, offset: 0 })]);
    return sendPage(
      reply,
      NewsEditPage({ ctx: await viewContext(request, reply), article, values, errors: submitted?.errors ?? {}, ...labels, now: k.clock.now(), history: history.rows }),
      submitted ? (submitted.status ?? 400) : 200,
    );
  }

  app.get<{ Params: { id: string } }>(`${NEWS_ADMIN}/:id`, staff, async (request, reply) => editPage(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>(`${NEWS_ADMIN}/:id`, staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id) || !(await repo.findArticle(k.db, id))) throw new AppError('not_found');
    const raw = formBody(request);
    const actor = actorOf(request);
    const checked = await checkNews(k, raw, actor.id, id);
    if (!checked.ok) return editPage(request, reply, id, { values: submittedValues(raw), errors: translate(checked.errors, request.t) });
    try {
      // One transaction (the row, its links, the old slug, the log line, the Mastodon job): refused, the article stays as it was.
      await updateArticle(k, actor, id, checked.draft);
    } catch (error) {
      writeRefused(request, error, 'news.flash.notSaved');
      return editPage(request, reply, id, { values: submittedValues(raw), errors: {}, status: 503 });
    }
    flash(request, 'success', request.t('news.flash.saved'));
    return reply.redirect(`${NEWS_ADMIN}/${id}`, 303);
  });

  app.post<{ Params: { id: string } }>(`${NEWS_ADMIN}/:id/statut`, staff, async (request, reply) => {
    const { id } = request.params;
    const action = text(formBody(request), 'action');
    if (!isId(id)) throw new AppError('not_found');
    if (!isStatusAction(action)) throw new AppError('bad_request');
    let changed: Awaited<ReturnType<typeof changeArticleStatus>>;
    try {
      changed = await changeArticleStatus(k, actorOf(request), id, action);
    } catch (error) {
      writeRefused(request, error, 'news.flash.notChanged');
      return editPage(request, reply, id, { errors: {}, status: 503 });
    }
    if (!changed) throw new AppError('not_found');
    flash(request, 'success', action === 'publish' ? publishedText(request, changed, k.clock.now()) : request.t(`news.flash.${action}`));
    return reply.redirect(`${NEWS_ADMIN}/${id}`, 303);
  });

  app.post<{ Params: { id: string } }>(`${NEWS_ADMIN}/:id/supprimer`, staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id)) throw new AppError('not_found');
    let deleted: boolean;
    try {
      deleted = await deleteArticle(k, actorOf(request), id);
    } catch (error) {
      writeRefused(request, error, 'news.flash.notDeleted');
      return editPage(request, reply, id, { errors: {}, status: 503 });
    }
    if (!deleted) throw new AppError('not_found');
    flash(request, 'success', request.t('news.flash.deleted'));
    return reply.redirect(NEWS_ADMIN, 303);
  });

  // Try the Mastodon post again (after an error staff read on the article's page).
  app.post<{ Params: { id: string } }>(`${NEWS_ADMIN}/:id/mastodon`, staff, async (request, reply) => {
    const { id } = request.params;
    const article = isId(id) ? await repo.findArticle(k.db, id) : undefined;
    if (!article) throw new AppError('not_found');
    const queued = await scheduleMastodonPost(k, article, { retry: true });
    flash(request, queued ? 'success' : 'info', request.t(queued ? 'news.mastodon.retried' : 'news.mastodon.nothingToPost'));
    return reply.redirect(`${NEWS_ADMIN}/${id}`, 303);
  });
};
