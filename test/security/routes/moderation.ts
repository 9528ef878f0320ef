import assert from 'node:assert/strict';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../../src/modules/organisations/index.js';
import { propose, submitAccountRequest } from '../../../src/modules/moderation/index.js';
import type { RouteArea } from './types.js';

const staffOnlyGet = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffOnlyPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** Routes of the moderation area (hand-written; see types.ts). */
export const moderationRoutes: RouteArea = {
  expected: {
    // Public proposal of an organisation, account requests
    'GET /proposer-une-structure': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'POST /proposer-une-structure': { visitor: 400, member: 400, staff: 400, admin: 400 },
    'GET /proposer-une-structure/merci': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /demande-de-compte': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'POST /demande-de-compte': { visitor: 400, member: 400, staff: 400, admin: 400 },
    'GET /demande-de-compte/merci': { visitor: 200, member: 200, staff: 200, admin: 200 },
    // Member space: the sample organisation is linked to none of these accounts.
    'GET /mon-espace/structures': { visitor: 302, member: 200, staff: 200, admin: 200 },
    'GET /mon-espace/structures/:id/modifier': { visitor: 302, member: 403, staff: 403, admin: 403 },
    'POST /mon-espace/structures/:id/modifier': { visitor: 403, member: 403, staff: 403, admin: 403 },
    // Back office: queue, decisions (a second decision is told "already handled": 303)
    'GET /admin/moderation': staffOnlyGet,
    'GET /admin/moderation/:id': staffOnlyGet,
    'POST /admin/moderation/:id/approuver': staffOnlyPost(303),
    'GET /admin/moderation/:id/modifier': staffOnlyGet,
    'POST /admin/moderation/:id/modifier': staffOnlyPost(400),
    'POST /admin/moderation/:id/rejeter': staffOnlyPost(400),
    'GET /admin/demandes-de-compte': staffOnlyGet,
    'POST /admin/demandes-de-compte/:id/approuver': staffOnlyPost(303),
    'POST /admin/demandes-de-compte/:id/rejeter': staffOnlyPost(400),
  },
  async samples(t) {
    const tax = await taxonomies(t.kernel.db);
    const checked = validateOrganisation({ name: 'Eau Vive Gironde', kind_code: 'association', commune: '33063' }, taxonomyCodes(tax), { currentYear: 2026 });
    assert.ok(checked.ok);
    const org = await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
    const proposer = { userId: null, name: 'Awa Diallo', email: 'awa@example.org' };
    const newProposal = async (name: string) => {
      const r = await propose(t.kernel, { type: 'organisation', entityId: null, payload: { name, kind_code: 'association' }, proposer });
      assert.ok(r.ok);
      return r.id;
    };
    const toApprove = await newProposal('Solidarité Sahel Dordogne');
    const toEdit = await newProposal('Jardins du Monde Landes');
    const toReject = await newProposal('Ponts Solidaires Pau');
    const request = await submitAccountRequest(t.kernel, { name: 'Marc Lopez', email: 'marc@example.org', organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.9' });
    const toDecline = await submitAccountRequest(t.kernel, { name: 'Léa Martin', email: 'lea@example.org', organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.9' });
    return {
      'GET /mon-espace/structures/:id/modifier': { params: { id: org.id } },
      'POST /mon-espace/structures/:id/modifier': { params: { id: org.id }, body: { name: 'Nouveau nom', kind_code: 'association' } },
      'GET /admin/moderation/:id': { params: { id: toEdit } },
      'POST /admin/moderation/:id/approuver': { params: { id: toApprove } },
      'GET /admin/moderation/:id/modifier': { params: { id: toEdit } },
      // An invalid edit (no name): the form comes back with its errors.
      'POST /admin/moderation/:id/modifier': { params: { id: toEdit }, body: { name: '', kind_code: 'association' } },
      'POST /admin/moderation/:id/rejeter': { params: { id: toReject } },
      'POST /admin/demandes-de-compte/:id/approuver': { params: { id: request } },
      'POST /admin/demandes-de-compte/:id/rejeter': { params: { id: toDecline } },
    };
  },
};
