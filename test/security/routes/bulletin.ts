import type { RouteArea } from './types.js';

const DRAFT_ID = '01900000-0000-7000-8000-00000000b701';
const staffPage = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** The monthly bulletin and the block editor (bulletin module; hand-written, see types.ts). */
export const bulletinRoutes: RouteArea = {
  expected: {
    'GET /admin/lettres/bulletin-mensuel': staffPage,
    // An empty form (no month) comes back with its errors.
    'POST /admin/lettres/bulletin-mensuel': staffPost(400),
    'GET /admin/lettres/:id/blocs': staffPage,
    // No type chosen: the editor again with the error.
    'POST /admin/lettres/:id/blocs/ajouter': staffPost(400),
    'POST /admin/lettres/:id/blocs/actualiser': staffPost(303),
    // The news block's empty form (no title, nothing ticked): the editor again with the errors.
    'POST /admin/lettres/:id/blocs/:key': staffPost(400),
    'POST /admin/lettres/:id/blocs/:key/monter': staffPost(303),
    'POST /admin/lettres/:id/blocs/:key/descendre': staffPost(303),
    // A block that is not there: back to the editor with the reason.
    'POST /admin/lettres/:id/blocs/:key/supprimer': staffPost(303),
  },
  async samples(t) {
    const at = new Date().toISOString();
    const blocks = JSON.stringify([
      { type: 'editorial', key: '0000aaaa', title: 'Édito', html: '<p>Bonjour</p>' },
      { type: 'news', key: '0000bbbb', title: 'Actualités', ids: [], items: [], resolvedAt: null },
    ]);
    await t.kernel.db
      .insertInto('newsletter_mailings')
      .values({ id: DRAFT_ID, slug: 'bulletin-matrice-b701', subject: 'Bulletin de la matrice', from_name: 'Réseau', reply_to: null, blocks, segment_id: null, status: 'draft', created_by: null, created_at: at, updated_at: at })
      .execute();
    const draft = { params: { id: DRAFT_ID } };
    return {
      'GET /admin/lettres/:id/blocs': draft,
      'POST /admin/lettres/:id/blocs/ajouter': draft,
      'POST /admin/lettres/:id/blocs/actualiser': draft,
      'POST /admin/lettres/:id/blocs/:key': { params: { id: DRAFT_ID, key: '0000bbbb' } },
      'POST /admin/lettres/:id/blocs/:key/monter': { params: { id: DRAFT_ID, key: '0000bbbb' } },
      'POST /admin/lettres/:id/blocs/:key/descendre': { params: { id: DRAFT_ID, key: '0000aaaa' } },
      'POST /admin/lettres/:id/blocs/:key/supprimer': { params: { id: DRAFT_ID, key: '0000cccc' } },
    };
  },
};
