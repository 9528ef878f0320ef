import { systemClock } from '../../../src/kernel/clock.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../../src/modules/organisations/index.js';
import type { RouteArea } from './types.js';

/** Routes of the map area (hand-written; see types.ts). */
export const mapRoutes: RouteArea = {
  expected: {
    'GET /assets/js/map.js': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /assets/vendor/leaflet/*': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /carte': { visitor: 200, member: 200, staff: 200, admin: 200 },
    // Requested without its bbox and zoom: the French JSON 400, whoever asks.
    'GET /carte/clusters.json': { visitor: 400, member: 400, staff: 400, admin: 400 },
    'GET /carte/monde.json': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /admin/organisations/:id/position': { visitor: 302, member: 403, staff: 200, admin: 200 },
    'POST /admin/organisations/:id/position': { visitor: 403, member: 403, staff: 303, admin: 303 },
    // A member proposes a move of their own organisation's marker (moderation module); the sample
    // organisation is linked to none of these accounts, so everyone is refused.
    'GET /mon-espace/structures/:id/position': { visitor: 302, member: 403, staff: 403, admin: 403 },
    'POST /mon-espace/structures/:id/position': { visitor: 403, member: 403, staff: 403, admin: 403 },
  },
  async samples(t) {
    const codes = taxonomyCodes(await taxonomies(t.kernel.db));
    const result = validateOrganisation({ name: 'Cartographes sans frontières', kind_code: 'association', commune: '33063', postcode: '33000' }, codes, { currentYear: 2026 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const organisation = await createOrganisation({ db: t.kernel.db, clock: systemClock }, { id: null, email: null }, result.draft);
    return {
      'GET /assets/vendor/leaflet/*': { params: { '*': 'leaflet.css' } },
      'GET /admin/organisations/:id/position': { params: { id: organisation.id } },
      'POST /admin/organisations/:id/position': { params: { id: organisation.id }, body: { action: 'manual', latitude: '44,84', longitude: '-0,58' } },
      'GET /mon-espace/structures/:id/position': { params: { id: organisation.id } },
      'POST /mon-espace/structures/:id/position': { params: { id: organisation.id }, body: { latitude: '44,85', longitude: '-0,57' } },
    };
  },
};
