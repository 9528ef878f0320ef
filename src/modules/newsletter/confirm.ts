import { hashToken } from '../../kernel/auth/tokens.js';
import { isLocale, type Locale } from '../../kernel/i18n/index.js';
import { requestLocale } from './confirmation-mail.js';
import { type ConsentEvent, recordConsent } from './consent.js';
import type { NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import type { ConfirmationRequest } from './subscribe.js';
import { refreshContactLink } from './subscribe.js';
import { liftSuppression } from './suppression.js';

/** `locale`: the language the subscription was asked in (its email and page speak it). */
export type ConfirmationState =
  | { status: 'invalid' }
  | { status: 'expired'; locale: Locale }
  | { status: 'pending' | 'done'; subscriber: repo.SubscriberRow; lists: repo.ListRow[]; locale: Locale };

/** What a confirmation link stands for, without changing anything (the page shows a button). */
export async function confirmationState(deps: Pick<NewsletterDeps, 'db' | 'clock'>, token: string): Promise<ConfirmationState> {
  const row = await repo.findConfirmation(deps.db, hashToken(token));
  if (!row) return { status: 'invalid' };
  const subscriber = await repo.findSubscriber(deps.db, row.subscriber_id);
  if (!subscriber) return { status: 'invalid' };
  const request = JSON.parse(row.request) as ConfirmationRequest;
  const locale = requestLocale(request);
  const lists = await repo.listsByIds(deps.db, request.lists);
  if (row.used_at) return { status: 'done', subscriber, lists, locale };
  if (row.expires_at < deps.clock.now().toISOString()) return { status: 'expired', locale };
  return { status: 'pending', subscriber, lists, locale };
}

/**
 * The person confirms (double opt-in): the lists asked for become confirmed subscriptions, the
 * profile typed in the form and the language it was asked in are applied, and a suppression of the
 * address is lifted (this is a new, explicit consent). A second click changes nothing.
 */
export async function confirmSubscription(deps: Pick<NewsletterDeps, 'db' | 'clock'>, token: string, ip: string | null): Promise<ConfirmationState> {
  const state = await confirmationState(deps, token);
  if (state.status !== 'pending') return state;
  const row = (await repo.findConfirmation(deps.db, hashToken(token)))!;
  const now = deps.clock.now().toISOString();
  if (!(await repo.useConfirmation(deps.db, row.id, now))) return { ...state, status: 'done' };
  const request = JSON.parse(row.request) as ConfirmationRequest;
  const subscriber = await refreshContactLink(deps, state.subscriber);
  const events: ConsentEvent[] = [];
  const lifted = await liftSuppression(deps.db, subscriber.email_lower);
  if (lifted) events.push({ action: 'suppression_lifted', source: 'confirmation_link', ip, detail: lifted, at: now });
  const current = new Map((await repo.subscriptionsOf(deps.db, subscriber.id)).map((s) => [s.list_id, s.status]));
  for (const list of state.lists) {
    if (current.get(list.id) === 'confirmed') continue;
    await repo.upsertSubscription(deps.db, subscriber.id, list.id, 'confirmed', now);
    events.push({ action: 'subscribed', source: 'confirmation_link', list, ip, detail: 'Double opt-in confirmé', at: now });
  }
  const patch: { name?: string; organisation?: string; locale?: Locale; updated_at: string } = { updated_at: now };
  if (request.name) patch.name = request.name;
  if (request.organisation) patch.organisation = request.organisation;
  if (isLocale(request.locale)) patch.locale = request.locale;
  await repo.updateSubscriber(deps.db, subscriber.id, patch);
  if (request.themes.length || request.countries.length) {
    await repo.replaceInterests(deps.db, subscriber.id, { themes: request.themes, countries: request.countries });
    events.push({ action: 'interests_changed', source: 'confirmation_link', ip, at: now });
  }
  await recordConsent(deps.db, subscriber, events);
  return { status: 'done', subscriber, lists: state.lists, locale: state.locale };
}
