// What an undo would delete beyond the import itself: rows added since the import to the records
// it created (interactions, memberships, accounts, registrations…). Found by the database's own
// columns, so a table a later capability adds is covered without being named here.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Tables holding an organisation's own description, written by the import or recomputed from the
 * record (its lists, old addresses, full-text index): they go with it and block nothing.
 */
export const OWN_ORGANISATION_TABLES: ReadonlySet<string> = new Set([
  'organisation_slugs',
  'organisation_themes',
  'organisation_countries',
  'organisation_zones',
  'organisation_sdgs',
  'organisations_fts',
  'organisations_fts_map',
]);

/** A person's own details (emails, interests): they go with the contact. */
export const OWN_CONTACT_TABLES: ReadonlySet<string> = new Set(['contact_emails', 'contact_themes', 'contact_countries']);

/** One record of the batch that received later data, and where that data lies. */
export interface LaterData {
  kind: 'organisation' | 'contact';
  id: string;
  /** The organisation's name, or the person's first and last names. */
  name: string;
  table: string;
}

/** Tables (not views) of the application's schema that have a column of this name. */
async function tablesWith(db: Db, column: string): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.isView && (t.schema === undefined || t.schema === 'public') && t.columns.some((c) => c.name === column))
    .map((t) => t.name)
    .sort();
}

type Found = { id: string; name: string };

async function rowsOf(db: Db, query: RawBuilder<Found>): Promise<Found[]> {
  return (await query.execute(db)).rows;
}

/**
 * Organisations and contacts of the batch that received data since the import, per table, `limit`
 * per table at most. Memberships count when added after the organisation was created (the import
 * writes them at the same instant), consents when recorded after the contact was, roles when they
 * link a record of the batch to one from elsewhere.
 */
export async function laterDataOfBatch(db: Db, batchId: string, limit = 20): Promise<LaterData[]> {
  const found: LaterData[] = [];
  const batchOrganisations = sql`select id from organisations where import_batch_id = ${batchId}`;
  const batchContacts = sql`select id from contacts where import_batch_id = ${batchId}`;

  for (const table of await tablesWith(db, 'organisation_id')) {
    if (OWN_ORGANISATION_TABLES.has(table)) continue;
    const t = sql.table(table);
    const condition =
      table === 'memberships'
        ? sql`exists (select 1 from ${t} r where r.organisation_id = o.id and r.created_at > o.created_at)`
        : table === 'contact_roles'
          ? sql`exists (select 1 from ${t} r where r.organisation_id = o.id and r.contact_id not in (${batchContacts}))`
          : sql`exists (select 1 from ${t} r where r.organisation_id = o.id)`;
    const rows = await rowsOf(db, sql<Found>`select o.id, o.name from organisations o where o.import_batch_id = ${batchId} and ${condition} order by o.name limit ${limit}`);
    for (const r of rows) found.push({ kind: 'organisation', id: r.id, name: r.name, table });
  }
  // Moderation proposals name their record by entity_type and entity_id.
  if ((await tablesWith(db, 'entity_id')).includes('proposals')) {
    const rows = await rowsOf(
      db,
      sql<Found>`select o.id, o.name from organisations o where o.import_batch_id = ${batchId} and exists (select 1 from proposals p where p.entity_id = o.id and p.entity_type in ('organisation', 'organisation_position')) order by o.name limit ${limit}`,
    );
    for (const r of rows) found.push({ kind: 'organisation', id: r.id, name: r.name, table: 'proposals' });
  }

  for (const table of await tablesWith(db, 'contact_id')) {
    if (OWN_CONTACT_TABLES.has(table)) continue;
    const t = sql.table(table);
    const condition =
      table === 'consents'
        ? sql`exists (select 1 from ${t} r where r.contact_id = c.id and r.at > c.created_at)`
        : table === 'contact_roles'
          ? sql`exists (select 1 from ${t} r where r.contact_id = c.id and r.organisation_id not in (${batchOrganisations}))`
          : sql`exists (select 1 from ${t} r where r.contact_id = c.id)`;
    const rows = await rowsOf(
      db,
      sql<Found>`select c.id, trim(coalesce(c.first_name, '') || ' ' || c.last_name) as name from contacts c where c.import_batch_id = ${batchId} and ${condition} order by c.sort_name, c.id limit ${limit}`,
    );
    for (const r of rows) found.push({ kind: 'contact', id: r.id, name: r.name, table });
  }
  return found;
}

/**
 * Whether a batch still stands (not undone), read in the caller's transaction with the batch's row
 * held shared until it ends on PostgreSQL (SQLite has one writer at a time). An undo changes that
 * row first: running meanwhile, it either waits for the caller's transaction, then sees what it
 * wrote, or has ended before, and the caller then reads the batch as undone.
 */
export async function batchStandsLocked(trx: Transaction<Database>, postgres: boolean, batchId: string): Promise<boolean> {
  const query = trx.selectFrom('import_batches').select('status').where('id', '=', batchId);
  const batch = await (postgres ? query.forShare() : query).executeTakeFirst();
  return batch !== undefined && batch.status !== 'undone';
}
