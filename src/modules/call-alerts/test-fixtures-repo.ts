// Test data of the call alerts' tests (published calls, directory contacts, list subscribers); not used by the app.
import type { Kysely } from 'kysely';
import type { CallAlertDigestStatus, Database, NewsletterSubscriptionStatus } from '../../db/schema.js';
import { newId } from '../../kernel/ids.js';

type Db = Kysely<Database>;

export interface TestCall {
  title: string;
  funder?: string;
  /** ISO instant of publication (null: a draft). */
  publishedAt: string | null;
  closesOn: string;
  closesTime?: string | null;
  kinds?: string[];
  themes?: string[];
  countries?: string[];
  zones?: string[];
}

/** A call as the calls module stores it (published unless `publishedAt` is null); returns its slug. */
export async function insertCall(db: Db, call: TestCall): Promise<{ id: string; slug: string }> {
  const id = newId();
  const slug = `${call.title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${id.slice(-6)}`;
  const at = call.publishedAt ?? new Date().toISOString();
  await db
    .insertInto('calls')
    .values({
      id,
      slug,
      title: call.title,
      funder: call.funder ?? 'Région Nouvelle-Aquitaine',
      funder_organisation_id: null,
      summary: null,
      description_html: null,
      opens_on: null,
      closes_on: call.closesOn,
      closes_time: call.closesTime ?? null,
      opens_at: null,
      closes_at: `${call.closesOn}T22:00:00.000Z`,
      amount_min_cents: null,
      amount_max_cents: null,
      cofinancing_rate: null,
      link_url: null,
      status: call.publishedAt ? 'published' : 'draft',
      watch_item_id: null,
      source: 'staff',
      search_text: '',
      created_by: null,
      created_at: at,
      updated_at: at,
      published_at: call.publishedAt,
    })
    .execute();
  await db.insertInto('call_slugs').values({ slug, call_id: id }).execute();
  for (const kind_code of call.kinds ?? []) await db.insertInto('call_kinds').values({ call_id: id, kind_code }).execute();
  for (const theme_code of call.themes ?? []) await db.insertInto('call_themes').values({ call_id: id, theme_code }).execute();
  for (const country_code of call.countries ?? []) await db.insertInto('call_countries').values({ call_id: id, country_code }).execute();
  for (const zone_code of call.zones ?? []) await db.insertInto('call_zones').values({ call_id: id, zone_code }).execute();
  return { id, slug };
}

/** A directory contact of an organisation, with an address. */
export async function insertContact(db: Db, input: { organisationId: string; email: string; lastName: string }): Promise<string> {
  const id = newId();
  const at = new Date().toISOString();
  await db.insertInto('contacts').values({ id, civility: null, first_name: null, last_name: input.lastName, phone: null, notes: null, public_profile: 0, source: 'staff', import_batch_id: null, erased_at: null, created_at: at, updated_at: at }).execute();
  await db.insertInto('contact_roles').values({ contact_id: id, organisation_id: input.organisationId, function: null, is_main: 1 }).execute();
  await db.insertInto('contact_emails').values({ contact_id: id, email: input.email, email_lower: input.email.toLowerCase(), is_primary: 1 }).execute();
  return id;
}

/** A subscriber of a list, with interests; `subscribedAt` is when the subscription got its status. */
export async function insertSubscriber(
  db: Db,
  input: { email: string; name?: string | null; listId: string; status: NewsletterSubscriptionStatus; subscribedAt: string; contactId?: string | null; themes?: string[]; countries?: string[] },
): Promise<{ id: string; token: string }> {
  const id = newId();
  const token = `jeton-alertes-${id.replace(/-/g, '')}`;
  await db
    .insertInto('newsletter_subscribers')
    .values({ id, email: input.email, email_lower: input.email.toLowerCase(), name: input.name ?? null, organisation: null, contact_id: input.contactId ?? null, token, last_bounce_at: null, created_at: input.subscribedAt, updated_at: input.subscribedAt })
    .execute();
  await db.insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: input.listId, status: input.status, created_at: input.subscribedAt, updated_at: input.subscribedAt }).execute();
  const interests = [...(input.themes ?? []).map((code) => ({ subscriber_id: id, kind: 'theme' as const, code })), ...(input.countries ?? []).map((code) => ({ subscriber_id: id, kind: 'country' as const, code }))];
  if (interests.length) await db.insertInto('newsletter_interests').values(interests).execute();
  return { id, token };
}

/** Puts an address on the newsletter's suppression list (a hard bounce). */
export async function insertSuppression(db: Db, emailHash: string, at: string): Promise<void> {
  await db.insertInto('newsletter_suppressions').values({ email_hash: emailHash, reason: 'hard_bounce', detail: null, created_at: at }).execute();
}

/** A digest row as a run leaves it (e.g. `sending`: the worker died after handing it to SMTP). */
export async function insertDigestRow(db: Db, input: { subscriberId: string; day: string; status: CallAlertDigestStatus; from: string; to: string }): Promise<void> {
  const at = new Date().toISOString();
  await db
    .insertInto('call_alert_runs')
    .values({ id: `run-${input.day}`, day: input.day, started_at: input.to, finished_at: null })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  const run = await db.selectFrom('call_alert_runs').select('id').where('day', '=', input.day).executeTakeFirstOrThrow();
  await db
    .insertInto('call_alert_digests')
    .values({ id: newId(), subscriber_id: input.subscriberId, day: input.day, run_id: run.id, status: input.status, window_from: input.from, window_to: input.to, attempts: 1, next_attempt_at: null, sent_at: null, error: null, created_at: at, updated_at: at })
    .execute();
}

export function digestRows(db: Db) {
  return db.selectFrom('call_alert_digests').selectAll().orderBy('day').orderBy('id').execute();
}
