import { recordAudit } from '../../kernel/audit/index.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import * as sendRepo from './send-repo.js';
import * as trackingRepo from './tracking-repo.js';
import { isSuppressed, suppress } from './suppression.js';
import { emailHash, lowerEmail } from './tokens.js';

/** Everything the newsletter holds about these addresses (RGPD right of access). */
export async function newsletterDataOfEmails(deps: Pick<NewsletterDeps, 'db'>, emails: readonly string[]) {
  const subscribers = await repo.subscribersByEmails(deps.db, [...new Set(emails.map(lowerEmail))]);
  const out = [];
  for (const s of subscribers) {
    const [subscriptions, interests, events, received, suppressed, clicks] = await Promise.all([
      repo.subscriptionsOf(deps.db, s.id),
      repo.interestsOf(deps.db, s.id),
      repo.consentEventsOf(deps.db, s.id),
      sendRepo.recipientsOfSubscriber(deps.db, s.id),
      isSuppressed(deps.db, s.email_lower),
      trackingRepo.clicksOfSubscriber(deps.db, s.id),
    ]);
    out.push({
      email: s.email,
      name: s.name,
      organisation: s.organisation,
      locale: s.locale,
      created_at: s.created_at,
      suppressed,
      subscriptions: subscriptions.map((x) => ({ list: x.name, status: x.status, since: x.updated_at })),
      interests,
      consent_events: [...events].reverse().map((e) => ({ at: e.at, action: e.action, list: e.list_name, source: e.source, ip: e.ip, detail: e.detail })),
      // Opens and clicks only for mailings sent with tracking on.
      mailings_received: received.map((r) => ({
        subject: r.subject,
        status: r.status,
        sent_at: r.sent_at,
        ...(r.tracking === 1
          ? {
              first_opened_at: r.opened_at,
              opens: Number(r.open_count),
              clicks: clicks.filter((c) => c.mailing_id === r.mailing_id).map((c) => ({ url: c.url, clicks: Number(c.clicks), first_at: c.first_clicked_at, last_at: c.last_clicked_at })),
            }
          : {}),
      })),
    });
  }
  return out;
}

/**
 * RGPD erasure: the subscriber rows of these addresses go, with their subscriptions, interests,
 * consent history and the mailings' recipient rows (their opens and clicks go with them, by
 * cascade); each address is kept only as a hash in the suppression list, so that it is never
 * mailed again (an import or a segment cannot bring it back).
 */
export async function eraseNewsletterOfEmails(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, emails: readonly string[]): Promise<number> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const lowered = [...new Set(emails.map(lowerEmail))];
  const subscribers = await repo.subscribersByEmails(deps.db, lowered);
  await deps.db.transaction().execute(async (trx) => {
    for (const s of subscribers) await repo.deleteSubscriber(trx, s.id);
    for (const email of lowered) {
      // Whatever the reason it was suppressed for, it is now: erased.
      await repo.deleteSuppression(trx, emailHash(email));
      await suppress(trx, email, 'erased', null, at);
    }
  });
  for (const s of subscribers) await recordAudit(deps.db, actor, { action: 'newsletter_subscriber.erased', entityType: 'newsletter_subscriber', entityId: s.id }, now);
  return subscribers.length;
}
