import { isLocale, type Locale } from '../../kernel/i18n/index.js';
import { type ConsentEvent, type ConsentSource, recordConsent } from './consent.js';
import type { NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import { refreshContactLink } from './subscribe.js';
import { isSuppressed, liftSuppression, suppress } from './suppression.js';
import { TOKEN_PATTERN } from './tokens.js';

export interface PreferencesView {
  subscriber: repo.SubscriberRow;
  /** Public lists, and the private lists the person is on. */
  lists: (repo.ListRow & { status: string | null })[];
  interests: { themes: string[]; countries: string[] };
  suppressed: boolean;
}

/** The language the person confirmed in; null for subscribers from before it was kept. */
export function subscriberLocale(subscriber: Pick<repo.SubscriberRow, 'locale'>): Locale | null {
  return isLocale(subscriber.locale) ? subscriber.locale : null;
}

export async function subscriberOfToken(deps: Pick<NewsletterDeps, 'db'>, token: string): Promise<repo.SubscriberRow | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return repo.findSubscriberByToken(deps.db, token);
}

export async function preferencesOf(deps: Pick<NewsletterDeps, 'db'>, subscriber: repo.SubscriberRow): Promise<PreferencesView> {
  const [subscriptions, publicLists, interests, suppressed] = await Promise.all([
    repo.subscriptionsOf(deps.db, subscriber.id),
    repo.publicLists(deps.db),
    repo.interestsOf(deps.db, subscriber.id),
    isSuppressed(deps.db, subscriber.email_lower),
  ]);
  const status = new Map(subscriptions.map((s) => [s.list_id, s.status]));
  const privateIds = subscriptions.filter((s) => s.is_public === 0 && s.status !== 'unsubscribed').map((s) => s.list_id);
  const lists = [...publicLists, ...(await repo.listsByIds(deps.db, privateIds))].map((l) => ({ ...l, status: suppressed ? 'unsubscribed' : (status.get(l.id) ?? null) }));
  return { subscriber, lists, interests, suppressed };
}

export interface PreferencesInput {
  name: string | null;
  organisation: string | null;
  listIds: string[];
  themes: string[];
  countries: string[];
}

/**
 * The person's choices from the preference centre (the token came in an email to the address:
 * ticking a list subscribes at once, without another confirmation). Ticking a list again after an
 * unsubscription from everything lifts the suppression.
 */
export async function savePreferences(deps: Pick<NewsletterDeps, 'db' | 'clock'>, subscriber: repo.SubscriberRow, input: PreferencesInput, ip: string | null): Promise<void> {
  const now = deps.clock.now().toISOString();
  const view = await preferencesOf(deps, subscriber);
  const person = await refreshContactLink(deps, subscriber);
  const wanted = new Set(input.listIds);
  const events: ConsentEvent[] = [];
  const subscribing = view.lists.filter((l) => wanted.has(l.id) && l.status !== 'confirmed');
  if (subscribing.length && view.suppressed) {
    const lifted = await liftSuppression(deps.db, person.email_lower);
    if (lifted) events.push({ action: 'suppression_lifted', source: 'preference_centre', ip, detail: lifted, at: now });
  }
  for (const list of subscribing) {
    await repo.upsertSubscription(deps.db, person.id, list.id, 'confirmed', now);
    events.push({ action: 'subscribed', source: 'preference_centre', list, ip, at: now });
  }
  for (const list of view.lists) {
    if (wanted.has(list.id) || (list.status !== 'confirmed' && list.status !== 'unconfirmed')) continue;
    await repo.upsertSubscription(deps.db, person.id, list.id, 'unsubscribed', now);
    events.push({ action: 'unsubscribed', source: 'preference_centre', list, ip, at: now });
  }
  const interests = { themes: [...new Set(input.themes)].sort(), countries: [...new Set(input.countries)].sort() };
  if (JSON.stringify(interests) !== JSON.stringify(view.interests)) {
    await repo.replaceInterests(deps.db, person.id, interests);
    events.push({ action: 'interests_changed', source: 'preference_centre', ip, detail: [...interests.themes, ...interests.countries].join(', ') || null, at: now });
  }
  await repo.updateSubscriber(deps.db, person.id, { name: input.name, organisation: input.organisation, updated_at: now });
  await recordConsent(deps.db, person, events);
}

/**
 * Unsubscribes the person from every list and puts the address on the suppression list: no
 * mailing reaches it any more, including those sent to directory segments. Takes effect during a
 * send under way (each batch checks the list before sending).
 */
export async function unsubscribeAll(deps: Pick<NewsletterDeps, 'db' | 'clock'>, subscriber: repo.SubscriberRow, source: ConsentSource, ip: string | null): Promise<void> {
  const now = deps.clock.now().toISOString();
  const person = await refreshContactLink(deps, subscriber);
  const subscriptions = await repo.subscriptionsOf(deps.db, person.id);
  const active = subscriptions.filter((s) => s.status !== 'unsubscribed');
  for (const s of active) await repo.upsertSubscription(deps.db, person.id, s.list_id, 'unsubscribed', now);
  const already = await isSuppressed(deps.db, person.email_lower);
  await suppress(deps.db, person.email_lower, 'unsubscribed', null, now);
  if (already && active.length === 0) return;
  await recordConsent(deps.db, person, [
    ...active.map((s): ConsentEvent => ({ action: 'unsubscribed', source, list: { id: s.list_id, name: s.name }, ip, at: now })),
    { action: 'unsubscribed_all', source, ip, at: now },
  ]);
}
