// « Mon espace » › Mes lettres d'information: a signed-in person's subscriptions, at their account's address.
import type { Locale } from '../../kernel/i18n/index.js';
import type { NewsletterDeps } from './deps.js';
import { type PreferencesInput, type PreferencesView, preferencesOfEmail, savePreferences, unsubscribeAll } from './preferences.js';
import * as repo from './repo.js';
import { ensureSubscriber } from './subscribe.js';
import { lowerEmail } from './tokens.js';

/** The signed-in account (its current address, read at each request). */
export interface MemberAccount {
  id: string;
  email: string;
  displayName: string;
}

/** Said in the consent history of a list subscribed at once from « Mon espace ». */
const PROVEN_DETAIL = 'Adresse du compte déjà confirmée, sans double opt-in';

export interface MemberLetters {
  view: PreferencesView;
  /** Whether the account's address is proven (see `repo.accountAddressProven`): a list ticked is subscribed at once. */
  proven: boolean;
}

/** What the account's address receives; nothing is written. */
export async function memberLetters(deps: Pick<NewsletterDeps, 'db'>, account: MemberAccount): Promise<MemberLetters> {
  const [view, proven] = await Promise.all([preferencesOfEmail(deps, account.email), repo.accountAddressProven(deps.db, account.id)]);
  return { view, proven };
}

/**
 * The member's choices, with the preference centre's rules (`savePreferences`), recorded as made
 * from « Mon espace » by the account. On a proven address, a ticked list is subscribed at once;
 * otherwise the confirmation link is mailed as from the public form. An address that never
 * subscribed gets its subscriber only when the person chooses a list or an interest.
 */
export async function saveMemberLetters(deps: NewsletterDeps, account: MemberAccount, input: PreferencesInput, ip: string | null, locale: Locale): Promise<{ proven: boolean; confirmationSent: boolean }> {
  const proven = await repo.accountAddressProven(deps.db, account.id);
  let subscriber = await repo.findSubscriberByEmail(deps.db, lowerEmail(account.email));
  if (!subscriber) {
    const offered = new Set((await repo.publicLists(deps.db)).map((l) => l.id));
    const chosen = input.listIds.some((id) => offered.has(id)) || input.themes.length > 0 || input.countries.length > 0;
    if (!chosen) return { proven, confirmationSent: false };
    subscriber = (await ensureSubscriber(deps, account.email, { name: input.name, organisation: input.organisation })).subscriber;
  }
  const { confirmationSent } = await savePreferences(deps, subscriber, input, ip, {
    source: 'member_space',
    proven,
    detail: proven ? PROVEN_DETAIL : undefined,
    recordedBy: account.id,
    locale,
  });
  return { proven, confirmationSent };
}

/** « Ne plus rien recevoir » from « Mon espace »: every list unsubscribed, the address suppressed. */
export async function unsubscribeMemberFromAll(deps: Pick<NewsletterDeps, 'db' | 'clock'>, account: MemberAccount, ip: string | null): Promise<void> {
  const { subscriber } = await ensureSubscriber(deps, account.email);
  await unsubscribeAll(deps, subscriber, 'member_space', ip, account.id);
}
