import type { Kysely } from 'kysely';

// Covering indexes for the directory's facet counts and name-ordered pages (measured at 50k rows:
// kind facet 1,258 → 38 ms, first page by name 269 → 19 ms on SQLite).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('organisations_facets_idx')
    .on('organisations')
    .columns(['visibility', 'kind_code', 'department_code', 'is_member', 'id'])
    .execute();
  await db.schema.createIndex('organisations_visible_name_idx').on('organisations').columns(['visibility', 'name', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisations_visible_name_idx').execute();
  await db.schema.dropIndex('organisations_facets_idx').execute();
}
