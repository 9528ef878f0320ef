import { actorOf, formBody } from '../../kernel/http/request.js';
import { localLabel } from '../../kernel/i18n/index.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { countriesFieldText, countryCodesFromText, isCountryCode, listCountries } from '../../kernel/geo/countries.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { isCategory, type ItemStatus } from './categories.js';
import { watchDeps } from './deps.js';
import { WatchFeedError } from './errors.js';
import { fetchSource } from './fetch-source.js';
import { decideItem, tagItem } from './items.js';
import { exportOpml, importOpml } from './opml.js';
import { promotedRecords, promoteItem, watchPromotions } from './promote.js';
import * as repo from './repo.js';
import { asList, OpmlForm, RuleForm, SourceForm, TagForm } from './schemas.js';
import { addSource, editSource, removeSource, type SourceInput } from './sources.js';
import { newId } from '../../kernel/ids.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { ADMIN_BASE, INBOX_STATUSES, inboxCountText, inboxStatusText, InboxPage, ItemPage, type PromotionAgain, RulesPage, type SourceValues, SourcePage, SourcesPage, type TagValues } from './views-admin.js';
import type { Option } from './views-shared.js';

const INBOX_PAGE_SIZE = 30;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export const watchAdminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };
  const deps = watchDeps(k);

  const themeOptions = async (locale: 'fr' | 'en'): Promise<Option[]> => (await repo.themeOptions(k.db)).map((th) => ({ value: th.code, label: localLabel(th, locale) }));
  const countryOptions = (locale: 'fr' | 'en'): Option[] => listCountries(locale).map((c) => ({ value: c.code, label: c.name }));

  // ---------- Inbox ----------

  app.get(ADMIN_BASE, staff, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const filter = inboxFilterOf(query);
    const page = pageNumber(query['page']);
    const { items, total } = await repo.listInbox(k.db, filter, (page - 1) * INBOX_PAGE_SIZE, INBOX_PAGE_SIZE);
    const beyond = redirectPastLastPage(request, reply, page, total, INBOX_PAGE_SIZE);
    if (beyond) return beyond;
    const [counts, sources] = await Promise.all([repo.countByStatus(k.db), repo.listSources(k.db)]);
    return sendPage(reply, InboxPage({ ctx: await viewContext(request, reply), filter, items, total, page, pageSize: INBOX_PAGE_SIZE, counts, sources }));
  });

  const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

  /** The inbox's filter from its query string (`statut`, `source`): the page's, or the one its script posts from. */
  function inboxFilterOf(query: unknown): repo.InboxFilter {
    const q = (query ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : '');
    return { status: INBOX_STATUSES.find((s) => s === text('statut')) ?? 'new', sourceId: text('source') || undefined };
  }

  async function decide(request: FastifyRequest, reply: FastifyReply, status: ItemStatus) {
    const done = await decideItem(deps, actorOf(request), idOf(request), status);
    if (!done) throw new AppError('not_found');
    if (wantsJson(request)) {
      // The script that decided from the inbox shows the new counts: each status's and its own filter's.
      const ctx = { t: request.t, locale: request.locale };
      const counts = await repo.countByStatus(k.db);
      const total = await repo.countInbox(k.db, inboxFilterOf(request.query));
      return reply.send({
        ok: true,
        status,
        counts,
        statusTexts: Object.fromEntries(INBOX_STATUSES.map((s) => [s, inboxStatusText(ctx, s, counts)])),
        countText: inboxCountText(ctx, total),
      });
    }
    flash(request, 'success', request.t(status === 'kept' ? 'watch.flash.kept' : 'watch.flash.ignored'));
    const back = request.headers.referer;
    // Back to the inbox as it was (same filter and page); never to another site.
    const target = back && back.startsWith(k.config.baseUrl) && new URL(back).pathname === ADMIN_BASE ? `${ADMIN_BASE}${new URL(back).search}` : ADMIN_BASE;
    return reply.redirect(target, 303);
  }

  app.post(`${ADMIN_BASE}/elements/:id/garder`, staff, (request, reply) => decide(request, reply, 'kept'));
  app.post(`${ADMIN_BASE}/elements/:id/ignorer`, staff, (request, reply) => decide(request, reply, 'ignored'));

  async function itemPage(request: FastifyRequest, reply: FastifyReply, values: TagValues | null, errors: Record<string, string>, status = 200, again?: PromotionAgain) {
    const item = await repo.findItem(k.db, idOf(request));
    if (!item) throw new AppError('not_found');
    let shown = values;
    if (!shown) {
      const tags = await repo.itemTags(k.db, [item.id]);
      shown = { status: item.status, category: item.category ?? '', note: item.note ?? '', countries: countriesFieldText(tags.countries.get(item.id) ?? [], request.locale), themes: tags.themes.get(item.id) ?? [] };
    }
    const ctx = await viewContext(request, reply);
    const promoted = await promotedRecords(k.db, item.id);
    return sendPage(reply, ItemPage({ ctx, item, values: shown, errors, themes: await themeOptions(ctx.locale), promotions: watchPromotions(), promoted, again }), status);
  }

  app.get(`${ADMIN_BASE}/elements/:id`, staff, (request, reply) => itemPage(request, reply, null, {}));

  app.post(`${ADMIN_BASE}/elements/:id`, staff, async (request, reply) => {
    const item = await repo.findItem(k.db, idOf(request));
    if (!item) throw new AppError('not_found');
    const form = parseForm(TagForm, request.body);
    const body = formBody(request);
    const raw: TagValues = {
      status: String(body['status'] ?? ''),
      category: String(body['category'] ?? ''),
      note: String(body['note'] ?? ''),
      countries: String(body['countries'] ?? ''),
      themes: asList(body['themes'] as string | string[] | undefined),
    };
    // Every problem at once (the note's length, an unknown country, a category or theme): staff
    // fix the form in one go rather than discovering the next error after each correction.
    const errors: Record<string, string> = form.ok ? {} : translateErrors(form.errors, request.t);
    // « Mali (ML), Sénégal (SN) » as the form shows them, or codes and names as people type them.
    const countries = countryCodesFromText(raw.countries.slice(0, 1000));
    const unknown = countries.find((c) => c.startsWith('?'));
    if (unknown) errors['countries'] ??= request.t('watch.form.error.countryNamed', { name: unknown.slice(1, 61) });
    const known = new Set((await repo.themeOptions(k.db)).map((th) => th.code));
    if (raw.category && !isCategory(raw.category)) errors['category'] ??= request.t('watch.form.error.category');
    if (raw.themes.some((th) => !known.has(th))) errors['themes'] ??= request.t('watch.form.error.theme');
    if (!form.ok || Object.keys(errors).length) return itemPage(request, reply, raw, errors, 400);
    const result = await tagItem(deps, actorOf(request), item, { status: form.value.status, category: form.value.category ?? null, note: form.value.note ?? null, themes: asList(form.value.themes), countries }, known);
    if (!result.ok) return itemPage(request, reply, raw, { [result.field]: request.t(result.key) }, 400);
    flash(request, 'success', request.t('watch.flash.tagged'));
    return reply.redirect(`${ADMIN_BASE}/elements/${item.id}`, 303);
  });

  // Promoting an item that already gave a call (an article): the item's page first says so, with
  // links to them, and a button to make another one all the same (`confirmer=1`).
  app.post(`${ADMIN_BASE}/elements/:id/promouvoir/:target`, staff, async (request, reply) => {
    const item = await repo.findItem(k.db, idOf(request));
    if (!item) throw new AppError('not_found');
    const wanted = (request.params as { target: string }).target;
    const promotion = watchPromotions().find((p) => p.target === wanted);
    if (!promotion) throw new AppError('not_found');
    const confirmed = String(formBody(request)['confirmer'] ?? '') === '1';
    if (!confirmed) {
      const existing = await promotedRecords(k.db, item.id, promotion.target);
      if (existing.length) return itemPage(request, reply, null, {}, 409, { target: promotion.target, existing });
    }
    const target = await promoteItem(item, promotion.target);
    if (!target) throw new AppError('not_found');
    return reply.redirect(target, 303);
  });

  // ---------- Sources ----------

  const sourceInput = (value: { url: string; name?: string; category?: string; interval?: string; active?: string; themes?: string | string[] }, editing: boolean): SourceInput => ({
    url: value.url,
    name: value.name ?? null,
    category: value.category ?? null,
    intervalMinutes: value.interval ? Number(value.interval) : undefined,
    themes: asList(value.themes),
    active: editing ? value.active === '1' : true,
  });
  const rawSourceValues = (body: unknown): SourceValues => {
    const b = (body ?? {}) as Record<string, unknown>;
    return { url: String(b['url'] ?? ''), name: String(b['name'] ?? ''), category: String(b['category'] ?? ''), interval: String(b['interval'] ?? ''), active: String(b['active'] ?? ''), themes: asList(b['themes'] as string | string[] | undefined) };
  };

  async function sourcesPage(request: FastifyRequest, reply: FastifyReply, extra: { values?: SourceValues; errors?: Record<string, string>; opmlValue?: string; opmlError?: string }, status = 200) {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SourcesPage({ ctx, sources: await repo.listSources(k.db), values: extra.values ?? { interval: '60' }, errors: extra.errors ?? {}, themes: await themeOptions(ctx.locale), opmlValue: extra.opmlValue, opmlError: extra.opmlError }), status);
  }

  app.get(`${ADMIN_BASE}/sources`, staff, (request, reply) => sourcesPage(request, reply, {}));

  app.post(`${ADMIN_BASE}/sources`, staff, async (request, reply) => {
    const form = parseForm(SourceForm, request.body);
    const values = rawSourceValues(request.body);
    if (!form.ok) return sourcesPage(request, reply, { values, errors: translateErrors(form.errors, request.t) }, 400);
    const result = await addSource(deps, actorOf(request), sourceInput(form.value, false));
    if (!result.ok) return sourcesPage(request, reply, { values, errors: { [result.field]: request.t(result.key, result.params) } }, 400);
    // The first read at once, so staff see whether the address works.
    const source = await repo.findSource(k.db, result.id);
    const outcome = source ? await fetchSource(deps, source) : null;
    // A host name that leads to a private network (found when resolved) is refused like an address;
    // so is a feed another source already follows (the read found it under this other address).
    if (source && outcome?.status === 'error' && (outcome.error.code === 'blocked_address' || outcome.error.code === 'duplicate')) {
      await removeSource(deps, actorOf(request), source);
      const refusal = outcome.error.code === 'duplicate' ? request.t('watch.form.error.duplicate', outcome.error.params) : request.t('watch.form.error.private');
      return sourcesPage(request, reply, { values, errors: { url: refusal } }, 400);
    }
    if (outcome?.status === 'error') flash(request, 'error', request.t('watch.flash.addedError', { error: request.t(outcome.error.messageKey, outcome.error.params) }));
    else flash(request, 'success', request.t('watch.flash.added', { count: outcome?.new ?? 0 }));
    return reply.redirect(`${ADMIN_BASE}/sources`, 303);
  });

  app.get(`${ADMIN_BASE}/sources/opml`, staff, async (request, reply) => {
    const xml = await exportOpml(deps, request.t('watch.public.title'), request.t);
    if (xml === null) {
      flash(request, 'info', request.t('watch.opml.nothing'));
      return reply.redirect(`${ADMIN_BASE}/sources`, 303);
    }
    return reply.type('text/x-opml; charset=utf-8').header('content-disposition', 'attachment; filename="veille.opml"').send(xml);
  });

  app.post(`${ADMIN_BASE}/sources/opml`, staff, async (request, reply) => {
    const form = parseForm(OpmlForm, request.body);
    if (!form.ok) return sourcesPage(request, reply, { opmlError: request.t('watch.opml.error.empty') }, 400);
    try {
      const result = await importOpml(deps, actorOf(request), form.value.opml);
      flash(request, 'success', request.t('watch.opml.done', { added: result.added, skipped: result.skipped, invalid: result.invalid }));
    } catch (error) {
      if (!(error instanceof WatchFeedError)) throw error;
      return sourcesPage(request, reply, { opmlValue: form.value.opml.slice(0, 20_000), opmlError: request.t('watch.opml.error.unreadable') }, 400);
    }
    return reply.redirect(`${ADMIN_BASE}/sources`, 303);
  });

  async function sourcePage(request: FastifyRequest, reply: FastifyReply, source: repo.SourceRow, values: SourceValues | null, errors: Record<string, string>, status = 200) {
    const ctx = await viewContext(request, reply);
    const shown = values ?? {
      url: source.url,
      name: source.name,
      category: source.category ?? '',
      interval: String(source.interval_minutes),
      active: source.active ? '1' : '',
      themes: await repo.sourceThemes(k.db, source.id),
    };
    return sendPage(reply, SourcePage({ ctx, source, values: shown, errors, themes: await themeOptions(ctx.locale) }), status);
  }

  const sourceOr404 = async (request: FastifyRequest) => {
    const source = await repo.findSource(k.db, idOf(request));
    if (!source) throw new AppError('not_found');
    return source;
  };

  app.get(`${ADMIN_BASE}/sources/:id`, staff, async (request, reply) => sourcePage(request, reply, await sourceOr404(request), null, {}));

  app.post(`${ADMIN_BASE}/sources/:id`, staff, async (request, reply) => {
    const source = await sourceOr404(request);
    const form = parseForm(SourceForm, request.body);
    const values = rawSourceValues(request.body);
    if (!form.ok) return sourcePage(request, reply, source, values, translateErrors(form.errors, request.t), 400);
    const result = await editSource(deps, actorOf(request), source, sourceInput(form.value, true));
    if (!result.ok) return sourcePage(request, reply, source, values, { [result.field]: request.t(result.key, result.params) }, 400);
    flash(request, 'success', request.t('watch.flash.saved'));
    return reply.redirect(`${ADMIN_BASE}/sources`, 303);
  });

  app.post(`${ADMIN_BASE}/sources/:id/supprimer`, staff, async (request, reply) => {
    await removeSource(deps, actorOf(request), await sourceOr404(request));
    flash(request, 'success', request.t('watch.flash.removed'));
    return reply.redirect(`${ADMIN_BASE}/sources`, 303);
  });

  app.post(`${ADMIN_BASE}/sources/:id/actualiser`, staff, async (request, reply) => {
    const outcome = await fetchSource(deps, await sourceOr404(request));
    if (outcome.status === 'error') flash(request, 'error', request.t('watch.flash.failed', { error: request.t(outcome.error.messageKey, outcome.error.params) }));
    else if (outcome.status === 'not_modified') flash(request, 'info', request.t('watch.flash.notModified'));
    else flash(request, 'success', request.t('watch.flash.refreshed', { new: outcome.new, updated: outcome.updated, unchanged: outcome.unchanged }));
    return reply.redirect(`${ADMIN_BASE}/sources`, 303);
  });

  // ---------- Keyword rules ----------

  async function rulesPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, RulesPage({ ctx, rules: await repo.listRules(k.db), values, errors, themes: await themeOptions(ctx.locale), countries: countryOptions(ctx.locale) }), status);
  }

  app.get(`${ADMIN_BASE}/regles`, staff, (request, reply) => rulesPage(request, reply, {}, {}));

  app.post(`${ADMIN_BASE}/regles`, staff, async (request, reply) => {
    const form = parseForm(RuleForm, request.body);
    if (!form.ok) return rulesPage(request, reply, form.values, translateErrors(form.errors, request.t), 400);
    const v = form.value;
    const themes = new Set((await repo.themeOptions(k.db)).map((th) => th.code));
    const errors: Record<string, string> = {};
    if (v.theme && !themes.has(v.theme)) errors['theme'] = request.t('watch.form.error.theme');
    if (v.country && !isCountryCode(v.country)) errors['country'] = request.t('watch.form.error.country');
    if (v.category && !isCategory(v.category)) errors['category'] = request.t('watch.form.error.category');
    if (!v.theme && !v.country && !v.category && v.auto_keep !== '1') errors['keyword'] = request.t('watch.rules.error.noEffect');
    if (Object.keys(errors).length) return rulesPage(request, reply, v as Record<string, string>, errors, 400);
    const now = k.clock.now();
    const id = newId(now.getTime());
    const row = { id, keyword: v.keyword, theme_code: v.theme || null, country_code: v.country || null, category: v.category || null, auto_keep: v.auto_keep === '1' ? 1 : 0, created_by: request.user?.id ?? null, created_at: now.toISOString() };
    await repo.insertRule(k.db, row);
    await recordAudit(k.db, actorOf(request), { action: 'watch_rule.created', entityType: 'watch_rule', entityId: id, after: row }, now);
    flash(request, 'success', request.t('watch.rules.added'));
    return reply.redirect(`${ADMIN_BASE}/regles`, 303);
  });

  app.post(`${ADMIN_BASE}/regles/:id/supprimer`, staff, async (request, reply) => {
    const rule = await repo.findRule(k.db, idOf(request));
    if (!rule) throw new AppError('not_found');
    await repo.deleteRule(k.db, rule.id);
    await recordAudit(k.db, actorOf(request), { action: 'watch_rule.deleted', entityType: 'watch_rule', entityId: rule.id, before: rule }, k.clock.now());
    flash(request, 'success', request.t('watch.rules.removed'));
    return reply.redirect(`${ADMIN_BASE}/regles`, 303);
  });
};
