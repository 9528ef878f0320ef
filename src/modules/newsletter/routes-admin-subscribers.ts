import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { NewsletterSubscriptionStatus } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { sendJsonDownload } from '../../kernel/http/json-download.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm } from '../../kernel/validation.js';
import { newsletterDeps } from './deps.js';
import * as repo from './repo.js';
import { eraseNewsletterOfEmails, newsletterDataOfEmails } from './rgpd.js';
import { StaffSubscriptionForm } from './schemas.js';
import * as sendRepo from './send-repo.js';
import { staffSetSubscription } from './staff-subscriptions.js';
import { isSuppressed } from './suppression.js';
import { ADMIN_BASE } from './views-admin.js';
import { SubscriberPage, SubscribersPage } from './views-admin-subscribers.js';

const PAGE_SIZE = 50;
const STATUSES: NewsletterSubscriptionStatus[] = ['confirmed', 'unconfirmed', 'unsubscribed'];

export const newsletterSubscriberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const staff = { config: { access: 'staff' as const } };
  const base = `${ADMIN_BASE}/abonnes`;

  app.get(base, staff, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const lists = await repo.listLists(k.db);
    const filter = {
      q: (query['q'] ?? '').trim().slice(0, 200),
      liste: lists.some((l) => l.id === query['liste']) ? query['liste']! : '',
      etat: STATUSES.find((s) => s === query['etat']) ?? '',
    };
    const status = STATUSES.find((s) => s === filter.etat);
    const page = pageNumber(query['page']);
    const { rows, total } = await repo.searchSubscribers(k.db, { q: filter.q || undefined, listId: filter.liste || undefined, status }, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    const beyond = redirectPastLastPage(request, reply, page, total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SubscribersPage({ ctx, rows, total, page, pageSize: PAGE_SIZE, lists, filter, suppressions: await repo.countSuppressions(k.db) }));
  });

  const subscriberOr404 = async (request: FastifyRequest) => {
    const subscriber = await repo.findSubscriber(k.db, (request.params as { id: string }).id);
    if (!subscriber) throw new AppError('not_found');
    return subscriber;
  };

  async function subscriberPage(request: FastifyRequest, reply: FastifyReply, subscriber: repo.SubscriberRow, error?: string, status = 200) {
    const [subscriptions, lists, interests, events, received, suppressed] = await Promise.all([
      repo.subscriptionsOf(k.db, subscriber.id),
      repo.listLists(k.db),
      repo.interestsOf(k.db, subscriber.id),
      repo.consentEventsOf(k.db, subscriber.id),
      sendRepo.recipientsOfSubscriber(k.db, subscriber.id),
      isSuppressed(k.db, subscriber.email_lower),
    ]);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SubscriberPage({ ctx, subscriber, subscriptions, lists, interests, events, received, suppressed, error }), status);
  }

  app.get(`${base}/:id`, staff, async (request, reply) => subscriberPage(request, reply, await subscriberOr404(request)));

  app.post(`${base}/:id/abonnement`, staff, async (request, reply) => {
    const subscriber = await subscriberOr404(request);
    const form = parseForm(StaffSubscriptionForm, request.body);
    if (!form.ok) return subscriberPage(request, reply, subscriber, request.t('validation.choice'), 400);
    const result = await staffSetSubscription(deps, actorOf(request), subscriber, form.value.list, form.value.action);
    if (!result.ok) return subscriberPage(request, reply, subscriber, request.t(result.key), 400);
    flash(request, 'success', request.t('newsletter.flash.subscriptionSaved'));
    return reply.redirect(`${base}/${subscriber.id}`, 303);
  });

  // RGPD right of access: one JSON document (POST: the export is recorded in the audit log).
  app.post(`${base}/:id/export`, staff, async (request, reply) => {
    const subscriber = await subscriberOr404(request);
    const data = await newsletterDataOfEmails(deps, [subscriber.email]);
    await recordAudit(k.db, actorOf(request), { action: 'newsletter_subscriber.exported', entityType: 'newsletter_subscriber', entityId: subscriber.id }, k.clock.now());
    return sendJsonDownload(reply, `lettre-${subscriber.id}.json`, { exported_at: k.clock.now().toISOString(), newsletter: data });
  });

  app.post(`${base}/:id/effacer`, staff, async (request, reply) => {
    const subscriber = await subscriberOr404(request);
    await eraseNewsletterOfEmails(deps, actorOf(request), [subscriber.email]);
    flash(request, 'success', request.t('newsletter.flash.erased'));
    return reply.redirect(base, 303);
  });
};
