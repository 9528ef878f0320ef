import { type Kysely, type SelectQueryBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Who a mailing may reach: the subscribers of its lists, the contacts of its segment's organisations. */
export interface AudienceSource {
  listIds: readonly string[];
  organisationIds: readonly string[];
}

/**
 * The organisation of role `r` is one of these: one parameter whatever their number (a segment may
 * match tens of thousands of organisations, more than a statement takes parameters). On SQLite the
 * unary `+` keeps the list out of the role index's search: the contact's roles are read by the
 * index, and each is looked up in the list (read once per statement), instead of the index being
 * searched once per organisation of the list for every contact.
 */
function organisationAmong(dialect: Dialect, organisationIds: readonly string[]) {
  return dialect === 'postgres'
    ? sql<SqlBool>`r.organisation_id = any(${[...organisationIds]}::text[])`
    : sql<SqlBool>`+r.organisation_id in (select value from json_each(${JSON.stringify(organisationIds)}))`;
}

/**
 * One candidate address: a subscriber confirmed on one of the lists (`list`), or the address of a
 * living contact of the segment (`segment`: its primary address, else its first in address order).
 */
export interface AudienceRow {
  email_lower: string;
  email: string;
  /** The subscriber's name (a list row). */
  name: string | null;
  /** The contact's names (a segment row). */
  first_name: string | null;
  last_name: string | null;
  subscriber_id: string | null;
  contact_id: string | null;
  source: 'list' | 'segment';
}

/**
 * Where the window of addresses after `after` ends: the `size`-th address after it among the
 * subscribers' and the contacts' addresses (all of them, whoever they belong to: two index ranges
 * of `size` at most), or null when fewer remain (the window then runs to the end). A window holds
 * at most `size` addresses of those tables, however few of them belong to the audience, and
 * every row of an address.
 */
export async function windowEnd(db: Db, source: AudienceSource, after: string | null, size: number): Promise<string | null> {
  const addresses = (table: 'newsletter_subscribers' | 'contact_emails') =>
    db
      .selectFrom(table)
      .select('email_lower')
      .$if(after !== null, (qb) => qb.where('email_lower', '>', after!))
      .orderBy('email_lower')
      .limit(size);
  const lists = source.listIds.length ? db.selectFrom(addresses('newsletter_subscribers').as('s')).select('s.email_lower') : null;
  const contacts = source.organisationIds.length ? db.selectFrom(addresses('contact_emails').as('e')).select('e.email_lower') : null;
  const both = lists && contacts ? lists.unionAll(contacts) : (lists ?? contacts);
  if (!both) return null;
  const row = await db
    .selectFrom(both.as('u'))
    .select('u.email_lower')
    .orderBy('u.email_lower')
    .limit(1)
    .offset(size - 1)
    .executeTakeFirst();
  return row?.email_lower ?? null;
}

/**
 * The candidate addresses of the audience after `after` up to `upto` included (to the end when
 * null), in address order (an address's list row, then its contacts by id): the lists' confirmed
 * subscribers and the segment's contacts, merged by the database.
 */
export async function audienceRows(db: Db, dialect: Dialect, source: AudienceSource, after: string | null, upto: string | null): Promise<AudienceRow[]> {
  const inWindow = (column: 's.email_lower' | 'e.email_lower') =>
    sql<SqlBool>`(${after === null ? sql`1 = 1` : sql`${sql.ref(column)} > ${after}`} and ${upto === null ? sql`1 = 1` : sql`${sql.ref(column)} <= ${upto}`})`;
  const listIds = [...source.listIds];
  const fromLists = () =>
    db
      .selectFrom('newsletter_subscribers as s')
      .select([
        's.email_lower as email_lower',
        's.email as email',
        's.name as name',
        sql<string | null>`cast(null as text)`.as('first_name'),
        sql<string | null>`cast(null as text)`.as('last_name'),
        sql<string | null>`s.id`.as('subscriber_id'),
        's.contact_id as contact_id',
        sql<'list' | 'segment'>`'list'`.as('source'),
      ])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('newsletter_subscriptions as x')
            .select('x.subscriber_id')
            .whereRef('x.subscriber_id', '=', 's.id')
            .where('x.list_id', 'in', listIds)
            .where('x.status', '=', 'confirmed'),
        ),
      )
      .where(inWindow('s.email_lower'));
  const fromSegment = () =>
    db
      .selectFrom('contact_emails as e')
      .innerJoin('contacts as c', 'c.id', 'e.contact_id')
      .select([
        'e.email_lower as email_lower',
        'e.email as email',
        sql<string | null>`cast(null as text)`.as('name'),
        'c.first_name as first_name',
        sql<string | null>`c.last_name`.as('last_name'),
        sql<string | null>`cast(null as text)`.as('subscriber_id'),
        sql<string | null>`c.id`.as('contact_id'),
        sql<'list' | 'segment'>`'segment'`.as('source'),
      ])
      .where('c.erased_at', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('contact_roles as r').select('r.contact_id').whereRef('r.contact_id', '=', 'c.id').where(organisationAmong(dialect, source.organisationIds))))
      // The contact's best address only: no other of its addresses is primary when this one is not,
      // or comes first in address order with the same standing.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('contact_emails as b')
              .select('b.contact_id')
              .whereRef('b.contact_id', '=', 'e.contact_id')
              .whereRef('b.email_lower', '<>', 'e.email_lower')
              .where(sql<SqlBool>`((b.is_primary = 1 and e.is_primary <> 1) or (b.email_lower < e.email_lower and (b.is_primary = 1 or e.is_primary <> 1)))`),
          ),
        ),
      )
      .where(inWindow('e.email_lower'));
  const lists = listIds.length ? fromLists() : null;
  const segment = source.organisationIds.length ? fromSegment() : null;
  if (lists && segment) return inOrder(lists.unionAll(segment));
  if (lists) return inOrder(lists);
  if (segment) return inOrder(segment);
  return [];
}

/** Address order, an address's list row first, then its contacts by id. */
function inOrder<DB, TB extends keyof DB>(query: SelectQueryBuilder<DB, TB, AudienceRow>): Promise<AudienceRow[]> {
  return query.orderBy(sql`email_lower`).orderBy(sql`source`).orderBy(sql`contact_id`).execute();
}

/** How many living contacts of these organisations have no address at all. */
export async function countContactsWithoutEmail(db: Db, dialect: Dialect, organisationIds: readonly string[]): Promise<number> {
  if (organisationIds.length === 0) return 0;
  const row = await db
    .selectFrom('contacts as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.erased_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('contact_roles as r').select('r.contact_id').whereRef('r.contact_id', '=', 'c.id').where(organisationAmong(dialect, organisationIds))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contact_emails as e').select('e.contact_id').whereRef('e.contact_id', '=', 'c.id'))))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Consent events of the contacts for these purposes, oldest first. */
export async function consentsOfContacts(db: Db, contactIds: readonly string[], purposes: readonly string[]) {
  const out: { contact_id: string; purpose: string; event: string; at: string }[] = [];
  for (const chunk of chunks([...new Set(contactIds)])) {
    const rows = await db
      .selectFrom('consents')
      .select(['contact_id', 'purpose', 'event', 'at'])
      .where('contact_id', 'in', chunk)
      .where('purpose', 'in', [...purposes])
      .orderBy('at')
      .orderBy('id')
      .execute();
    out.push(...rows);
  }
  return out;
}
