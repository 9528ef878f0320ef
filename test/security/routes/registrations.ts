import assert from 'node:assert/strict';
import { registerParticipant } from '../../../src/modules/registrations/index.js';
import { insertTestEvent } from '../../../src/modules/registrations/test-fixtures-repo.js';
import type { RouteArea } from './types.js';

const everyone = (status: number) => ({ visitor: status, member: status, staff: status, admin: status });
const staffOnlyGet = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffOnlyPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** Routes of event registrations (hand-written; see types.ts). */
export const registrationRoutes: RouteArea = {
  expected: {
    // Public form: an open event; an empty form comes back with its errors.
    'GET /agenda/:slug/inscription': everyone(200),
    'POST /agenda/:slug/inscription': everyone(400),
    // Without a registration made in this session: back to the form.
    'GET /agenda/:slug/inscription/confirmation': everyone(303),
    // The personal link (token in the URL): view, calendar, change (empty form: 400), the cancellation's
    // confirmation page, then cancel (then "already cancelled").
    'GET /inscriptions/:token': everyone(200),
    'GET /inscriptions/:token/evenement.ics': everyone(200),
    'POST /inscriptions/:token': everyone(400),
    'GET /inscriptions/:token/annuler': everyone(200),
    'POST /inscriptions/:token/annuler': everyone(303),
    // Back office
    'GET /admin/agenda/:id/inscriptions': staffOnlyGet,
    'POST /admin/agenda/:id/inscriptions': staffOnlyPost(400),
    'POST /admin/agenda/:id/inscriptions/:rid/statut': staffOnlyPost(303),
    'POST /admin/agenda/:id/inscriptions/:rid/deplacer': staffOnlyPost(303),
    'GET /admin/agenda/:id/inscriptions.csv': staffOnlyGet,
    'GET /admin/agenda/:id/inscriptions.xlsx': staffOnlyGet,
    'GET /admin/agenda/:id/emargement': staffOnlyGet,
    'GET /admin/agenda/:id/inscriptions/reglages': staffOnlyGet,
    'POST /admin/agenda/:id/inscriptions/reglages': staffOnlyPost(303),
    'GET /admin/agenda/:id/ateliers': staffOnlyGet,
    'POST /admin/agenda/:id/ateliers': staffOnlyPost(400),
    // Deleted by staff; admin, second, finds it gone.
    'POST /admin/agenda/:id/ateliers/:sid/supprimer': { visitor: 403, member: 403, staff: 303, admin: 404 },
    'POST /admin/inscriptions/effacer': staffOnlyPost(303),
  },
  async samples(t) {
    const event = await insertTestEvent(t.kernel.db, { capacity: 10 });
    const other = await insertTestEvent(t.kernel.db, { capacity: 10 });
    const person = (email: string) => ({
      email,
      firstName: 'Awa',
      lastName: 'Diallo',
      phone: null,
      organisationId: null,
      organisationName: 'Eau Vive',
      organisationKind: 'association',
      organisationDepartment: '33',
      answers: {},
      sessionIds: [],
      userId: null,
    });
    const shown = await registerParticipant(t.kernel, event.id, person('awa@example.org'));
    const toCancel = await registerParticipant(t.kernel, event.id, person('marc@example.org'));
    const toMove = await registerParticipant(t.kernel, event.id, person('lea@example.org'));
    const asking = await registerParticipant(t.kernel, event.id, person('sam@example.org'));
    assert.ok(shown.kind === 'created' && toCancel.kind === 'created' && toMove.kind === 'created' && asking.kind === 'created');
    const session = { id: '01970000-0000-7000-8000-00000000a7e1' };
    await t.kernel.db
      .insertInto('event_sessions')
      .values({ id: session.id, event_id: event.id, title: 'Atelier eau', description: null, room: null, starts_at: event.starts_at as string, ends_at: event.ends_at as string, capacity: 5, position: 0 })
      .execute();
    return {
      'GET /agenda/:slug/inscription': { params: { slug: event.slug } },
      'POST /agenda/:slug/inscription': { params: { slug: event.slug } },
      'GET /agenda/:slug/inscription/confirmation': { params: { slug: event.slug } },
      'GET /inscriptions/:token': { params: { token: shown.token } },
      'GET /inscriptions/:token/evenement.ics': { params: { token: shown.token } },
      'POST /inscriptions/:token': { params: { token: shown.token } },
      'GET /inscriptions/:token/annuler': { params: { token: asking.token } },
      'POST /inscriptions/:token/annuler': { params: { token: toCancel.token }, body: { confirmer: '1' } },
      'GET /admin/agenda/:id/inscriptions': { params: { id: event.id } },
      'POST /admin/agenda/:id/inscriptions': { params: { id: event.id } },
      'POST /admin/agenda/:id/inscriptions/:rid/statut': { params: { id: event.id, rid: shown.id }, body: { status: 'attended' } },
      'POST /admin/agenda/:id/inscriptions/:rid/deplacer': { params: { id: event.id, rid: toMove.id }, body: { target: other.id } },
      'GET /admin/agenda/:id/inscriptions.csv': { params: { id: event.id } },
      'GET /admin/agenda/:id/inscriptions.xlsx': { params: { id: event.id } },
      'GET /admin/agenda/:id/emargement': { params: { id: event.id } },
      'GET /admin/agenda/:id/inscriptions/reglages': { params: { id: event.id } },
      'POST /admin/agenda/:id/inscriptions/reglages': { params: { id: event.id }, body: { registration_open: '1', capacity: '12', waitlist_enabled: '1', q0_kind: 'text', q0_label: '' } },
      'GET /admin/agenda/:id/ateliers': { params: { id: event.id } },
      'POST /admin/agenda/:id/ateliers': { params: { id: event.id } },
      'POST /admin/agenda/:id/ateliers/:sid/supprimer': { params: { id: event.id, sid: session.id } },
      'POST /admin/inscriptions/effacer': { body: { email: 'nobody@example.org' } },
    };
  },
};
