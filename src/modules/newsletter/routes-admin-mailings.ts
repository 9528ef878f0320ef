import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { intlLocale, isLocale, type Locale, numberFormat } from '../../kernel/i18n/index.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { parseLocalDateTime, parseTimeOfDay } from '../../kernel/time/zoned.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { listSegments } from '../organisations-admin/index.js';
import { previewAudience } from './audience.js';
import { bodyOf, parseBlocks } from './blocks.js';
import { newsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import { createMailing, deleteMailing, type MailingInput, MAX_TEST_ADDRESSES, parseTestAddresses, saveMailing, testSend } from './mailings.js';
import { personalise, prepareMailing } from './render-mailing.js';
import * as repo from './repo.js';
import { asList, MailingForm, SendForm } from './schemas.js';
import { cancelMailing, pauseMailing, progressOf, resumeMailing, scheduleMailing, unscheduleMailing } from './send-control.js';
import * as sendRepo from './send-repo.js';
import { newsletterSettings } from './settings.js';
import { parseReason, startSend } from './start-send.js';
import { trackingStats } from './tracking-stats.js';
import { SAMPLE_TOKEN } from './tokens.js';
import { ADMIN_BASE, AudiencePage, DraftPage, type DraftPageProps, type MailingValues, MailingsPage, NewMailingPage, PreviewPage, SendingPage } from './views-admin.js';

/** A sample person for the preview. */
const PREVIEW_NAME = 'Camille Exemple';

/** « a », « b » et « c » (French), “a”, “b” and “c” (English): the first few, each cut short. */
function quotedList(locale: Locale, items: string[], shown = 5): string {
  const quote = (text: string) => (locale === 'fr' ? `« ${text} »` : `“${text}”`);
  const quoted = items.slice(0, shown).map((item) => quote(item.length > 80 ? `${item.slice(0, 79)}…` : item));
  if (items.length > shown) quoted.push('…');
  return new Intl.ListFormat(intlLocale(locale), { type: 'conjunction' }).format(quoted);
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/**
 * The form as posted. The greeting's box, unticked, sends nothing: the form's hidden
 * `greeting_shown` tells that apart from a post without the box (the mailing's choice, `greeting`, stays).
 */
function rawValues(body: unknown, greeting: boolean): MailingValues {
  const b = (body ?? {}) as Record<string, unknown>;
  // Shown again as typed, however long (the request's size bounds it): the schema says what is too long.
  const text = (name: string) => String(b[name] ?? '');
  return {
    subject: text('subject'),
    from_name: text('from_name'),
    reply_to: text('reply_to'),
    body: text('body'),
    lists: asList(b['lists']),
    segment: text('segment'),
    track: b['track'] === '1',
    locale: text('locale'),
    greeting: b['greeting_shown'] === '1' ? b['greeting'] === '1' : greeting,
  };
}

function inputOf(values: MailingValues): MailingInput {
  return { subject: values.subject.trim(), fromName: values.from_name.trim(), replyTo: values.reply_to.trim() || null, body: values.body, listIds: values.lists, segmentId: values.segment || null, track: values.track, locale: isLocale(values.locale) ? values.locale : 'fr', greeting: values.greeting };
}

export const newsletterMailingRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const staff = { config: { access: 'staff' as const } };

  const mailingOr404 = async (request: FastifyRequest) => {
    const mailing = await mailingRepo.findMailing(k.db, idOf(request));
    if (!mailing) throw new AppError('not_found');
    return mailing;
  };
  const segments = async () => (await listSegments(k.db)).map((s) => ({ id: s.id, name: s.name }));

  app.get(ADMIN_BASE, staff, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, MailingsPage({ ctx, mailings: await mailingRepo.listMailings(k.db) }));
  });

  async function newPage(request: FastifyRequest, reply: FastifyReply, values: MailingValues | null, errors: FieldErrors, status = 200) {
    const ctx = await viewContext(request, reply);
    // A new mailing greets its recipients unless staff untick it.
    const shown = values ?? { subject: '', from_name: ctx.site.networkName, reply_to: '', body: '', lists: [], segment: '', track: false, locale: 'fr', greeting: true };
    return sendPage(reply, NewMailingPage({ ctx, values: shown, errors, lists: await repo.listLists(k.db), segments: await segments() }), status);
  }

  app.get(`${ADMIN_BASE}/nouvelle`, staff, (request, reply) => newPage(request, reply, null, {}));
  redirectNewFormAliases(app, ADMIN_BASE, 'nouvelle', 'staff');

  app.post(`${ADMIN_BASE}/nouvelle`, staff, async (request, reply) => {
    const values = rawValues(request.body, true);
    const form = parseForm(MailingForm, request.body);
    if (!form.ok) return newPage(request, reply, values, translateErrors(form.errors, request.t), 400);
    const result = await createMailing(deps, actorOf(request), inputOf(values));
    if (!result.ok) return newPage(request, reply, values, { [result.field]: request.t(result.key) }, 400);
    flash(request, 'success', request.t('newsletter.flash.created'));
    return reply.redirect(`${ADMIN_BASE}/${result.id}`, 303);
  });

  async function mailingPage(request: FastifyRequest, reply: FastifyReply, mailing: mailingRepo.MailingRow, extra: Partial<Pick<DraftPageProps, 'values' | 'errors' | 'testValue' | 'testError' | 'sendErrors' | 'sendValues'>> = {}, status = 200) {
    const ctx = await viewContext(request, reply);
    const reason = parseReason(mailing.pause_reason);
    if (mailing.status === 'draft' || mailing.status === 'scheduled') {
      const values = extra.values ?? {
        subject: mailing.subject,
        from_name: mailing.from_name,
        reply_to: mailing.reply_to ?? '',
        body: bodyOf(parseBlocks(mailing.blocks)),
        lists: await mailingRepo.listIdsOfMailing(k.db, mailing.id),
        segment: mailing.segment_id ?? '',
        track: mailing.tracking === 1,
        locale: mailing.locale,
        greeting: mailing.greeting === 1,
      };
      return sendPage(reply, DraftPage({ ctx, mailing, values, errors: extra.errors ?? {}, lists: await repo.listLists(k.db), segments: await segments(), reason, testValue: extra.testValue, testError: extra.testError, sendErrors: extra.sendErrors, sendValues: extra.sendValues, outbox: k.mail.outbox }), status);
    }
    const [progress, failures, tracking] = await Promise.all([progressOf(deps, mailing), sendRepo.recipientsOf(k.db, mailing.id, 'failed', 0, 200), trackingStats(deps, mailing)]);
    return sendPage(reply, SendingPage({ ctx, mailing, progress, reason, failures, tracking, outbox: k.mail.outbox }), status);
  }

  app.get(`${ADMIN_BASE}/:id`, staff, async (request, reply) => mailingPage(request, reply, await mailingOr404(request)));

  app.post(`${ADMIN_BASE}/:id`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const values = rawValues(request.body, mailing.greeting === 1);
    const form = parseForm(MailingForm, request.body);
    if (!form.ok) return mailingPage(request, reply, mailing, { values, errors: translateErrors(form.errors, request.t) }, 400);
    const result = await saveMailing(deps, actorOf(request), mailing, inputOf(values));
    if (!result.ok) return mailingPage(request, reply, mailing, { values, errors: { [result.field]: request.t(result.key) } }, result.key === 'newsletter.error.notDraft' ? 409 : 400);
    flash(request, 'success', request.t('newsletter.flash.saved'));
    return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
  });

  // The email as recipients see it (a sample person): a back-office page framing it (`?format=courriel`,
  // in its own document since its inline styles need their own CSP), or its text part (`?format=texte`).
  app.get(`${ADMIN_BASE}/:id/apercu`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const settings = await newsletterSettings(deps);
    const lists = await repo.listsByIds(k.db, await mailingRepo.listIdsOfMailing(k.db, mailing.id));
    const prepared = await prepareMailing(deps, mailing, lists.map((l) => l.name), settings.unsubscribeMailto);
    const problems = prepared.problems.map((p) => request.t(p.key, p.params));
    const format = (request.query as { format?: string }).format;
    if (format !== 'texte' && format !== 'courriel') return sendPage(reply, PreviewPage({ ctx: await viewContext(request, reply), mailing, sampleName: PREVIEW_NAME, problems }));
    const message = personalise(deps, prepared, { email: 'camille@example.org', name: PREVIEW_NAME, token: SAMPLE_TOKEN, via: mailing.segment_id && lists.length === 0 ? 'segment' : 'list' });
    if (format === 'texte') return reply.type('text/plain; charset=utf-8').send(problems.length ? `${problems.join('\n')}\n\n${message.text}` : message.text);
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
    return reply.type('text/html; charset=utf-8').send(message.html);
  });

  app.get(`${ADMIN_BASE}/:id/destinataires`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    // Counted and paged by the database: one count query and one page query, whatever the audience's size.
    const page = pageNumber((request.query as { page?: string }).page);
    const target = { listIds: await mailingRepo.listIdsOfMailing(k.db, mailing.id), segmentId: mailing.segment_id };
    const audience = await previewAudience(deps, target, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const beyond = redirectPastLastPage(request, reply, page, audience.total, PAGE_SIZE);
    if (beyond) return beyond;
    return sendPage(reply, AudiencePage({ ctx: await viewContext(request, reply), mailing, audience, page, pageSize: PAGE_SIZE }));
  });

  app.post(`${ADMIN_BASE}/:id/test`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const body = formBody(request);
    const typed = String(body['addresses'] ?? '').slice(0, 2000);
    const parsed = parseTestAddresses(typed);
    const refuse = (testError: string) => mailingPage(request, reply, mailing, { testValue: typed, testError }, 400);
    // What is not an address is named first: a field of typos is not an empty field.
    if (parsed.invalid.length) return refuse(request.t('newsletter.error.testInvalid', { count: parsed.invalid.length, addresses: quotedList(request.locale, parsed.invalid) }));
    if (parsed.emails.length === 0) return refuse(request.t('newsletter.error.testAddresses'));
    if (parsed.emails.length > MAX_TEST_ADDRESSES) return refuse(request.t('newsletter.error.testTooMany', { max: MAX_TEST_ADDRESSES }));
    const result = await testSend(deps, mailing, parsed.emails, request.t);
    if (result.problems.length) return refuse(request.t(result.problems[0]!));
    if (result.sent.length && result.outbox) flash(request, 'info', request.t('newsletter.flash.testWritten', { dir: `${result.outbox}/`, addresses: result.sent.join(', ') }));
    else if (result.sent.length) flash(request, 'success', request.t('newsletter.flash.testSent', { addresses: result.sent.join(', ') }));
    for (const f of result.failed) flash(request, 'error', request.t('newsletter.flash.testFailed', { address: f.email, reason: f.reason }));
    return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
  });

  app.post(`${ADMIN_BASE}/:id/envoyer`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const body = formBody(request);
    const sendValues = { when: String(body['when'] ?? 'now'), date: String(body['date'] ?? '').slice(0, 10), time: String(body['time'] ?? '').slice(0, 20) };
    const form = parseForm(SendForm, body);
    if (!form.ok) return mailingPage(request, reply, mailing, { sendValues, sendErrors: translateErrors(form.errors, request.t) }, 400);
    if (form.value.when === 'later') {
      // « 25 h » has a time's shape but is none: named on the time field, not the date.
      if (form.value.time && !parseTimeOfDay(form.value.time)) return mailingPage(request, reply, mailing, { sendValues, sendErrors: { time: request.t('newsletter.error.time') } }, 400);
      const at = form.value.date ? parseLocalDateTime(form.value.date, form.value.time || '08:00') : null;
      if (!at) return mailingPage(request, reply, mailing, { sendValues, sendErrors: { date: request.t('newsletter.error.date') } }, 400);
      const result = await scheduleMailing(deps, actorOf(request), mailing.id, at);
      if (!result.ok) return mailingPage(request, reply, mailing, { sendValues, sendErrors: { date: request.t(result.key, 'params' in result ? result.params : undefined) } }, 400);
      flash(request, 'success', request.t('newsletter.flash.scheduled'));
      return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
    }
    const result = await startSend(deps, actorOf(request), mailing.id);
    if (!result.ok) return mailingPage(request, reply, mailing, { sendValues, sendErrors: { when: request.t(result.key, result.params) } }, 400);
    flash(request, 'success', request.t('newsletter.flash.started', { count: numberFormat(request.locale).format(result.total) }));
    return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
  });

  app.post(`${ADMIN_BASE}/:id/deprogrammer`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const result = await unscheduleMailing(deps, actorOf(request), mailing.id);
    flash(request, result.ok ? 'success' : 'error', request.t(result.ok ? 'newsletter.flash.unscheduled' : result.key));
    return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
  });

  const control = (path: string, run: typeof pauseMailing, done: 'newsletter.flash.paused' | 'newsletter.flash.resumed' | 'newsletter.flash.cancelled') =>
    app.post(`${ADMIN_BASE}/:id/${path}`, staff, async (request, reply) => {
      const mailing = await mailingOr404(request);
      const result = await run(deps, actorOf(request), mailing.id);
      flash(request, result.ok ? 'success' : 'error', request.t(result.ok ? done : result.key));
      return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
    });
  control('pause', pauseMailing, 'newsletter.flash.paused');
  control('reprendre', resumeMailing, 'newsletter.flash.resumed');
  control('annuler', cancelMailing, 'newsletter.flash.cancelled');

  app.get(`${ADMIN_BASE}/:id/progression`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const progress = await progressOf(deps, mailing);
    const reason = parseReason(mailing.pause_reason);
    return reply.header('cache-control', 'no-store').send({ ...progress, reason: reason ? request.t(reason.key, reason.params) : null });
  });

  app.post(`${ADMIN_BASE}/:id/supprimer`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    if (!(await deleteMailing(deps, actorOf(request), mailing))) {
      flash(request, 'error', request.t('newsletter.error.notDeletable'));
      return reply.redirect(`${ADMIN_BASE}/${mailing.id}`, 303);
    }
    flash(request, 'success', request.t('newsletter.flash.deleted'));
    return reply.redirect(ADMIN_BASE, 303);
  });
};
