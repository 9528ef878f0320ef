import type { Kysely } from 'kysely';

// Whether a mailing opens with its personal greeting (« Bonjour Prénom Nom, », « Bonjour, » when the
// name is unknown), chosen by staff on the mailing's form: 1 (the default) adds it, 0 leaves it
// out. Existing mailings all had it (unless their content opened with its own greeting, which
// still holds), so they keep 1.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('newsletter_mailings')
    .addColumn('greeting', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('newsletter_mailings').dropColumn('greeting').execute();
}
