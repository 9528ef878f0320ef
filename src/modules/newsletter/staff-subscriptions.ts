import { recordAudit } from '../../kernel/audit/index.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { recordConsent } from './consent.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import { refreshContactLink } from './subscribe.js';
import { isSuppressed } from './suppression.js';

/**
 * Staff subscribe a person to a list (they asked by phone, on paper…) or unsubscribe them; the
 * consent event names staff as the source and who recorded it. An address on the suppression list
 * cannot be subscribed by staff: only the person can lift it (confirmation, preference centre).
 */
export async function staffSetSubscription(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, subscriber: repo.SubscriberRow, listId: string, action: 'subscribe' | 'unsubscribe'): Promise<{ ok: true } | { ok: false; key: MessageKey }> {
  const list = await repo.findList(deps.db, listId);
  if (!list) return { ok: false, key: 'newsletter.error.listUnknown' };
  if (action === 'subscribe' && (await isSuppressed(deps.db, subscriber.email_lower))) return { ok: false, key: 'newsletter.error.suppressed' };
  const now = deps.clock.now();
  const at = now.toISOString();
  const person = await refreshContactLink(deps, subscriber);
  const current = (await repo.subscriptionsOf(deps.db, person.id)).find((s) => s.list_id === listId)?.status;
  const status = action === 'subscribe' ? 'confirmed' : 'unsubscribed';
  if (current === status || (action === 'unsubscribe' && !current)) return { ok: true };
  await repo.upsertSubscription(deps.db, person.id, listId, status, at);
  await recordConsent(deps.db, person, [{ action: action === 'subscribe' ? 'subscribed' : 'unsubscribed', source: 'staff', list, recordedBy: actor.id, at }]);
  await recordAudit(deps.db, actor, { action: `newsletter_subscription.${action}d`, entityType: 'newsletter_subscriber', entityId: person.id, after: { list: list.name, status } }, now);
  return { ok: true };
}
