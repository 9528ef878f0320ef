import { dismissCandidate, mergeOrganisations } from '../../../src/modules/merge/index.js';
import { addCandidate, addOrganisation } from '../../../src/modules/merge/test-world.js';
import type { RouteArea } from './types.js';

const staffOnlyGet = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffOnlyPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** Routes of the duplicates review queue and merges (hand-written; see types.ts). */
export const mergeRoutes: RouteArea = {
  expected: {
    'GET /admin/doublons': staffOnlyGet,
    // Enqueues the full scan (once a minute), then back to the queue.
    'POST /admin/doublons/analyse': staffOnlyPost(303),
    // The confirmation of the automatic merge of the safe pairs, then its job (staff), or « already asked » (admin, second): 303 both.
    'GET /admin/doublons/fusion-automatique': staffOnlyGet,
    'POST /admin/doublons/fusion-automatique': staffOnlyPost(303),
    'GET /admin/doublons/:id': staffOnlyGet,
    // Staff merge (303 to the merge); admin, second, is told it is done (303 to the same merge).
    'POST /admin/doublons/:id/fusionner': staffOnlyPost(303),
    // Dismissed, then "already dismissed": 303 both.
    'POST /admin/doublons/:id/pas-un-doublon': staffOnlyPost(303),
    // Put back in the queue, then "already in the queue": 303 both.
    'POST /admin/doublons/:id/reprendre': staffOnlyPost(303),
    'GET /admin/fusions': staffOnlyGet,
    'GET /admin/fusions/:id': staffOnlyGet,
    // Undone, then "already undone": 303 both.
    'POST /admin/fusions/:id/annuler': staffOnlyPost(303),
  },
  async samples(t) {
    const pair = async (name: string) => {
      const a = await addOrganisation(t.kernel, { name, commune: '33063' });
      const b = await addOrganisation(t.kernel, { name: name.toUpperCase(), commune: '33063' });
      return { a, b, id: await addCandidate(t.kernel, a.id, b.id) };
    };
    const shown = await pair('Coopération Atlantique Guinée');
    const toMerge = await pair('Solidarité Laïque Gironde');
    const toDismiss = await pair('Frères des Hommes Bordeaux');
    const merged = await pair('Artisans du Monde Pessac');
    const dismissed = await pair('Peuples Solidaires Dordogne');
    await dismissCandidate(t.kernel, { id: null, email: 'seed@example.org' }, dismissed.id);
    const done = await mergeOrganisations(t.kernel, { id: null, email: 'seed@example.org' }, { survivorId: merged.a.id, absorbedId: merged.b.id });
    return {
      'GET /admin/doublons/:id': { params: { id: shown.id } },
      'POST /admin/doublons/:id/fusionner': { params: { id: toMerge.id }, body: { conserver: 'a' } },
      'POST /admin/doublons/:id/pas-un-doublon': { params: { id: toDismiss.id } },
      'POST /admin/doublons/:id/reprendre': { params: { id: dismissed.id } },
      'GET /admin/fusions/:id': { params: { id: done.mergeId } },
      'POST /admin/fusions/:id/annuler': { params: { id: done.mergeId } },
    };
  },
};
