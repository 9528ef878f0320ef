import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// Name order that does not depend on the database's collation: `sort_name` holds the name folded
// by the application (lower case, accents and ligatures folded, punctuation as spaces), compared
// byte-wise on both dialects (SQLite's default BINARY, PostgreSQL's "C" collation), so "Écoles du
// monde" sorts with the e's and not after "Zébu". Backfilled here; the application writes it on
// every insert and update. An index on the logo column finds the organisation a logo belongs to.

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

const BATCH = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const type = isPostgres(db) ? sql`text collate "C"` : sql`text`;
  await db.schema.alterTable('organisations').addColumn('sort_name', type, (c) => c.notNull().defaultTo('')).execute();
  const rows = (await db.selectFrom('organisations').select(['id', 'name']).execute()) as { id: string; name: string }[];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const cases = sql.join(
      chunk.map((r) => sql`when ${r.id} then ${fold(r.name)}`),
      sql` `,
    );
    await sql`update organisations set sort_name = case id ${cases} else sort_name end where id in (${sql.join(chunk.map((r) => r.id))})`.execute(db);
  }
  // The directory's name-ordered pages filter on visibility first; the back office lists all.
  await db.schema.dropIndex('organisations_visible_name_idx').execute();
  await db.schema.createIndex('organisations_visible_sort_idx').on('organisations').columns(['visibility', 'sort_name', 'id']).execute();
  await db.schema.createIndex('organisations_sort_name_idx').on('organisations').columns(['sort_name', 'id']).execute();
  await db.schema.createIndex('organisations_logo_file_idx').on('organisations').column('logo_file_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisations_logo_file_idx').execute();
  await db.schema.dropIndex('organisations_sort_name_idx').execute();
  await db.schema.dropIndex('organisations_visible_sort_idx').execute();
  await db.schema.createIndex('organisations_visible_name_idx').on('organisations').columns(['visibility', 'name', 'id']).execute();
  await db.schema.alterTable('organisations').dropColumn('sort_name').execute();
}
