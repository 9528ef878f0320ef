import { newToken } from '../../kernel/auth/tokens.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { type ConsentEvent, type ConsentSource, recordConsent } from './consent.js';
import type { NewsletterDeps } from './deps.js';
import { CONFIRMATION_MAIL_JOB, type ConfirmationMailPayload } from './confirmation-mail.js';
import * as repo from './repo.js';
import { isSuppressed } from './suppression.js';
import { lowerEmail, newSubscriberToken } from './tokens.js';

/** How long a confirmation link works. */
export const CONFIRMATION_DAYS = 7;
/** Confirmation emails to one address per day at most: the form cannot be used to flood a mailbox. */
export const CONFIRMATIONS_PER_DAY = 3;

export interface Profile {
  name: string | null;
  organisation: string | null;
  themes: string[];
  countries: string[];
}

export interface SubscribeInput extends Profile {
  email: string;
  listIds: string[];
  ip: string | null;
  /** The language of the page the form was sent from: the confirmation email and page use it. */
  locale: Locale;
  /** Where the request came from, for the consent history: the public form unless said otherwise. */
  source?: ConsentSource;
  /** The account that asked (a member from « Mon espace »). */
  recordedBy?: string | null;
}

/**
 * What the confirmation carries: the lists to confirm, the profile typed in the form and the
 * language of the request (absent from requests made before it was kept: French).
 */
export interface ConfirmationRequest extends Profile {
  lists: string[];
  locale?: Locale;
}

/** Finds the subscriber of an address, creating it (race-safe: the address is unique). */
export async function ensureSubscriber(deps: Pick<NewsletterDeps, 'db' | 'clock'>, email: string, profile: Partial<Profile> = {}): Promise<{ subscriber: repo.SubscriberRow; created: boolean }> {
  const emailLower = lowerEmail(email);
  const existing = await repo.findSubscriberByEmail(deps.db, emailLower);
  if (existing) return { subscriber: existing, created: false };
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  await repo.insertSubscriberIfNew(deps.db, {
    id,
    email: email.trim(),
    email_lower: emailLower,
    name: profile.name ?? null,
    organisation: profile.organisation ?? null,
    contact_id: await repo.contactIdByEmail(deps.db, emailLower),
    token: newSubscriberToken(),
    created_at: at,
    updated_at: at,
  });
  const subscriber = await repo.findSubscriberByEmail(deps.db, emailLower);
  if (!subscriber) throw new Error('subscriber not written');
  return { subscriber, created: subscriber.id === id };
}

/** Keeps the link to the directory current: the contact with this address, if any. */
export async function refreshContactLink(deps: Pick<NewsletterDeps, 'db'>, subscriber: repo.SubscriberRow): Promise<repo.SubscriberRow> {
  const contactId = await repo.contactIdByEmail(deps.db, subscriber.email_lower);
  if (contactId === subscriber.contact_id) return subscriber;
  await repo.updateSubscriber(deps.db, subscriber.id, { contact_id: contactId });
  return { ...subscriber, contact_id: contactId };
}

/**
 * The public form. Whatever the address (new, known, subscribed already, unsubscribed, bounced),
 * the visitor sees the same answer: the form never tells whether an address is known.
 *
 * - Single opt-in lists are subscribed at once, unless the address is on the suppression list:
 *   then, as for double opt-in lists, a confirmation link is sent to the address.
 * - Lists the person is confirmed on already are left alone (no error, no email).
 * - The name, organisation and interests typed are applied at once for a new address; for a
 *   known one, only on confirmation (a stranger cannot rewrite someone's profile). The page's
 *   language is kept on confirmation, or at once with a single opt-in subscription if the address
 *   has none yet.
 */
export async function subscribe(deps: NewsletterDeps, input: SubscribeInput): Promise<{ confirmationSent: boolean }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const lists = (await repo.listsByIds(deps.db, input.listIds)).filter((l) => l.is_public === 1);
  const profile: Profile = { name: input.name, organisation: input.organisation, themes: input.themes, countries: input.countries };
  const ensured = await ensureSubscriber(deps, input.email, profile);
  const subscriber = await refreshContactLink(deps, ensured.subscriber);
  if (ensured.created) await repo.replaceInterests(deps.db, subscriber.id, { themes: input.themes, countries: input.countries });
  else {
    // Fill what was empty; never overwrite what the owner of the address wrote.
    const patch: { name?: string; organisation?: string } = {};
    if (!subscriber.name && input.name) patch.name = input.name;
    if (!subscriber.organisation && input.organisation) patch.organisation = input.organisation;
    if (Object.keys(patch).length) await repo.updateSubscriber(deps.db, subscriber.id, { ...patch, updated_at: at });
  }
  const suppressed = await isSuppressed(deps.db, subscriber.email_lower);
  const current = new Map((await repo.subscriptionsOf(deps.db, subscriber.id)).map((s) => [s.list_id, s.status]));
  const toConfirm: repo.ListRow[] = [];
  const source = input.source ?? 'web_form';
  const recordedBy = input.recordedBy ?? null;
  let subscribedAtOnce = false;
  const events: ConsentEvent[] = [];
  for (const list of lists) {
    if (current.get(list.id) === 'confirmed') continue;
    if (list.double_opt_in === 1 || suppressed) {
      toConfirm.push(list);
      if (current.get(list.id) !== 'unconfirmed') await repo.upsertSubscription(deps.db, subscriber.id, list.id, 'unconfirmed', at);
      events.push({ action: 'requested', source, list, ip: input.ip, recordedBy, at });
    } else {
      await repo.upsertSubscription(deps.db, subscriber.id, list.id, 'confirmed', at);
      events.push({ action: 'subscribed', source, list, ip: input.ip, detail: 'Inscription simple (sans confirmation)', recordedBy, at });
      subscribedAtOnce = true;
    }
  }
  if (subscribedAtOnce && !subscriber.locale) await repo.updateSubscriber(deps.db, subscriber.id, { locale: input.locale, updated_at: at });
  await recordConsent(deps.db, subscriber, events);
  if (toConfirm.length === 0) return { confirmationSent: false };
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  if ((await repo.countConfirmationsSince(deps.db, subscriber.id, since)) >= CONFIRMATIONS_PER_DAY) return { confirmationSent: false };
  const { token, hash } = newToken();
  const request: ConfirmationRequest = { lists: toConfirm.map((l) => l.id), ...profile, locale: input.locale };
  const id = newId(now.getTime());
  await repo.insertConfirmation(deps.db, {
    id,
    subscriber_id: subscriber.id,
    token_hash: hash,
    request: JSON.stringify(request),
    ip: input.ip,
    expires_at: new Date(now.getTime() + CONFIRMATION_DAYS * 86_400_000).toISOString(),
    used_at: null,
    created_at: at,
  });
  await deps.jobs.enqueue(CONFIRMATION_MAIL_JOB, { confirmationId: id, token } satisfies ConfirmationMailPayload, { idempotencyKey: `newsletter.confirmation:${id}` });
  return { confirmationSent: true };
}
