import { isLocale, type Locale } from '../../kernel/i18n/index.js';
import type { NewsletterSubscriptionStatus } from '../../db/schema.js';
import { type ConsentEvent, type ConsentSource, recordConsent } from './consent.js';
import type { NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import { refreshContactLink, subscribe } from './subscribe.js';
import { isSuppressed, liftSuppression, suppress } from './suppression.js';
import { lowerEmail, TOKEN_PATTERN } from './tokens.js';

export interface PreferencesView {
  /** The address whose choices these are. */
  email: string;
  /** Its subscriber; null for an address that never subscribed (a member's page before a first choice). */
  subscriber: repo.SubscriberRow | null;
  /** Public lists, and the private lists the person is on; `since`: when the status was last set. */
  lists: (repo.ListRow & { status: NewsletterSubscriptionStatus | null; since: string | null })[];
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
  const current = new Map(subscriptions.map((s) => [s.list_id, s]));
  const privateIds = subscriptions.filter((s) => s.is_public === 0 && s.status !== 'unsubscribed').map((s) => s.list_id);
  const lists = [...publicLists, ...(await repo.listsByIds(deps.db, privateIds))].map((l) => ({
    ...l,
    status: suppressed ? ('unsubscribed' as const) : (current.get(l.id)?.status ?? null),
    since: current.get(l.id)?.updated_at ?? null,
  }));
  return { email: subscriber.email, subscriber, lists, interests, suppressed };
}

/**
 * The choices of an address, whether or not it ever subscribed: an address without a subscriber
 * is offered the public lists, none ticked (or all marked unsubscribed when it is suppressed).
 * Nothing is written.
 */
export async function preferencesOfEmail(deps: Pick<NewsletterDeps, 'db'>, email: string): Promise<PreferencesView> {
  const subscriber = await repo.findSubscriberByEmail(deps.db, lowerEmail(email));
  if (subscriber) return preferencesOf(deps, subscriber);
  const [publicLists, suppressed] = await Promise.all([repo.publicLists(deps.db), isSuppressed(deps.db, lowerEmail(email))]);
  return {
    email,
    subscriber: null,
    lists: publicLists.map((l) => ({ ...l, status: suppressed ? ('unsubscribed' as const) : null, since: null })),
    interests: { themes: [], countries: [] },
    suppressed,
  };
}

export interface PreferencesInput {
  name: string | null;
  organisation: string | null;
  listIds: string[];
  themes: string[];
  countries: string[];
}

/** Where the choices are made, and whether the address is proven there. */
export interface PreferencesChannel {
  source: ConsentSource;
  /**
   * The address is proven (a token mailed to it, a member account whose address was confirmed):
   * ticking a list subscribes at once. Otherwise a new list goes through the public form's rules
   * (`subscribe`): a confirmation link is mailed for double opt-in lists and suppressed addresses.
   */
  proven: boolean;
  /** Said in the consent history of a subscription made at once. */
  detail?: string;
  /** The account making the choices (« Mon espace »). */
  recordedBy?: string | null;
  /** The language of the page, kept for an address that has none yet (and for the confirmation email). */
  locale?: Locale;
}

/** The preference centre reached from an email: the token came in a mail to the address. */
export const PREFERENCE_CENTRE: PreferencesChannel = { source: 'preference_centre', proven: true };

/**
 * The person's choices (preference centre, « Mon espace »). On a proven address, ticking a list
 * subscribes at once, without another confirmation, and ticking a list again after an
 * unsubscription from everything lifts the suppression. Unticking a list unsubscribes from it;
 * interests, name and organisation are replaced. Each change is a consent event of the channel's
 * source. Returns whether a confirmation email was sent (an address not proven).
 */
export async function savePreferences(deps: NewsletterDeps, subscriber: repo.SubscriberRow, input: PreferencesInput, ip: string | null, channel: PreferencesChannel = PREFERENCE_CENTRE): Promise<{ confirmationSent: boolean }> {
  const now = deps.clock.now().toISOString();
  const { source } = channel;
  const recordedBy = channel.recordedBy ?? null;
  const view = await preferencesOf(deps, subscriber);
  const person = await refreshContactLink(deps, subscriber);
  const wanted = new Set(input.listIds);
  const events: ConsentEvent[] = [];
  // A list waiting for its confirmation stays so on an address not proven: no new email at each save.
  const subscribing = view.lists.filter((l) => wanted.has(l.id) && l.status !== 'confirmed' && (channel.proven || l.status !== 'unconfirmed'));
  if (channel.proven) {
    if (subscribing.length && view.suppressed) {
      const lifted = await liftSuppression(deps.db, person.email_lower);
      if (lifted) events.push({ action: 'suppression_lifted', source, ip, detail: lifted, recordedBy, at: now });
    }
    for (const list of subscribing) {
      await repo.upsertSubscription(deps.db, person.id, list.id, 'confirmed', now);
      events.push({ action: 'subscribed', source, list, ip, detail: channel.detail ?? null, recordedBy, at: now });
    }
  }
  for (const list of view.lists) {
    if (wanted.has(list.id) || (list.status !== 'confirmed' && list.status !== 'unconfirmed')) continue;
    await repo.upsertSubscription(deps.db, person.id, list.id, 'unsubscribed', now);
    events.push({ action: 'unsubscribed', source, list, ip, recordedBy, at: now });
  }
  const interests = { themes: [...new Set(input.themes)].sort(), countries: [...new Set(input.countries)].sort() };
  if (JSON.stringify(interests) !== JSON.stringify(view.interests)) {
    await repo.replaceInterests(deps.db, person.id, interests);
    events.push({ action: 'interests_changed', source, ip, detail: [...interests.themes, ...interests.countries].join(', ') || null, recordedBy, at: now });
  }
  const keepLocale = channel.proven && subscribing.length > 0 && channel.locale && !person.locale ? { locale: channel.locale } : {};
  await repo.updateSubscriber(deps.db, person.id, { name: input.name, organisation: input.organisation, ...keepLocale, updated_at: now });
  await recordConsent(deps.db, person, events);
  if (channel.proven || subscribing.length === 0) return { confirmationSent: false };
  return subscribe(deps, {
    email: person.email,
    name: input.name,
    organisation: input.organisation,
    listIds: subscribing.map((l) => l.id),
    ...interests,
    ip,
    locale: channel.locale ?? subscriberLocale(person) ?? 'fr',
    source,
    recordedBy,
  });
}

/**
 * Unsubscribes the person from every list and puts the address on the suppression list: no
 * mailing reaches it any more, including those sent to directory segments. Takes effect during a
 * send under way (each batch checks the list before sending).
 */
export async function unsubscribeAll(deps: Pick<NewsletterDeps, 'db' | 'clock'>, subscriber: repo.SubscriberRow, source: ConsentSource, ip: string | null, recordedBy: string | null = null): Promise<void> {
  const now = deps.clock.now().toISOString();
  const person = await refreshContactLink(deps, subscriber);
  const subscriptions = await repo.subscriptionsOf(deps.db, person.id);
  const active = subscriptions.filter((s) => s.status !== 'unsubscribed');
  for (const s of active) await repo.upsertSubscription(deps.db, person.id, s.list_id, 'unsubscribed', now);
  const already = await isSuppressed(deps.db, person.email_lower);
  await suppress(deps.db, person.email_lower, 'unsubscribed', null, now);
  if (already && active.length === 0) return;
  await recordConsent(deps.db, person, [
    ...active.map((s): ConsentEvent => ({ action: 'unsubscribed', source, list: { id: s.list_id, name: s.name }, ip, recordedBy, at: now })),
    { action: 'unsubscribed_all', source, ip, recordedBy, at: now },
  ]);
}

/**
 * The « Se désinscrire » of a message sent for some lists: the person leaves those lists only
 * (each an `unsubscribed` consent event), and keeps the others; the address is not suppressed, so
 * other lists and directory mailings still reach it (« Me désinscrire de tout » does that). Lists
 * the person was not on are left as they are. Returns the lists asked for that exist.
 */
export async function unsubscribeFromLists(deps: Pick<NewsletterDeps, 'db' | 'clock'>, subscriber: repo.SubscriberRow, listIds: readonly string[], source: ConsentSource, ip: string | null): Promise<repo.ListRow[]> {
  const lists = await repo.listsByIds(deps.db, [...new Set(listIds)]);
  if (lists.length === 0) return lists;
  const now = deps.clock.now().toISOString();
  const person = await refreshContactLink(deps, subscriber);
  const current = new Map((await repo.subscriptionsOf(deps.db, person.id)).map((s) => [s.list_id, s.status]));
  const leaving = lists.filter((l) => current.get(l.id) === 'confirmed' || current.get(l.id) === 'unconfirmed');
  for (const list of leaving) await repo.upsertSubscription(deps.db, person.id, list.id, 'unsubscribed', now);
  await recordConsent(
    deps.db,
    person,
    leaving.map((list): ConsentEvent => ({ action: 'unsubscribed', source, list, ip, at: now })),
  );
  return lists;
}
