import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Subscribers confirmed on at least one of the lists. */
export async function confirmedMembers(db: Db, listIds: readonly string[]) {
  if (listIds.length === 0) return [];
  return db
    .selectFrom('newsletter_subscribers as s')
    .select(['s.id', 's.email', 's.email_lower', 's.name', 's.contact_id'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('newsletter_subscriptions as x')
          .select('x.subscriber_id')
          .whereRef('x.subscriber_id', '=', 's.id')
          .where('x.list_id', 'in', [...listIds])
          .where('x.status', '=', 'confirmed'),
      ),
    )
    .orderBy('s.email_lower')
    .execute();
}

export interface SegmentPerson {
  contact_id: string;
  first_name: string | null;
  last_name: string;
  email: string | null;
  email_lower: string | null;
  is_primary: number | null;
}

/** The living contacts of these organisations, one row per address (none: a row without address). */
export async function contactsOfOrganisations(db: Db, organisationIds: readonly string[]): Promise<SegmentPerson[]> {
  const out: SegmentPerson[] = [];
  for (const chunk of chunks([...new Set(organisationIds)])) {
    const rows = await db
      .selectFrom('contact_roles as r')
      .innerJoin('contacts as c', 'c.id', 'r.contact_id')
      .leftJoin('contact_emails as e', 'e.contact_id', 'c.id')
      .select(['c.id as contact_id', 'c.first_name', 'c.last_name', 'e.email', 'e.email_lower', 'e.is_primary'])
      .where('r.organisation_id', 'in', chunk)
      .where('c.erased_at', 'is', null)
      .execute();
    out.push(...rows);
  }
  return out;
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
