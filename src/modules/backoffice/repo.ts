import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export async function countInvited(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'invited')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
