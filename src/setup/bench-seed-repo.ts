// Bulk writes of seeded organisations and contacts (demo and benchmark data): multi-row inserts,
// chunked under each dialect's bound-parameter limit, in transactions of a few thousand records.
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { ConsentsTable, ContactsTable, Database, InteractionsTable, MembershipsTable, OrganisationsTable } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Every row of a batch of seeded records, ready to be written. */
export interface SeedRows {
  organisations: Insertable<OrganisationsTable>[];
  organisationThemes: Database['organisation_themes'][];
  organisationCountries: Database['organisation_countries'][];
  organisationZones: Database['organisation_zones'][];
  organisationSdgs: Database['organisation_sdgs'][];
  organisationColleges: Database['organisation_colleges'][];
  memberships: Insertable<MembershipsTable>[];
  contacts: Insertable<ContactsTable>[];
  contactEmails: Database['contact_emails'][];
  contactRoles: Database['contact_roles'][];
  contactThemes: Database['contact_themes'][];
  contactCountries: Database['contact_countries'][];
  consents: Insertable<ConsentsTable>[];
  interactions: Insertable<InteractionsTable>[];
  userOrganisations: Database['user_organisations'][];
}

export function emptySeedRows(): SeedRows {
  return {
    organisations: [],
    organisationThemes: [],
    organisationCountries: [],
    organisationZones: [],
    organisationSdgs: [],
    organisationColleges: [],
    memberships: [],
    contacts: [],
    contactEmails: [],
    contactRoles: [],
    contactThemes: [],
    contactCountries: [],
    consents: [],
    interactions: [],
    userOrganisations: [],
  };
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

async function insertChunked<T extends keyof Database>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's table-generic insert types cannot follow `T`; the rows are typed by the caller.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (db as Kysely<any>).insertInto(table).values(rows.slice(i, i + size)).execute();
  }
}

/** Writes one batch in one transaction (dependants after what they reference). */
export async function insertSeedRows(db: Kysely<Database>, rows: SeedRows): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await insertChunked(trx, 'organisations', rows.organisations);
    await insertChunked(trx, 'organisation_themes', rows.organisationThemes);
    await insertChunked(trx, 'organisation_countries', rows.organisationCountries);
    await insertChunked(trx, 'organisation_zones', rows.organisationZones);
    await insertChunked(trx, 'organisation_sdgs', rows.organisationSdgs);
    await insertChunked(trx, 'organisation_colleges', rows.organisationColleges);
    await insertChunked(trx, 'memberships', rows.memberships);
    await insertChunked(trx, 'contacts', rows.contacts);
    await insertChunked(trx, 'contact_emails', rows.contactEmails);
    await insertChunked(trx, 'contact_roles', rows.contactRoles);
    await insertChunked(trx, 'contact_themes', rows.contactThemes);
    await insertChunked(trx, 'contact_countries', rows.contactCountries);
    await insertChunked(trx, 'consents', rows.consents);
    await insertChunked(trx, 'interactions', rows.interactions);
    await insertChunked(trx, 'user_organisations', rows.userOrganisations);
  });
}

/** Slugs in use (current and old ones), so seeded records never collide with real ones. */
export async function usedSlugs(db: Db): Promise<Set<string>> {
  const [current, old] = await Promise.all([
    db.selectFrom('organisations').select('slug').execute(),
    db.selectFrom('organisation_slugs').select('slug').execute(),
  ]);
  return new Set([...current, ...old].map((r) => r.slug));
}

export async function countSeeded(db: Db, source: string): Promise<{ organisations: number; contacts: number }> {
  const [organisations, contacts] = await Promise.all([
    db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', source).executeTakeFirstOrThrow(),
    db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', source).executeTakeFirstOrThrow(),
  ]);
  return { organisations: Number(organisations.n), contacts: Number(contacts.n) };
}

/** Deletes the seeded organisations and contacts of a source (their links go by cascade). */
export async function deleteSeeded(db: Kysely<Database>, source: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const contacts = await trx.deleteFrom('contacts').where('source', '=', source).executeTakeFirst();
    const organisations = await trx.deleteFrom('organisations').where('source', '=', source).executeTakeFirst();
    return Number(contacts.numDeletedRows) + Number(organisations.numDeletedRows);
  });
}

/** Accounts with a source (demo accounts), by e-mail. */
export async function usersBySource(db: Db, source: string): Promise<{ id: string; email: string; role: string }[]> {
  return db.selectFrom('users').select(['id', 'email', 'role']).where('source', '=', source).orderBy('email').execute();
}

/** Refreshes the planner's statistics after a bulk load (both dialects understand `analyze`). */
export async function analyzeAfterBulkLoad(db: Kysely<Database>): Promise<void> {
  await sql`analyze`.execute(db);
}
