import fs from 'node:fs';
import path from 'node:path';
import { attachDocuments } from '../../../src/modules/calls/attachments.js';
import { addCall, callDraft, SEED_ACTOR } from '../../../src/modules/calls/test-fixtures.js';
import type { RouteArea, Statuses } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const everyone: Statuses = { visitor: 200, member: 200, staff: 200, admin: 200 };
const staffOnly = (ok: number): Statuses => ({ visitor: 403, member: 403, staff: ok, admin: ok });
const staffPage: Statuses = { visitor: 302, member: 403, staff: 200, admin: 200 };

/** Calls for projects (calls module; hand-written, see types.ts). Public pages show published calls only: rows, not routes, are filtered. */
export const callRoutes: RouteArea = {
  expected: {
    'GET /appels-a-projets': everyone,
    'GET /appels-a-projets/archives': everyone,
    'GET /appels-a-projets/:slug': everyone,
    'GET /appels-a-projets/documents/:id': everyone,
    'GET /appels-a-projets.ics': everyone,
    'GET /appels-a-projets/flux.rss': everyone,
    'GET /appels-a-projets/flux.atom': everyone,
    'GET /admin/appels-a-projets': staffPage,
    'GET /admin/appels-a-projets/nouveau': staffPage,
    // « nouvelle » for « nouveau »: the form's address, permanently.
    'GET /admin/appels-a-projets/nouvelle': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/appels-a-projets/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    // An empty form: re-shown with its errors.
    'POST /admin/appels-a-projets/nouveau': staffOnly(400),
    'GET /admin/appels-a-projets/:id': staffPage,
    'POST /admin/appels-a-projets/:id': staffOnly(400),
    // No action named: refused.
    'POST /admin/appels-a-projets/:id/statut': staffOnly(400),
    'POST /admin/appels-a-projets/:id/supprimer': staffOnly(404),
    'POST /admin/appels-a-projets/:id/documents/:documentId/supprimer': staffOnly(404),
  },
  async samples(t) {
    const deps = { db: t.kernel.db, clock: t.kernel.clock, config: t.config };
    const closes = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const call = await addCall(deps, callDraft({ title: 'Appel public de la matrice', closes_on: closes }));
    const tmp = path.join(t.config.dataDir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const tmpPath = path.join(tmp, 'matrice.pdf');
    fs.writeFileSync(tmpPath, '%PDF-1.4\n%%EOF\n');
    await attachDocuments(deps, SEED_ACTOR, call.id, [{ tmpPath, filename: 'reglement.pdf', declaredMime: 'application/pdf', size: fs.statSync(tmpPath).size, truncated: false }], 'Règlement');
    const document = await t.kernel.db.selectFrom('call_documents').select('id').where('call_id', '=', call.id).executeTakeFirstOrThrow();
    return {
      'GET /appels-a-projets/:slug': { params: { slug: call.slug } },
      'GET /appels-a-projets/documents/:id': { params: { id: document.id } },
      'GET /admin/appels-a-projets/:id': { params: { id: call.id } },
      'POST /admin/appels-a-projets/:id': { params: { id: call.id } },
      'POST /admin/appels-a-projets/:id/statut': { params: { id: call.id } },
      'POST /admin/appels-a-projets/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'POST /admin/appels-a-projets/:id/documents/:documentId/supprimer': { params: { id: call.id, documentId: UNKNOWN_ID } },
    };
  },
};
