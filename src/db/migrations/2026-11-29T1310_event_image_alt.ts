import type { Kysely } from 'kysely';

// The alternative text of an event's image (`events.image_file_id`): what screen readers say of
// it; null when the event has no image or the image is decorative.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('image_alt', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('image_alt').execute();
}
