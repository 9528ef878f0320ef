// Test data shared by the agenda's tests (integration, browser, route table, bench); not used by the app.
import type { Insertable, Kysely } from 'kysely';
import type { Database, EventsTable } from '../../db/schema.js';
import { findCommune } from '../../kernel/geo/communes.js';
import { newId } from '../../kernel/ids.js';
import { indexText } from '../../kernel/search/normalise.js';
import { addFixtureOldSlug, insertFixtureEvent, updateFixtureEvent } from './fixtures-repo.js';

export interface FixtureEvent extends Partial<Insertable<EventsTable>> {
  title: string;
  starts_at: string;
  ends_at: string;
  organisers?: string[];
  themes?: string[];
  countries?: string[];
  sdgs?: number[];
}

function slugOf(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'evenement'
  );
}

let counter = 0;

/** Adds an event (published by default) with its links, as the events module would store it. */
export async function addEvent(db: Kysely<Database>, e: FixtureEvent): Promise<Insertable<EventsTable> & { id: string; slug: string }> {
  const { organisers = [], themes = [], countries = [], sdgs = [], ...fields } = e;
  const now = new Date().toISOString();
  const commune = fields.commune_code ? findCommune(fields.commune_code) : undefined;
  const row = {
    id: newId(),
    slug: `${slugOf(e.title)}-${++counter}`,
    type_code: 'network_meeting',
    status: 'published' as const,
    all_day: 0,
    time_zone: 'Europe/Paris',
    online_url_private: 0,
    registration_open: 0,
    waitlist_enabled: 1,
    account_required: 0,
    questions: '[]',
    source: 'staff',
    created_at: now,
    updated_at: now,
    published_at: now,
    department_code: commune?.department ?? null,
    ...fields,
    search_text: indexText(e.title, fields.summary, fields.venue, commune?.name),
  };
  await insertFixtureEvent(db, row, { organisers, themes, countries, sdgs });
  return row;
}

export function updateEvent(db: Kysely<Database>, id: string, patch: Partial<Insertable<EventsTable>>): Promise<void> {
  return updateFixtureEvent(db, id, patch);
}

export function addOldSlug(db: Kysely<Database>, slug: string, eventId: string): Promise<void> {
  return addFixtureOldSlug(db, slug, eventId);
}
