import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Dialect, sha256Hex } from '../../kernel/db/create-db.js';
import type { SegmentOrganisations } from '../organisations-admin/index.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Who a mailing may reach: the subscribers of its lists, the contacts of its segment's organisations
 * (the segment as a subquery: its organisations are never read into memory, however many).
 */
export interface AudienceSource {
  listIds: readonly string[];
  segment: SegmentOrganisations | null;
}

/**
 * The organisation of role `r` is one of the segment's (one subquery, evaluated once per statement).
 * On SQLite the unary `+` keeps the set out of the role index's search: the contact's roles are
 * read by the index, and each is looked up in the set (built once per statement), instead of the
 * index being searched once per organisation of the set for every contact.
 */
function organisationIn(dialect: Dialect, segment: SegmentOrganisations) {
  return dialect === 'postgres' ? sql<SqlBool>`r.organisation_id in ${segment}` : sql<SqlBool>`+r.organisation_id in ${segment}`;
}

/**
 * The contacts with a role in one of the segment's organisations, read from the segment: its
 * organisations, then their roles by the role index on the organisation. A query over the whole
 * audience that starts from them costs what the segment holds, not what the contacts table holds.
 */
function segmentContactIds(segment: SegmentOrganisations) {
  return sql`(select r.contact_id from contact_roles r where r.organisation_id in ${segment})`;
}

/**
 * Whether an address (a lower-cased column) is on the suppression list: the SHA-256 of the address
 * trimmed and lower-cased, as `emailHash` stores it.
 */
function suppressed(dialect: Dialect, column: string) {
  const hash = sha256Hex(dialect, sql<string>`lower(trim(${sql.ref(column)}))`);
  return sql<SqlBool>`exists (select 1 from newsletter_suppressions u where u.email_hash = ${hash})`;
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
  const contacts = source.segment ? db.selectFrom(addresses('contact_emails').as('e')).select('e.email_lower') : null;
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

/** Which addresses a query of candidates reads: a condition on the address column. */
type Within = (column: RawBuilder<string>) => RawBuilder<SqlBool>;
const everyAddress: Within = () => sql<SqlBool>`1 = 1`;
/** The addresses after `after` (from the first when null) up to `upto` included (to the last when null). */
const between =
  (after: string | null, upto: string | null): Within =>
  (column) =>
    sql<SqlBool>`(${after === null ? sql`1 = 1` : sql`${column} > ${after}`} and ${upto === null ? sql`1 = 1` : sql`${column} <= ${upto}`})`;

/** A candidate row with, for a contact, whether its recorded legal basis allows mailing it (1) or not (0); 1 for a list row. */
interface CandidateRow extends AudienceRow {
  allowed: number;
}

/**
 * The candidate rows of the audience: the lists' confirmed subscribers and the segment's living
 * contacts at their best address, at the addresses `within` keeps.
 * With `basis`, each row also tells whether the legal basis allows it, as `legalBasisAllows` (in
 * `audience.ts`) decides from the consent events: the last `newsletter` event (by time, then id)
 * withdrawn → no; given or informed → yes; otherwise the last `contact_database` event given or
 * informed → yes; else no.
 */
function candidates(db: Db, dialect: Dialect, source: AudienceSource, within: Within, basis: true): SelectQueryBuilder<Database, never, CandidateRow> | null;
function candidates(db: Db, dialect: Dialect, source: AudienceSource, within: Within, basis: false): SelectQueryBuilder<Database, never, AudienceRow> | null;
function candidates(db: Db, dialect: Dialect, source: AudienceSource, within: Within, basis: boolean) {
  const inWindow = (column: 's.email_lower' | 'e.email_lower') => within(sql.ref(column));
  const listIds = [...source.listIds];
  const segment = source.segment;
  // Over every address (count, page selection) the segment's contacts come first, then their
  // addresses; over a window or a page of addresses, each address read is looked up in the segment.
  const fromSegmentFirst = within === everyAddress;
  const lastEvent = (purpose: 'newsletter' | 'contact_database', outcome: ReturnType<typeof sql>) =>
    sql`(select ${outcome} from consents k where k.contact_id = c.id and k.purpose = ${purpose} order by k.at desc, k.id desc limit 1)`;
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
      .$if(basis, (qb) => qb.select(sql<number>`1`.as('allowed')))
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
  const fromSegment = (organisations: SegmentOrganisations) =>
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
      .$if(basis, (qb) =>
        qb.select(
          sql<number>`coalesce(${lastEvent('newsletter', sql`case when k.event = 'withdrawn' then 0 when k.event in ('given', 'informed') then 1 end`)}, ${lastEvent('contact_database', sql`case when k.event in ('given', 'informed') then 1 else 0 end`)}, 0)`.as(
            'allowed',
          ),
        ),
      )
      .where('c.erased_at', 'is', null)
      .where((eb) =>
        fromSegmentFirst
          ? sql<SqlBool>`e.contact_id in ${segmentContactIds(organisations)}`
          : eb.exists(eb.selectFrom('contact_roles as r').select('r.contact_id').whereRef('r.contact_id', '=', 'c.id').where(organisationIn(dialect, organisations))),
      )
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
  const contacts = segment ? fromSegment(segment) : null;
  return lists && contacts ? lists.unionAll(contacts) : (lists ?? contacts);
}

/**
 * The candidate addresses of the audience after `after` up to `upto` included (to the end when
 * null), in address order (an address's list row, then its contacts by id): the lists' confirmed
 * subscribers and the segment's contacts, merged by the database.
 */
export async function audienceRows(db: Db, dialect: Dialect, source: AudienceSource, after: string | null, upto: string | null): Promise<AudienceRow[]> {
  const rows = candidates(db, dialect, source, between(after, upto), false);
  return rows ? inOrder(rows).execute() : [];
}

/** Address order, an address's list row first, then its contacts by id. */
function inOrder<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return query.orderBy(sql`email_lower`).orderBy(sql`source`).orderBy(sql`contact_id`);
}

/**
 * The living contacts of the segment's organisations that have no address at all, counted (a scalar
 * query). The contacts without an address are found first (a look-up in the address index each),
 * and only their roles are looked up in the segment: on SQLite, 130 → 80 ms for the 10,257 of 50,785
 * contacts of the bench, instead of listing every contact of the segment first.
 */
function contactsWithoutEmail(db: Db, dialect: Dialect, segment: SegmentOrganisations) {
  return db
    .selectFrom('contacts as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.erased_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contact_emails as e').select('e.contact_id').whereRef('e.contact_id', '=', 'c.id'))))
    .where((eb) => eb.exists(eb.selectFrom('contact_roles as r').select('r.contact_id').whereRef('r.contact_id', '=', 'c.id').where(organisationIn(dialect, segment))));
}

/** How many living contacts of the segment's organisations have no address at all. */
export async function countContactsWithoutEmail(db: Db, dialect: Dialect, segment: SegmentOrganisations | null): Promise<number> {
  if (!segment) return 0;
  const row = await contactsWithoutEmail(db, dialect, segment).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The audience's counts: its members (suppressed addresses left out), and who is left out by reason. */
export interface AudienceCounts {
  total: number;
  suppressed: number;
  noLegalBasis: number;
  noEmail: number;
}

/** The addresses `emails` (lower-cased), read by index (a page of them). */
const amongAddresses =
  (emails: readonly string[]): Within =>
  (column) =>
    sql<SqlBool>`${column} in (${sql.join(emails)})`;

/**
 * On PostgreSQL, `run` in a transaction without JIT compilation: the audience's queries are
 * estimated far above `jit_above_cost` (a subquery per contact), and compiling them took 190–270 ms
 * of every page view (EXPLAIN ANALYZE, 42,860 recipients) for a query that runs once. SQLite: as is.
 */
async function withoutJit<T>(db: Kysely<Database>, dialect: Dialect, run: (db: Db) => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return run(db);
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return run(trx);
  });
}

/** What the audience page shows: the audience's counts, and the rows of one page of its members. */
export interface AudiencePageData {
  counts: AudienceCounts;
  rows: AudienceRow[];
}

/**
 * The audience page in two statements whatever the audience's size.
 *
 * The first walks the whole audience once, as the walk (`walkAudience`) counts it: an address is a
 * member when it has a list row or a contact whose legal basis allows it; a member on the
 * suppression list is counted as suppressed instead (its hash looked up once, for members only);
 * every contact whose legal basis does not allow it counts once as without legal basis (whatever
 * its address's standing). Its addresses, grouped once, are kept (materialized) and give both the
 * counts and the addresses of the page asked (`offset`, `limit` members in address order): one row
 * per address of the page (a single row, its address null, when the page is empty), each with the
 * counts. Counting and paging used to be two statements each walking the whole audience.
 *
 * The second reads the page's rows again by address (a few index look-ups), its members' rows only:
 * each address's list row and its allowed contacts, an address's list row first, then its contacts
 * by id.
 */
export async function audiencePage(db: Kysely<Database>, dialect: Dialect, source: AudienceSource, page: { offset: number; limit: number }): Promise<AudiencePageData> {
  const all = candidates(db, dialect, source, everyAddress, true);
  if (!all) return { counts: { total: 0, suppressed: 0, noLegalBasis: 0, noEmail: 0 }, rows: [] };
  const member = sql<number>`max(case when cand.source = 'list' or cand.allowed = 1 then 1 else 0 end)`;
  return withoutJit(db, dialect, async (db) => {
    const summary = await db
      .with('cand', () => all)
      .with(
        (cte) => cte('addr').materialized(),
        (qc) =>
          qc
            .selectFrom('cand')
            .select([
              'cand.email_lower',
              member.as('member'),
              sql<number>`sum(case when cand.source = 'segment' and cand.allowed = 0 then 1 else 0 end)`.as('refused'),
              // The hash written once, computed for members only.
              sql<number>`case when ${member} = 1 and ${suppressed(dialect, 'cand.email_lower')} then 1 else 0 end`.as('suppressed'),
            ])
            .groupBy('cand.email_lower'),
      )
      .with('page', (qc) =>
        qc
          .selectFrom('addr')
          .select('addr.email_lower')
          .where('addr.member', '=', 1)
          .where('addr.suppressed', '=', 0)
          .orderBy('addr.email_lower')
          .limit(page.limit)
          .offset(page.offset),
      )
      .with('totals', (qc) =>
        qc
          .selectFrom('addr')
          .select([
            sql<number>`sum(addr.member)`.as('members'),
            sql<number>`sum(addr.suppressed)`.as('suppressed'),
            sql<number>`sum(addr.refused)`.as('refused'),
            (source.segment ? contactsWithoutEmail(db, dialect, source.segment) : db.selectNoFrom(sql<number>`0`.as('n'))).as('no_email'),
          ]),
      )
      .selectFrom('totals')
      .leftJoin('page', (join) => join.on(sql<SqlBool>`1 = 1`))
      .select(['page.email_lower', 'totals.members', 'totals.suppressed', 'totals.refused', 'totals.no_email'])
      .orderBy('page.email_lower')
      .execute();
    const first = summary[0];
    const count = (value: number | string | null | undefined) => Number(value ?? 0);
    const counts = {
      total: count(first?.members) - count(first?.suppressed),
      suppressed: count(first?.suppressed),
      noLegalBasis: count(first?.refused),
      noEmail: count(first?.no_email),
    };
    const emails = summary.map((r) => r.email_lower).filter((e): e is string => e !== null);
    if (!emails.length) return { counts, rows: [] };
    const paged = candidates(db, dialect, source, amongAddresses(emails), true)!;
    const rows = await db
      .selectFrom(paged.as('m'))
      .select(['m.email_lower', 'm.email', 'm.name', 'm.first_name', 'm.last_name', 'm.subscriber_id', 'm.contact_id', 'm.source'])
      .where(sql<SqlBool>`(m.source = 'list' or m.allowed = 1)`)
      .orderBy('m.email_lower')
      .orderBy('m.source')
      .orderBy('m.contact_id')
      .execute();
    return { counts, rows };
  });
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
