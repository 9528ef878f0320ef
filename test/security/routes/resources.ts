import { addResource, makePdf, storedFile } from '../../../src/modules/resources/test-fixtures.js';
import type { RouteArea, Statuses } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const EVERYONE = (status: number): Statuses => ({ visitor: status, member: status, staff: status, admin: status });
const PAGE: Statuses = { visitor: 302, member: 403, staff: 200, admin: 200 };
/** A POST with an empty form: the page comes back with its errors. */
const INVALID: Statuses = { visitor: 403, member: 403, staff: 400, admin: 400 };
const DONE: Statuses = { visitor: 403, member: 403, staff: 303, admin: 303 };
const MISSING: Statuses = { visitor: 403, member: 403, staff: 404, admin: 404 };
const MEMBER_PAGE: Statuses = { visitor: 302, member: 200, staff: 200, admin: 200 };

/** The resource library (resources module; hand-written, see types.ts). */
export const resourceRoutes: RouteArea = {
  expected: {
    'GET /ressources': EVERYONE(200),
    'GET /ressources/flux.rss': EVERYONE(200),
    'GET /ressources/flux.atom': EVERYONE(200),
    'GET /ressources/:slug': EVERYONE(200),
    // The sample's PDF, sent as an attachment (and counted).
    'GET /ressources/:slug/fichier': EVERYONE(200),
    'GET /admin/ressources': PAGE,
    'GET /admin/ressources/nouvelle': PAGE,
    // « nouveau » for « nouvelle »: the form's address, permanently.
    'GET /admin/ressources/nouveau': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/ressources/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'POST /admin/ressources/nouvelle': INVALID,
    'GET /admin/ressources/:id': PAGE,
    'POST /admin/ressources/:id': INVALID,
    // No action chosen: refused.
    'POST /admin/ressources/:id/statut': { visitor: 403, member: 403, staff: 400, admin: 400 },
    'POST /admin/ressources/:id/extraction': DONE,
    'POST /admin/ressources/:id/supprimer': MISSING,
    // Any resource file, live or proposed: staff only.
    'GET /admin/ressources/fichiers/:fileId': PAGE,
    'GET /mon-espace/ressources': MEMBER_PAGE,
    // These accounts belong to no organisation: back to their resources page, told why.
    'GET /mon-espace/ressources/nouvelle': { visitor: 302, member: 303, staff: 303, admin: 303 },
    // « nouveau » for « nouvelle »: the form's address, permanently.
    'GET /mon-espace/ressources/nouveau': { visitor: 302, member: 301, staff: 301, admin: 301 },
    'GET /mon-espace/ressources/nouvel': { visitor: 302, member: 301, staff: 301, admin: 301 },
    'POST /mon-espace/ressources/nouvelle': { visitor: 403, member: 400, staff: 400, admin: 400 },
  },
  async samples(t) {
    const fileId = await storedFile(t.kernel, await makePdf(['Guide de la coopération décentralisée']), 'guide.pdf');
    const resource = await addResource(t.kernel, { title: 'Guide de la coopération', file_id: fileId });
    return {
      'GET /ressources/:slug': { params: { slug: resource.slug } },
      'GET /ressources/:slug/fichier': { params: { slug: resource.slug } },
      'GET /admin/ressources/:id': { params: { id: resource.id } },
      'POST /admin/ressources/:id': { params: { id: resource.id } },
      'POST /admin/ressources/:id/statut': { params: { id: resource.id } },
      'POST /admin/ressources/:id/extraction': { params: { id: resource.id } },
      'POST /admin/ressources/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'GET /admin/ressources/fichiers/:fileId': { params: { fileId } },
    };
  },
};
