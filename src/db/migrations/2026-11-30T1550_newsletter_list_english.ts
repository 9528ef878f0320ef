import type { Kysely } from 'kysely';

// A newsletter list's name and description for English pages (the call-alerts list read
// « Alertes appels à projets » to English readers). Empty: the French ones are shown.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('newsletter_lists').addColumn('name_en', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('newsletter_lists').addColumn('description_en', 'text', (c) => c.notNull().defaultTo('')).execute();
  // The call-alerts list of migration 1510, as long as staff kept its French name.
  await db
    .updateTable('newsletter_lists')
    .set({
      name_en: 'Calls for projects alerts',
      description_en: 'At most one email a day: the new calls for projects matching your organisation or your interests.',
    })
    .where('id', '=', '01900000-0000-7000-8000-0000000ca11a')
    .where('name', '=', 'Alertes appels à projets')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['description_en', 'name_en']) await db.schema.alterTable('newsletter_lists').dropColumn(column).execute();
}
