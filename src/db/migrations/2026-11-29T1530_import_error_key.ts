import type { Kysely } from 'kysely';

// Why a batch stopped, kept as its message key and parameters beside the French text: the wizard
// shows it in the reader's language (an English page said « Ligne 3 : cette ligne dépasse 10 Mo »).
// Batches that stopped before this migration keep their text only.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batches').addColumn('error_key', 'text').execute();
  // JSON object of the message's parameters.
  await db.schema.alterTable('import_batches').addColumn('error_params', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['error_params', 'error_key']) await db.schema.alterTable('import_batches').dropColumn(column).execute();
}
