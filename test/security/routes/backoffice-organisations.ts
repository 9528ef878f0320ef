import assert from 'node:assert/strict';
import type { RouteArea, Statuses } from './types.js';

const PAGE: Statuses = { visitor: 302, member: 403, staff: 200, admin: 200 };
const REDIRECT: Statuses = { visitor: 302, member: 403, staff: 303, admin: 303 };
/** A POST with an empty or invalid form: the page comes back with its errors. */
const INVALID: Statuses = { visitor: 403, member: 403, staff: 400, admin: 400 };
const DONE: Statuses = { visitor: 403, member: 403, staff: 303, admin: 303 };

const UNKNOWN_ID = '00000000-0000-7000-8000-000000000000';

/** Routes of the backoffice-organisations area (hand-written; see types.ts). */
export const backofficeOrganisationsRoutes: RouteArea = {
  expected: {
    'GET /admin/organisations': PAGE,
    'POST /admin/organisations/filtres': INVALID,
    'GET /admin/organisations/filtres/:id': REDIRECT,
    'POST /admin/organisations/filtres/:id/supprimer': { visitor: 403, member: 403, staff: 404, admin: 404 },
    'POST /admin/organisations/actions': INVALID,
    'GET /admin/organisations/nouvelle': PAGE,
    // « nouveau » for « nouvelle »: the form's address, permanently.
    'GET /admin/organisations/nouveau': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/organisations/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'POST /admin/organisations/nouvelle': INVALID,
    'GET /admin/organisations/:id': PAGE,
    'POST /admin/organisations/:id': INVALID,
    'POST /admin/organisations/:id/revue': DONE,
    'POST /admin/organisations/:id/interactions': INVALID,
    'POST /admin/organisations/:id/inviter': INVALID,
    'GET /admin/contacts': PAGE,
    'GET /admin/contacts/nouveau': PAGE,
    // « nouvelle » for « nouveau »: the form's address, permanently.
    'GET /admin/contacts/nouvelle': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/contacts/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'POST /admin/contacts/nouveau': INVALID,
    'GET /admin/contacts/:id': PAGE,
    'POST /admin/contacts/:id': INVALID,
    'POST /admin/contacts/:id/consentements': INVALID,
    'GET /admin/contacts/:id/export': PAGE,
    'POST /admin/contacts/:id/export': { visitor: 403, member: 403, staff: 200, admin: 200 },
    'GET /admin/contacts/:id/effacer': PAGE,
    // Erasing an already erased contact changes nothing: still 303.
    'POST /admin/contacts/:id/effacer': DONE,
  },
  async samples(t) {
    const admin = await t.loginAs('admin');
    const created = await admin.post('/admin/organisations/nouvelle', { name: 'Structure témoin', kind_code: 'association', visibility: 'public' });
    assert.equal(created.statusCode, 303, 'the sample organisation was created');
    const org = String(created.headers.location).split('/').pop() ?? '';
    await admin.get('/admin/organisations');
    const segment = await admin.post('/admin/organisations/filtres', { name: 'Associations', query: 'famille=association' });
    assert.equal(segment.statusCode, 303, 'the sample saved filter was created');
    const segments = await t.kernel.db.selectFrom('saved_filters').select('id').execute();
    const contactId = async (lastName: string) => {
      const res = await admin.post('/admin/contacts/nouveau', { last_name: lastName, emails: `${lastName.toLowerCase()}@example.org` });
      assert.equal(res.statusCode, 303, 'the sample contact was created');
      return String(res.headers.location).split('/').pop() ?? '';
    };
    const contact = await contactId('Témoin');
    const erased = await contactId('Effacable');
    return {
      'GET /admin/organisations/filtres/:id': { params: { id: segments[0]!.id } },
      'POST /admin/organisations/filtres/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'GET /admin/organisations/:id': { params: { id: org } },
      'POST /admin/organisations/:id': { params: { id: org } },
      'POST /admin/organisations/:id/revue': { params: { id: org } },
      'POST /admin/organisations/:id/interactions': { params: { id: org } },
      'POST /admin/organisations/:id/inviter': { params: { id: org } },
      'GET /admin/contacts/:id': { params: { id: contact } },
      'POST /admin/contacts/:id': { params: { id: contact } },
      'POST /admin/contacts/:id/consentements': { params: { id: contact } },
      'GET /admin/contacts/:id/export': { params: { id: contact } },
      'POST /admin/contacts/:id/export': { params: { id: contact } },
      'GET /admin/contacts/:id/effacer': { params: { id: contact } },
      'POST /admin/contacts/:id/effacer': { params: { id: erased } },
    };
  },
};
