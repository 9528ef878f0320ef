import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

const DEMO = 'demo';

/** Whether the demo accounts exist. */
export async function hasDemoRecords(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('source', '=', DEMO).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function hasDemoOrganisations(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').where('source', '=', DEMO).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Tables of the demo content (agenda, news, resources, calls…): each holds rows with source = 'demo' once seeded. */
export type DemoContentTable = 'events' | 'news_articles' | 'resources' | 'calls';

/** Whether that kind of demo content exists already. */
export async function hasDemoContent(db: Kysely<Database>, table: DemoContentTable): Promise<boolean> {
  const row = await db.selectFrom(table).select('id').where('source', '=', DEMO).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Public demo associations (id and département), by name: the demo content's organisers. */
export async function demoAssociations(db: Kysely<Database>): Promise<{ id: string; department_code: string | null }[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'department_code'])
    .where('source', '=', DEMO)
    .where('kind_code', '=', 'association')
    .where('visibility', '=', 'public')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Whether an administrator account exists already (created with user:create, or restored). */
export async function hasAdmin(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('status', '!=', 'deactivated').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Tables referenced by other demo rows: emptied last, so their dependants go first. */
const DELETE_LAST = ['organisations', 'users'];

/**
 * Deletes the demo rows of every table that has a `source` column, in one transaction, so a
 * capability that adds such a table is covered without touching this file. Rows that reference
 * demo rows through `on delete cascade` go with them: the demo agenda, news, resources and calls
 * (events, news_articles, resources and calls with source = 'demo') take their slugs, links and
 * search rows along (SQLite's full-text rows through their delete triggers).
 */
export async function deleteDemoRecords(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const tables = (await trx.introspection.getTables())
      .filter((table) => table.columns.some((column) => column.name === 'source'))
      .map((table) => (table.schema && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name))
      .sort((a, b) => DELETE_LAST.indexOf(a) - DELETE_LAST.indexOf(b) || a.localeCompare(b));
    let deleted = 0;
    for (const table of tables) {
      const result = await sql`delete from ${sql.table(table)} where source = ${DEMO}`.execute(trx);
      deleted += Number(result.numAffectedRows ?? 0);
    }
    return deleted;
  });
}
