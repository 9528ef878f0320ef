// Setup shared by the events module's tests (back office, member proposals, series).
import { findUserByEmail } from '../../src/kernel/auth/repo.js';
import type { Dialect } from '../../src/kernel/db/create-db.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { linkUserToOrganisation } from '../../src/modules/organisations/index.js';
import { type Client, type TestApp, testApp } from './app.js';

/** A valid one-date event form (type, date and times, place): tests add a title and what they try. */
export const EVENT_FORM = { type_code: 'network_meeting', start_date: '2030-06-12', start_time: '14:30', end_time: '17:00', venue: 'Salle Saint-Michel', commune: 'Bordeaux', postcode: '33000' };

export interface EventsWorld {
  t: TestApp;
  /** Signed in as staff. */
  staff: Client;
  /** « Eau Vive Gironde », a public organisation of Bordeaux. */
  orgId: string;
  /** A member signed in, linked to the organisation. */
  orgMember(email: string): Promise<Client>;
}

/** An app with a staff member signed in and an organisation whose members propose events. */
export async function eventsWorld(dialect: Dialect): Promise<EventsWorld> {
  const t = await testApp(dialect);
  const staff = await t.loginAs('staff', 'equipe@example.org');
  const org = await addOrganisation(t.kernel, { name: 'Eau Vive Gironde', acronym: 'EVG', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' });
  return {
    t,
    staff,
    orgId: org.id,
    async orgMember(email) {
      const client = await t.loginAs('member', email);
      const user = (await findUserByEmail(t.kernel.db, email))!;
      await linkUserToOrganisation(t.kernel.db, user.id, org.id, new Date().toISOString());
      return client;
    },
  };
}
