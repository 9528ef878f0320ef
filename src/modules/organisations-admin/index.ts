import type { FeatureModule } from '../../kernel/module.js';
import { contactNamer, organisationNamer, segmentNamer } from './audit-names-repo.js';
import { organisationsAdminRoutes } from './routes.js';

export { resolveSegment, segmentOrganisations, type SegmentOrganisations, listSegments, SEGMENT_SCOPE } from './segments.js';
export { publicContactsOfOrganisation } from './contacts-repo.js';
export { parseStaffQuery, STAFF_PARAMS } from './query.js';

export const organisationsAdminModule: FeatureModule = {
  name: 'organisations-admin',
  routes: organisationsAdminRoutes,
  auditEntities: [organisationNamer, contactNamer, segmentNamer],
  adminNav: [
    { href: '/admin/organisations', label: 'backofficeOrganisations.nav.organisations' },
    { href: '/admin/contacts', label: 'backofficeOrganisations.nav.contacts' },
  ],
};
