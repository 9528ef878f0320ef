import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  ConsentsTable,
  Database,
  NewsletterConsentEventsTable,
  NewsletterListsTable,
  NewsletterSubscribersTable,
  NewsletterSubscriptionStatus,
} from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------- Lists ----------

export type ListRow = Selectable<NewsletterListsTable>;
export type ListWithCounts = ListRow & { confirmed: number; unconfirmed: number; unsubscribed: number };

export async function listLists(db: Db): Promise<ListWithCounts[]> {
  const rows = await db.selectFrom('newsletter_lists').selectAll().orderBy('name').orderBy('id').execute();
  const counts = await db
    .selectFrom('newsletter_subscriptions')
    .select(['list_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['list_id', 'status'])
    .execute();
  return rows.map((row) => {
    const of = (status: NewsletterSubscriptionStatus) => Number(counts.find((c) => c.list_id === row.id && c.status === status)?.n ?? 0);
    return { ...row, confirmed: of('confirmed'), unconfirmed: of('unconfirmed'), unsubscribed: of('unsubscribed') };
  });
}

export function findList(db: Db, id: string): Promise<ListRow | undefined> {
  return db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The lists offered to the public: those ticked by default first (the monthly letter on a new install), then by name. */
export function publicLists(db: Db): Promise<ListRow[]> {
  return db.selectFrom('newsletter_lists').selectAll().where('is_public', '=', 1).orderBy('is_default', 'desc').orderBy('name').orderBy('id').execute();
}

export async function listsByIds(db: Db, ids: readonly string[]): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('newsletter_lists').selectAll().where('id', 'in', [...ids]).orderBy('name').execute();
}

export async function insertList(db: Db, row: Insertable<NewsletterListsTable>): Promise<void> {
  await db.insertInto('newsletter_lists').values(row).execute();
}

export async function updateList(db: Db, id: string, patch: Partial<Insertable<NewsletterListsTable>>): Promise<void> {
  await db.updateTable('newsletter_lists').set(patch).where('id', '=', id).execute();
}

export async function deleteList(db: Db, id: string): Promise<void> {
  await db.deleteFrom('newsletter_lists').where('id', '=', id).execute();
}

/** Mailings that target the list and are not drafts (their audience must stay known). */
export async function mailingsUsingList(db: Db, listId: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_mailing_lists as ml')
    .innerJoin('newsletter_mailings as m', 'm.id', 'ml.mailing_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ml.list_id', '=', listId)
    .where('m.status', 'in', ['scheduled', 'sending', 'paused'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---------- Subscribers ----------

export type SubscriberRow = Selectable<NewsletterSubscribersTable>;

export function findSubscriber(db: Db, id: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSubscriberByEmail(db: Db, emailLower: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('newsletter_subscribers').selectAll().where('email_lower', '=', emailLower).executeTakeFirst();
}

export function findSubscriberByToken(db: Db, token: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('newsletter_subscribers').selectAll().where('token', '=', token).executeTakeFirst();
}

/** Inserts the subscriber unless the address exists already (whoever wrote it first wins). */
export async function insertSubscriberIfNew(db: Db, row: Insertable<NewsletterSubscribersTable>): Promise<void> {
  await db.insertInto('newsletter_subscribers').values(row).onConflict((oc) => oc.column('email_lower').doNothing()).execute();
}

export async function insertSubscribers(db: Db, rows: Insertable<NewsletterSubscribersTable>[]): Promise<void> {
  for (const chunk of chunks(rows, 200)) {
    await db.insertInto('newsletter_subscribers').values(chunk).onConflict((oc) => oc.column('email_lower').doNothing()).execute();
  }
}

export async function subscribersByEmails(db: Db, emailsLower: readonly string[]): Promise<SubscriberRow[]> {
  const out: SubscriberRow[] = [];
  for (const chunk of chunks(emailsLower)) out.push(...(await db.selectFrom('newsletter_subscribers').selectAll().where('email_lower', 'in', chunk).execute()));
  return out;
}

export async function updateSubscriber(db: Db, id: string, patch: Partial<Insertable<NewsletterSubscribersTable>>): Promise<void> {
  await db.updateTable('newsletter_subscribers').set(patch).where('id', '=', id).execute();
}

export async function deleteSubscriber(db: Db, id: string): Promise<void> {
  await db.deleteFrom('newsletter_subscribers').where('id', '=', id).execute();
}

export function subscribersOfContact(db: Db, contactId: string): Promise<SubscriberRow[]> {
  return db.selectFrom('newsletter_subscribers').selectAll().where('contact_id', '=', contactId).execute();
}

export interface SubscriberFilter {
  q?: string;
  listId?: string;
  status?: NewsletterSubscriptionStatus;
}

export async function searchSubscribers(db: Db, filter: SubscriberFilter, offset: number, limit: number): Promise<{ rows: SubscriberRow[]; total: number }> {
  let query = db.selectFrom('newsletter_subscribers as s');
  if (filter.q) {
    const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // An explicit escape character: SQLite's LIKE has none by default (addresses often hold "_").
    query = query.where(sql<boolean>`(s.email_lower like ${like} escape '\\' or lower(coalesce(s.name, '')) like ${like} escape '\\')`);
  }
  if (filter.listId) {
    const listId = filter.listId;
    const status = filter.status;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('newsletter_subscriptions as x')
          .select('x.subscriber_id')
          .whereRef('x.subscriber_id', '=', 's.id')
          .where('x.list_id', '=', listId)
          .$if(status !== undefined, (qb) => qb.where('x.status', '=', status!)),
      ),
    );
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await query.selectAll('s').orderBy('s.email_lower').limit(limit).offset(offset).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

// ---------- Subscriptions ----------

export type SubscriptionWithList = { list_id: string; status: NewsletterSubscriptionStatus; updated_at: string; name: string; is_public: number; double_opt_in: number };

export function subscriptionsOf(db: Db, subscriberId: string): Promise<SubscriptionWithList[]> {
  return db
    .selectFrom('newsletter_subscriptions as x')
    .innerJoin('newsletter_lists as l', 'l.id', 'x.list_id')
    .select(['x.list_id', 'x.status', 'x.updated_at', 'l.name', 'l.is_public', 'l.double_opt_in'])
    .where('x.subscriber_id', '=', subscriberId)
    .orderBy('l.name')
    .execute();
}

/** Sets the status of one subscription, creating it when absent. */
export async function upsertSubscription(db: Db, subscriberId: string, listId: string, status: NewsletterSubscriptionStatus, now: string): Promise<void> {
  await db
    .insertInto('newsletter_subscriptions')
    .values({ subscriber_id: subscriberId, list_id: listId, status, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['subscriber_id', 'list_id']).doUpdateSet({ status, updated_at: now }))
    .execute();
}

// ---------- Interests ----------

export async function interestsOf(db: Db, subscriberId: string): Promise<{ themes: string[]; countries: string[] }> {
  const rows = await db.selectFrom('newsletter_interests').select(['kind', 'code']).where('subscriber_id', '=', subscriberId).orderBy('code').execute();
  return { themes: rows.filter((r) => r.kind === 'theme').map((r) => r.code), countries: rows.filter((r) => r.kind === 'country').map((r) => r.code) };
}

export async function replaceInterests(db: Db, subscriberId: string, interests: { themes: string[]; countries: string[] }): Promise<void> {
  await db.deleteFrom('newsletter_interests').where('subscriber_id', '=', subscriberId).execute();
  const rows = [
    ...interests.themes.map((code) => ({ subscriber_id: subscriberId, kind: 'theme' as const, code })),
    ...interests.countries.map((code) => ({ subscriber_id: subscriberId, kind: 'country' as const, code })),
  ];
  if (rows.length) await db.insertInto('newsletter_interests').values(rows).execute();
}

// ---------- Confirmations (double opt-in) ----------

export async function insertConfirmation(db: Db, row: Insertable<Database['newsletter_confirmations']>): Promise<void> {
  await db.insertInto('newsletter_confirmations').values(row).execute();
}

export function findConfirmation(db: Db, tokenHash: string) {
  return db.selectFrom('newsletter_confirmations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function findConfirmationById(db: Db, id: string) {
  return db.selectFrom('newsletter_confirmations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the confirmation used; false when another request used it first. */
export async function useConfirmation(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db.updateTable('newsletter_confirmations').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countConfirmationsSince(db: Db, subscriberId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_confirmations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscriber_id', '=', subscriberId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---------- Consent events ----------

export type ConsentEventRow = Selectable<NewsletterConsentEventsTable>;

export async function insertConsentEvents(db: Db, rows: Insertable<NewsletterConsentEventsTable>[]): Promise<void> {
  for (const chunk of chunks(rows, 200)) await db.insertInto('newsletter_consent_events').values(chunk).execute();
}

export function consentEventsOf(db: Db, subscriberId: string): Promise<ConsentEventRow[]> {
  return db.selectFrom('newsletter_consent_events').selectAll().where('subscriber_id', '=', subscriberId).orderBy('at', 'desc').orderBy('id', 'desc').execute();
}

/** The directory's consent history of a contact (shown on the contact's page and in its RGPD export). */
export async function insertContactConsents(db: Db, rows: Insertable<ConsentsTable>[]): Promise<void> {
  for (const chunk of chunks(rows, 200)) await db.insertInto('consents').values(chunk).execute();
}

// ---------- Suppression list ----------

export async function suppressedAmong(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of chunks([...new Set(hashes)])) {
    const rows = await db.selectFrom('newsletter_suppressions').select('email_hash').where('email_hash', 'in', chunk).execute();
    for (const r of rows) out.add(r.email_hash);
  }
  return out;
}

export function findSuppression(db: Db, hash: string) {
  return db.selectFrom('newsletter_suppressions').selectAll().where('email_hash', '=', hash).executeTakeFirst();
}

/** Adds the address to the suppression list; an existing entry keeps its first reason. */
export async function insertSuppression(db: Db, row: { email_hash: string; reason: string; detail: string | null; created_at: string }): Promise<void> {
  await db.insertInto('newsletter_suppressions').values(row).onConflict((oc) => oc.column('email_hash').doNothing()).execute();
}

export async function deleteSuppression(db: Db, hash: string): Promise<void> {
  await db.deleteFrom('newsletter_suppressions').where('email_hash', '=', hash).execute();
}

export async function countSuppressions(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('newsletter_suppressions').select(['reason', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('reason').execute();
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
}

// ---------- The directory: contacts by address, taxonomies ----------

/** The living directory contact whose address this is (primary addresses first). */
export async function contactIdByEmail(db: Db, emailLower: string): Promise<string | null> {
  const row = await db
    .selectFrom('contact_emails as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .select('e.contact_id')
    .where('e.email_lower', '=', emailLower)
    .where('c.erased_at', 'is', null)
    .orderBy('e.is_primary', 'desc')
    .orderBy('e.contact_id')
    .executeTakeFirst();
  return row?.contact_id ?? null;
}

export async function contactIdsByEmails(db: Db, emailsLower: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks([...new Set(emailsLower)])) {
    const rows = await db
      .selectFrom('contact_emails as e')
      .innerJoin('contacts as c', 'c.id', 'e.contact_id')
      .select(['e.email_lower', 'e.contact_id'])
      .where('e.email_lower', 'in', chunk)
      .where('c.erased_at', 'is', null)
      .orderBy('e.is_primary', 'desc')
      .execute();
    for (const r of rows) if (!out.has(r.email_lower)) out.set(r.email_lower, r.contact_id);
  }
  return out;
}

export function themeOptions(db: Db) {
  return db.selectFrom('themes').select(['code', 'label_fr', 'label_en']).orderBy('position').orderBy('code').execute();
}

/** Countries where organisations of the directory work: the choice of interests. */
export async function directoryCountryCodes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('organisation_countries').select('country_code').distinct().orderBy('country_code').execute();
  return rows.map((r) => r.country_code);
}

// ---------- Accounts: whether a member's address is proven ----------

/**
 * Journal entries that prove an account's current address: the person used a link mailed to it
 * (accepting the invitation, resetting the password, confirming a new address). The address can
 * change only through such a link, so one of them, whenever it was, proves the current address.
 * Accounts made at the command line, at first start or by the demo seed have none until then.
 */
const ADDRESS_PROOFS = ['user.invitation_accepted', 'user.password_reset', 'user.email_changed'];

export async function accountAddressProven(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', userId)
    .where('action', 'in', ADDRESS_PROOFS)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------- Settings ----------

export async function readSettings(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('newsletter_settings').select(['key', 'value']).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function writeSettings(db: Db, values: Record<string, string>, now: string): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await db
      .insertInto('newsletter_settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}

export async function tokensOf(db: Db, subscriberIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks([...new Set(subscriberIds)])) {
    const rows = await db.selectFrom('newsletter_subscribers').select(['id', 'token']).where('id', 'in', chunk).execute();
    for (const r of rows) out.set(r.id, r.token);
  }
  return out;
}
