// Test data only (not used by the app): events written straight into the tables, until the events
// module offers its own creation functions to tests.
import type { Insertable, Kysely } from 'kysely';
import type { Database, EventsTable } from '../../db/schema.js';

export async function insertFixtureEvent(
  db: Kysely<Database>,
  row: Insertable<EventsTable>,
  links: { organisers: string[]; themes: string[]; countries: string[]; sdgs: number[] },
): Promise<void> {
  await db.insertInto('events').values(row).execute();
  if (links.organisers.length) await db.insertInto('event_organisers').values(links.organisers.map((organisation_id) => ({ event_id: row.id, organisation_id }))).execute();
  if (links.themes.length) await db.insertInto('event_themes').values(links.themes.map((theme_code) => ({ event_id: row.id, theme_code }))).execute();
  if (links.countries.length) await db.insertInto('event_countries').values(links.countries.map((country_code) => ({ event_id: row.id, country_code }))).execute();
  if (links.sdgs.length) await db.insertInto('event_sdgs').values(links.sdgs.map((sdg_code) => ({ event_id: row.id, sdg_code }))).execute();
}

export async function updateFixtureEvent(db: Kysely<Database>, id: string, patch: Partial<Insertable<EventsTable>>): Promise<void> {
  await db.updateTable('events').set(patch).where('id', '=', id).execute();
}

export async function addFixtureOldSlug(db: Kysely<Database>, slug: string, eventId: string): Promise<void> {
  await db.insertInto('event_slugs').values({ slug, event_id: eventId }).execute();
}
