import type { FeatureModule } from '../../kernel/module.js';
import { organisationsAdminRoutes } from './routes.js';

export { resolveSegment, listSegments, SEGMENT_SCOPE } from './segments.js';
export { publicContactsOfOrganisation } from './contacts-repo.js';
export { parseStaffQuery, STAFF_PARAMS } from './query.js';

export const organisationsAdminModule: FeatureModule = {
  name: 'organisations-admin',
  routes: organisationsAdminRoutes,
  adminNav: [
    { href: '/admin/organisations', label: 'backofficeOrganisations.nav.organisations' },
    { href: '/admin/contacts', label: 'backofficeOrganisations.nav.contacts' },
  ],
};
