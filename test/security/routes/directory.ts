import { addOrganisation } from '../../../src/modules/directory/test-fixtures.js';
import type { RouteArea, Statuses } from './types.js';

const everyone: Statuses = { visitor: 200, member: 200, staff: 200, admin: 200 };

/** Routes of the directory area (hand-written; see types.ts). All public: visibility filters rows, not routes. */
export const directoryRoutes: RouteArea = {
  expected: {
    'GET /annuaire': everyone,
    'GET /acteurs/:slug': everyone,
    'GET /annuaire.csv': everyone,
    'GET /annuaire.xlsx': everyone,
    'GET /annuaire.geojson': everyone,
    'GET /annuaire/barometre.csv': everyone,
    'GET /api/v1/organisations': everyone,
    'GET /api/v1/organisations/:slug': everyone,
    'GET /api/openapi.json': everyone,
    'GET /api/docs': everyone,
  },
  async samples(t) {
    const organisation = await addOrganisation(
      { db: t.kernel.db, clock: t.kernel.clock },
      { name: 'Annuaire ouvert de la solidarité', kind_code: 'association', commune: '33063', postcode: '33000' },
    );
    return {
      'GET /acteurs/:slug': { params: { slug: organisation.slug } },
      'GET /api/v1/organisations/:slug': { params: { slug: organisation.slug } },
    };
  },
};
