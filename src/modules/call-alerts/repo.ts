import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CallAlertDigestsTable, CallAlertDigestStatus, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------- The list and the settings ----------

/** Creates the alerts' list with this id unless it exists (staff may have deleted it). */
export async function insertListIfMissing(db: Db, row: Insertable<Database['newsletter_lists']>): Promise<void> {
  await db.insertInto('newsletter_lists').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export function findList(db: Db, id: string) {
  return db.selectFrom('newsletter_lists').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function readSettings(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('call_alert_settings').select(['key', 'value']).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(db: Db, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto('call_alert_settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

// ---------- Who is due ----------

export interface AlertSubscriber {
  id: string;
  email: string;
  email_lower: string;
  name: string | null;
  token: string;
  contact_id: string | null;
  /** When the subscription last changed status (its confirmation). */
  subscribed_at: string;
}

const SUBSCRIBER_COLUMNS = ['s.id', 's.email', 's.email_lower', 's.name', 's.token', 's.contact_id', 'x.updated_at as subscribed_at'] as const;

/** Confirmed subscribers of the list without a digest row for that day, by id after `afterId`. */
export function dueSubscribers(db: Db, input: { listId: string; day: string; afterId: string; limit: number }): Promise<AlertSubscriber[]> {
  return db
    .selectFrom('newsletter_subscriptions as x')
    .innerJoin('newsletter_subscribers as s', 's.id', 'x.subscriber_id')
    .select(SUBSCRIBER_COLUMNS)
    .where('x.list_id', '=', input.listId)
    .where('x.status', '=', 'confirmed')
    .where('s.id', '>', input.afterId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('call_alert_digests as d').select('d.id').whereRef('d.subscriber_id', '=', 's.id').where('d.day', '=', input.day))))
    .orderBy('s.id')
    .limit(input.limit)
    .execute();
}

export type DigestRow = Selectable<CallAlertDigestsTable>;

/** The day's digests to try again (temporary SMTP errors), with their still-confirmed subscriber. */
export async function retriesDue(db: Db, input: { listId: string; day: string; now: string; limit: number }): Promise<Array<{ digest: DigestRow; subscriber: AlertSubscriber }>> {
  const rows = await db
    .selectFrom('call_alert_digests as d')
    .innerJoin('newsletter_subscribers as s', 's.id', 'd.subscriber_id')
    .innerJoin('newsletter_subscriptions as x', (join) => join.onRef('x.subscriber_id', '=', 's.id').on('x.list_id', '=', input.listId))
    .selectAll('d')
    .select(['s.email', 's.email_lower', 's.name', 's.token', 's.contact_id', 'x.updated_at as subscribed_at'])
    .where('d.day', '=', input.day)
    .where('d.status', '=', 'retry')
    .where('d.next_attempt_at', '<=', input.now)
    .where('x.status', '=', 'confirmed')
    .orderBy('d.id')
    .limit(input.limit)
    .execute();
  return rows.map(({ email, email_lower, name, token, contact_id, subscribed_at, ...digest }) => ({
    digest,
    subscriber: { id: digest.subscriber_id, email, email_lower, name, token, contact_id, subscribed_at },
  }));
}

/** Whether the person is still a confirmed subscriber of the list (checked just before each send). */
export async function isConfirmed(db: Db, subscriberId: string, listId: string): Promise<boolean> {
  const row = await db.selectFrom('newsletter_subscriptions').select('status').where('subscriber_id', '=', subscriberId).where('list_id', '=', listId).executeTakeFirst();
  return row?.status === 'confirmed';
}

/** The end of the last window each person's calls were dealt with (sent, or nothing to send). */
export async function coveredUntil(db: Db, subscriberIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks([...new Set(subscriberIds)])) {
    const rows = await db
      .selectFrom('call_alert_digests')
      .select(['subscriber_id', (eb) => eb.fn.max('window_to').as('until')])
      .where('subscriber_id', 'in', chunk)
      .where('status', 'in', ['sent', 'empty'])
      .groupBy('subscriber_id')
      .execute();
    for (const r of rows) if (r.until) out.set(r.subscriber_id, new Date(r.until as string).toISOString());
  }
  return out;
}

// ---------- What each person is matched on ----------

export interface ProfileRows {
  interests: Array<{ subscriber_id: string; kind: 'theme' | 'country'; code: string }>;
  /** The living directory contacts of each subscriber (linked, or with the same address). */
  contacts: Array<{ subscriber_id: string; contact_id: string }>;
  contactThemes: Array<{ contact_id: string; code: string }>;
  contactCountries: Array<{ contact_id: string; code: string }>;
  roles: Array<{ contact_id: string; organisation_id: string }>;
  kinds: Array<{ organisation_id: string; code: string }>;
  organisationThemes: Array<{ organisation_id: string; code: string }>;
  organisationCountries: Array<{ organisation_id: string; code: string }>;
  /** The countries of the zones organisations work in. */
  organisationZoneCountries: Array<{ organisation_id: string; code: string }>;
}

export async function profileRows(db: Db, subscriberIds: readonly string[]): Promise<ProfileRows> {
  const out: ProfileRows = { interests: [], contacts: [], contactThemes: [], contactCountries: [], roles: [], kinds: [], organisationThemes: [], organisationCountries: [], organisationZoneCountries: [] };
  for (const ids of chunks([...new Set(subscriberIds)])) {
    out.interests.push(...(await db.selectFrom('newsletter_interests').select(['subscriber_id', 'kind', 'code']).where('subscriber_id', 'in', ids).execute()));
    out.contacts.push(
      ...(await db
        .selectFrom('newsletter_subscribers as s')
        .innerJoin('contacts as c', 'c.id', 's.contact_id')
        .select(['s.id as subscriber_id', 'c.id as contact_id'])
        .where('s.id', 'in', ids)
        .where('c.erased_at', 'is', null)
        .execute()),
      ...(await db
        .selectFrom('newsletter_subscribers as s')
        .innerJoin('contact_emails as e', 'e.email_lower', 's.email_lower')
        .innerJoin('contacts as c', 'c.id', 'e.contact_id')
        .select(['s.id as subscriber_id', 'c.id as contact_id'])
        .where('s.id', 'in', ids)
        .where('c.erased_at', 'is', null)
        .execute()),
    );
  }
  const contactIds = [...new Set(out.contacts.map((c) => c.contact_id))];
  for (const ids of chunks(contactIds)) {
    out.contactThemes.push(...(await db.selectFrom('contact_themes').select(['contact_id', 'theme_code as code']).where('contact_id', 'in', ids).execute()));
    out.contactCountries.push(...(await db.selectFrom('contact_countries').select(['contact_id', 'country_code as code']).where('contact_id', 'in', ids).execute()));
    out.roles.push(...(await db.selectFrom('contact_roles').select(['contact_id', 'organisation_id']).where('contact_id', 'in', ids).execute()));
  }
  const organisationIds = [...new Set(out.roles.map((r) => r.organisation_id))];
  for (const ids of chunks(organisationIds)) {
    out.kinds.push(...(await db.selectFrom('organisations').select(['id as organisation_id', 'kind_code as code']).where('id', 'in', ids).execute()));
    out.organisationThemes.push(...(await db.selectFrom('organisation_themes').select(['organisation_id', 'theme_code as code']).where('organisation_id', 'in', ids).execute()));
    out.organisationCountries.push(...(await db.selectFrom('organisation_countries').select(['organisation_id', 'country_code as code']).where('organisation_id', 'in', ids).execute()));
    out.organisationZoneCountries.push(
      ...(await db
        .selectFrom('organisation_zones as z')
        .innerJoin('zone_countries as zc', 'zc.zone_code', 'z.zone_code')
        .select(['z.organisation_id', 'zc.country_code as code'])
        .where('z.organisation_id', 'in', ids)
        .execute()),
    );
  }
  return out;
}

// ---------- Digests ----------

/** Writes the person's digest of the day; false when one exists already (the unique key). */
export async function insertDigest(db: Db, row: Insertable<CallAlertDigestsTable>): Promise<boolean> {
  const result = await db
    .insertInto('call_alert_digests')
    .values(row)
    .onConflict((oc) => oc.columns(['subscriber_id', 'day']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes a digest waiting for another try; false when another worker took it first. */
export async function claimRetry(db: Db, id: string, patch: Updateable<CallAlertDigestsTable>): Promise<boolean> {
  const result = await db.updateTable('call_alert_digests').set({ ...patch, status: 'sending' }).where('id', '=', id).where('status', '=', 'retry').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateDigest(db: Db, id: string, patch: Updateable<CallAlertDigestsTable> & { status: CallAlertDigestStatus }): Promise<void> {
  await db.updateTable('call_alert_digests').set(patch).where('id', '=', id).execute();
}

export function findDigest(db: Db, subscriberId: string, day: string): Promise<DigestRow | undefined> {
  return db.selectFrom('call_alert_digests').selectAll().where('subscriber_id', '=', subscriberId).where('day', '=', day).executeTakeFirst();
}

// ---------- Runs ----------

export function runOfDay(db: Db, day: string) {
  return db.selectFrom('call_alert_runs').selectAll().where('day', '=', day).executeTakeFirst();
}

/** Starts the day's run unless another worker did (one run a day). */
export async function insertRunIfMissing(db: Db, row: { id: string; day: string; started_at: string }): Promise<void> {
  await db
    .insertInto('call_alert_runs')
    .values({ ...row, finished_at: null })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
}

export async function finishRun(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('call_alert_runs').set({ finished_at: at }).where('id', '=', id).execute();
}

export interface RunSummary {
  id: string;
  day: string;
  started_at: string;
  finished_at: string | null;
  /** Digests by status for this run (subscribers handled = their sum). */
  counts: Partial<Record<CallAlertDigestStatus, number>>;
}

/** The latest runs, newest first, each with its digests counted by status. */
export async function recentRuns(db: Db, limit: number): Promise<RunSummary[]> {
  const runs = await db.selectFrom('call_alert_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  if (!runs.length) return [];
  const counts = await db
    .selectFrom('call_alert_digests')
    .select(['run_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'run_id',
      'in',
      runs.map((r) => r.id),
    )
    .groupBy(['run_id', 'status'])
    .execute();
  return runs.map((r) => ({
    ...r,
    counts: Object.fromEntries(counts.filter((c) => c.run_id === r.id).map((c) => [c.status, Number(c.n)])),
  }));
}

/** Confirmed subscribers of the list, for the back office. */
export async function countConfirmed(db: Db, listId: string): Promise<number> {
  const row = await db
    .selectFrom('newsletter_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('list_id', '=', listId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---------- RGPD ----------

/** The digests of the subscribers with these addresses (lower case), newest first. */
export async function digestsOfEmails(db: Db, emailsLower: readonly string[]) {
  if (!emailsLower.length) return [];
  return db
    .selectFrom('call_alert_digests as d')
    .innerJoin('newsletter_subscribers as s', 's.id', 'd.subscriber_id')
    .select(['s.email', 'd.day', 'd.status', 'd.call_ids', 'd.sent_at'])
    .where('s.email_lower', 'in', [...new Set(emailsLower)])
    .orderBy('d.day', 'desc')
    .execute();
}

/**
 * Deletes the digests of the subscribers with these addresses (lower case); returns how many. They
 * also go with the subscriber (on delete cascade): this finds nothing once the newsletter erased them.
 */
export async function deleteDigestsOfEmails(db: Db, emailsLower: readonly string[]): Promise<number> {
  if (!emailsLower.length) return 0;
  const result = await db
    .deleteFrom('call_alert_digests')
    .where('subscriber_id', 'in', (eb) => eb.selectFrom('newsletter_subscribers').select('id').where('email_lower', 'in', [...new Set(emailsLower)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
