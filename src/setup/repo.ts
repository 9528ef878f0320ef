import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const DEMO = 'demo';

export async function hasDemoRecords(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('source', '=', DEMO).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Deletes every table's demo rows in one transaction; later capabilities add their tables here. */
export async function deleteDemoRecords(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const users = await trx.deleteFrom('users').where('source', '=', DEMO).executeTakeFirst();
    return Number(users.numDeletedRows);
  });
}
