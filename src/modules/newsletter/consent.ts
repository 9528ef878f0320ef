import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ConsentsTable, Database } from '../../db/schema.js';
import { newIds } from '../../kernel/ids.js';
import * as repo from './repo.js';

/** What changed. */
export type ConsentAction = 'requested' | 'subscribed' | 'unsubscribed' | 'unsubscribed_all' | 'interests_changed' | 'hard_bounce' | 'suppression_lifted';
/**
 * How: the form, the confirmation link, the preference centre, the member's own page (« Mon espace »),
 * the mail client (RFC 8058), staff, an import, a bounce, the CLI.
 */
export type ConsentSource = 'web_form' | 'confirmation_link' | 'preference_centre' | 'member_space' | 'unsubscribe_page' | 'one_click' | 'staff' | 'import' | 'bounce' | 'cli';

export const CONSENT_ACTIONS: readonly ConsentAction[] = ['requested', 'subscribed', 'unsubscribed', 'unsubscribed_all', 'interests_changed', 'hard_bounce', 'suppression_lifted'];
export const CONSENT_SOURCES: readonly ConsentSource[] = ['web_form', 'confirmation_link', 'preference_centre', 'member_space', 'unsubscribe_page', 'one_click', 'staff', 'import', 'bounce', 'cli'];

export interface ConsentEvent {
  action: ConsentAction;
  source: ConsentSource;
  list?: { id: string; name: string } | null;
  /** The IP address of a web form's request. */
  ip?: string | null;
  detail?: string | null;
  recordedBy?: string | null;
  /** When it happened (an imported consent keeps its original date). */
  at: string;
}

/** The directory's consent sources (contacts' history) for ours. */
const CONTACT_SOURCE: Record<ConsentSource, string> = {
  web_form: 'web_form',
  confirmation_link: 'web_form',
  preference_centre: 'web_form',
  member_space: 'web_form',
  unsubscribe_page: 'web_form',
  one_click: 'email',
  staff: 'staff',
  import: 'import',
  bounce: 'email',
  cli: 'staff',
};

/** Subscribing and unsubscribing are consent given or withdrawn; the rest is not a consent event for the directory. */
const CONTACT_EVENT: Partial<Record<ConsentAction, 'given' | 'withdrawn'>> = { subscribed: 'given', unsubscribed: 'withdrawn', unsubscribed_all: 'withdrawn' };

/**
 * Records consent events of a subscriber; when the address belongs to a directory contact, the
 * subscriptions and withdrawals also enter the contact's own consent history (purpose
 * `newsletter`), so they show on the contact's page and in its RGPD export.
 */
export async function recordConsent(db: Kysely<Database> | Transaction<Database>, subscriber: { id: string; contact_id: string | null }, events: ConsentEvent[]): Promise<void> {
  if (events.length === 0) return;
  // Sorted: within one millisecond, ids follow the order of the events (history is read by time, then id).
  const ids = newIds(events.length * 2).sort();
  await repo.insertConsentEvents(
    db,
    events.map((e, i) => ({
      id: ids[i]!,
      subscriber_id: subscriber.id,
      list_id: e.list?.id ?? null,
      list_name: e.list?.name ?? null,
      action: e.action,
      source: e.source,
      ip: e.ip ?? null,
      detail: e.detail?.slice(0, 1000) ?? null,
      recorded_by: e.recordedBy ?? null,
      at: e.at,
    })),
  );
  if (!subscriber.contact_id) return;
  const mirrored: Insertable<ConsentsTable>[] = [];
  events.forEach((e, i) => {
    const event = CONTACT_EVENT[e.action];
    if (!event) return;
    const what = e.list ? `Lettre d’information : « ${e.list.name} »` : 'Lettre d’information : toutes les listes';
    mirrored.push({
      id: ids[events.length + i]!,
      contact_id: subscriber.contact_id!,
      purpose: 'newsletter',
      basis: 'consent',
      event,
      source: CONTACT_SOURCE[e.source],
      detail: [what, e.detail].filter(Boolean).join(' — ').slice(0, 1000),
      ip: e.ip ?? null,
      recorded_by: e.recordedBy ?? null,
      at: e.at,
    });
  });
  await repo.insertContactConsents(db, mirrored);
}
