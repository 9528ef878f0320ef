import type { FeatureModule } from '../../kernel/module.js';

export * from './types.js';
export { validateOrganisation, ORGANISATION_FIELDS, type OrganisationDraft, type FieldProblem } from './validate.js';
export { createOrganisation, updateOrganisation, draftOf, snapshot, taxonomies, taxonomyCodes, searchTextOf } from './service.js';
export {
  findOrganisationById,
  findOrganisationBySlug,
  searchDirectory,
  directoryFacets,
  withLinks,
  linkUserToOrganisation,
  organisationsOfUser,
  usersOfOrganisation,
} from './repo.js';

export const organisationsModule: FeatureModule = {
  name: 'organisations',
};
export { parseDirectoryQuery, canonicalQuery, DIRECTORY_PARAMS, type ParsedDirectoryQuery } from './query.js';
export { OrganisationFormFields } from './form.js';
