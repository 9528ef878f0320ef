import type { Insertable, Kysely } from 'kysely';
import type { Database, EventsTable } from '../../db/schema.js';
import { newId } from '../../kernel/ids.js';
import type { ParticipantInput } from './register.js';

/** A published event open for registration, inserted directly (tests of this module only). */
export async function insertTestEvent(db: Kysely<Database>, overrides: Partial<Insertable<EventsTable>> = {}): Promise<Insertable<EventsTable> & { id: string; slug: string }> {
  const id = newId();
  // In ten days, at 10:00 UTC: the same calendar day in UTC and in Paris, whatever the hour the tests run.
  const start = new Date(Math.floor(Date.now() / 86_400_000 + 10) * 86_400_000 + 10 * 3_600_000);
  const row = {
    id,
    slug: `rencontre-${id.slice(-12)}`,
    title: 'Rencontre régionale de la solidarité',
    summary: 'Une journée d’échanges entre acteurs.',
    description_html: null,
    type_code: 'network_meeting',
    status: 'published' as const,
    starts_at: start.toISOString(),
    ends_at: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    all_day: 0,
    time_zone: 'Europe/Paris',
    venue: 'Maison des associations',
    address: '12 rue des Lilas',
    postcode: '33000',
    commune_code: '33063',
    department_code: '33',
    online_url: null,
    online_url_private: 0,
    registration_open: 1,
    registration_deadline: null,
    capacity: 50,
    waitlist_enabled: 1,
    account_required: 0,
    questions: '[]',
    source: 'staff',
    search_text: '',
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    published_at: new Date().toISOString(),
    ...overrides,
  };
  await db.insertInto('events').values(row).execute();
  return row as Insertable<EventsTable> & { id: string; slug: string };
}

/** Participant n of a test: `<prefix>n@example.org`, of an association in Gironde, no account. */
export function testParticipant(n: number, prefix = 'personne'): ParticipantInput {
  return {
    email: `${prefix}${n}@example.org`,
    firstName: 'Awa',
    lastName: `Diallo ${n}`,
    phone: null,
    organisationId: null,
    organisationName: 'Eau Vive Gironde',
    organisationKind: 'association',
    organisationDepartment: '33',
    answers: {},
    sessionIds: [],
    userId: null,
  };
}
