import type { FeatureModule } from '../../kernel/module.js';

export * from './types.js';
export { validateOrganisation, ORGANISATION_FIELDS, type OrganisationDraft, type FieldProblem } from './validate.js';
export { cachedDirectoryFacets as directoryFacets, invalidateDirectoryFacets } from './service.js';
export { createOrganisation, updateOrganisation, draftOf, snapshot, taxonomies, taxonomyCodes, searchTextOf } from './service.js';
export {
  findOrganisationById,
  findOrganisationBySlug,
  searchDirectory,
  directoryIds,
  organisationsByIds,
  directorySelection,
  withLinks,
  linkUserToOrganisation,
  organisationsOfUser,
  usersOfOrganisation,
} from './repo.js';

export const organisationsModule: FeatureModule = {
  name: 'organisations',
};
export { parseDirectoryQuery, canonicalQuery, DIRECTORY_PARAMS, type ParsedDirectoryQuery } from './query.js';
export { OrganisationFormFields, organisationFormValues, descriptionForForm, type OrganisationFormValues } from './form.js';
