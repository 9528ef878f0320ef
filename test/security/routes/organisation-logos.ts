import { addOrganisation, giveLogo } from '../../../src/modules/directory/test-fixtures.js';
import type { RouteArea } from './types.js';

/** Routes of organisations' logos (hand-written; see types.ts). */
export const organisationLogoRoutes: RouteArea = {
  expected: {
    // A public organisation's logo: everyone (members-only and staff-only ones answer 404 to those who may not see them).
    'GET /media/organisations/:id/logo': { visitor: 200, member: 200, staff: 200, admin: 200 },
    // Any logo file, live or waiting in a proposal: staff only.
    'GET /media/logos/:fileId': { visitor: 302, member: 403, staff: 200, admin: 200 },
  },
  async samples(t) {
    const deps = { db: t.kernel.db, clock: t.kernel.clock, config: t.kernel.config };
    const organisation = await giveLogo(deps, await addOrganisation(deps, { name: 'Logos et solidarités', kind_code: 'association', commune: '33063', postcode: '33000' }));
    return {
      'GET /media/organisations/:id/logo': { params: { id: organisation.id } },
      'GET /media/logos/:fileId': { params: { fileId: organisation.logo_file_id! } },
    };
  },
};
