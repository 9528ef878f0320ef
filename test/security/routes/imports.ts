import { seedBatch } from '../../helpers/import-batches.js';
import type { RouteArea } from './types.js';

const staffOnlyGet = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffOnlyPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** Routes of the import wizard (hand-written; see types.ts). */
export const importRoutes: RouteArea = {
  expected: {
    'GET /admin/imports': staffOnlyGet,
    // A form without a file: the upload form again, with its error (400).
    'POST /admin/imports': staffOnlyPost(400),
    'GET /admin/imports/:id/fichier': staffOnlyGet,
    'GET /admin/imports/:id/correspondance': staffOnlyGet,
    // No saved mapping chosen: 400 with the error next to the select.
    'POST /admin/imports/:id/lecture': staffOnlyPost(400),
    'POST /admin/imports/:id/modele': staffOnlyPost(303),
    // No column choices: 400 with an error per column.
    'POST /admin/imports/:id/correspondance': staffOnlyPost(400),
    'GET /admin/imports/:id/rapport': staffOnlyGet,
    'GET /admin/imports/:id/rapport.csv': staffOnlyGet,
    // No mode nor legal basis chosen: 400 with the errors on the report page.
    'POST /admin/imports/:id/importer': staffOnlyPost(400),
    'GET /admin/imports/:id': staffOnlyGet,
    'GET /admin/imports/:id/progression': staffOnlyGet,
    // Enqueues the duplicate scan (once a minute), then back to the import.
    'POST /admin/imports/:id/analyse-doublons': staffOnlyPost(303),
    'GET /admin/imports/:id/annuler': staffOnlyGet,
    // Undone, then "already undone": 303 both.
    'POST /admin/imports/:id/annuler': staffOnlyPost(303),
    // A batch that wrote records is not deleted: back to it with why (it is undone instead).
    'POST /admin/imports/:id/supprimer': staffOnlyPost(303),
  },
  async samples(t) {
    const draft = await seedBatch(t.kernel, 'matrice-brouillon.csv', 'draft');
    const validated = await seedBatch(t.kernel, 'matrice-verifie.csv', 'validated');
    const committed = await seedBatch(t.kernel, 'matrice-importe.csv', 'committed');
    const id = (batch: { id: string }) => ({ params: { id: batch.id } });
    return {
      'GET /admin/imports/:id/fichier': id(draft),
      'GET /admin/imports/:id/correspondance': id(draft),
      'POST /admin/imports/:id/lecture': id(draft),
      'POST /admin/imports/:id/modele': id(draft),
      'POST /admin/imports/:id/correspondance': id(draft),
      'GET /admin/imports/:id/rapport': id(validated),
      'GET /admin/imports/:id/rapport.csv': id(validated),
      'POST /admin/imports/:id/importer': id(validated),
      'GET /admin/imports/:id': id(committed),
      'GET /admin/imports/:id/progression': id(committed),
      'POST /admin/imports/:id/analyse-doublons': id(committed),
      'GET /admin/imports/:id/annuler': id(committed),
      'POST /admin/imports/:id/annuler': id(committed),
      'POST /admin/imports/:id/supprimer': { ...id(committed), body: { confirmer: '1' } },
    };
  },
};
