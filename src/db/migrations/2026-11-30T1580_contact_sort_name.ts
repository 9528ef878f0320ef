import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// Contacts in the order a French reader expects, as organisations since migration 1140:
// `sort_name` holds the last name then the first name, each folded by the application (lower
// case, accents and ligatures folded, punctuation as spaces), joined by a tab (below the space and
// every letter, so the whole surname is compared first), and compared byte-wise on both dialects
// (SQLite's default BINARY, PostgreSQL's "C" collation). Backfilled here; the application writes it
// on every insert and every change of a name. Its index serves the back office's list (ordered by
// sort key then id) and replaces the last-name index, which no query uses any more.

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss' };

/** Frozen copy of the application's folding (migrations import nothing from the application). */
function fold(name: string): string {
  return name
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Frozen copy of the application's contact sort key. */
function sortKey(row: { first_name: string | null; last_name: string }): string {
  return `${fold(row.last_name)}\t${fold(row.first_name ?? '')}`;
}

const BATCH = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const type = isPostgres(db) ? sql`text collate "C"` : sql`text`;
  await db.schema.alterTable('contacts').addColumn('sort_name', type, (c) => c.notNull().defaultTo('')).execute();
  // Read and written a batch at a time, in id order, so a large table never sits in memory whole.
  let after = '';
  for (;;) {
    const rows = (await db.selectFrom('contacts').select(['id', 'first_name', 'last_name']).where('id', '>', after).orderBy('id').limit(BATCH).execute()) as {
      id: string;
      first_name: string | null;
      last_name: string;
    }[];
    if (rows.length === 0) break;
    const cases = sql.join(
      rows.map((r) => sql`when ${r.id} then ${sortKey(r)}`),
      sql` `,
    );
    await sql`update contacts set sort_name = case id ${cases} else sort_name end where id in (${sql.join(rows.map((r) => r.id))})`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.dropIndex('contacts_last_name_idx').execute();
  await db.schema.createIndex('contacts_sort_name_idx').on('contacts').columns(['sort_name', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_sort_name_idx').execute();
  await db.schema.createIndex('contacts_last_name_idx').on('contacts').column('last_name').execute();
  await db.schema.alterTable('contacts').dropColumn('sort_name').execute();
}
