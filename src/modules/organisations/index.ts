import type { FeatureModule } from '../../kernel/module.js';

export * from './types.js';
export { validateOrganisation, ORGANISATION_FIELDS, type OrganisationDraft, type FieldProblem } from './validate.js';
export { searchDirectory, directoryFacets, directoryIds, directoryPageCache, type DirectoryPage } from './directory-search.js';
export {
  createOrganisation,
  updateOrganisation,
  draftOf,
  snapshot,
  taxonomies,
  taxonomyCodes,
  searchTextOf,
  sortNameOf,
  contactSortNameOf,
  indexedColumns,
  uniqueSlug,
  geocodeKeyPrefix,
  geocodeJobKey,
  GEOCODE_JOB,
  type SearchTextMemo,
} from './service.js';
export { LOGO_BOX, LOGO_FIELDS, LOGO_MAX_BYTES, LOGO_PURPOSE, findLogoFile, resolveLogoField, storeLogo, type LogoDeps } from './logo.js';
export { SOCIAL_NETWORKS, isSocialNetwork, normaliseSocialUrl, parseSocialLinks, socialField, socialLinksJson, type SocialLinks, type SocialNetwork } from './social.js';
export {
  findOrganisationById,
  findOrganisationBySlug,
  organisationLogo,
  organisationsByIds,
  publicOrganisationPages,
  directorySelection,
  directoryConditions,
  ftsExpression,
  withLinks,
  linkUserToOrganisation,
  organisationsOfUser,
  usersOfOrganisation,
} from './repo.js';

export const organisationsModule: FeatureModule = {
  name: 'organisations',
};
export { parseDirectoryQuery, canonicalQuery, DIRECTORY_PARAMS, type ParsedDirectoryQuery } from './query.js';
export { OrganisationFormFields, organisationFormValues, type OrganisationFormValues } from './form.js';
export { organisationValueText, taxonomyLabel } from './value-text.js';
export { VISIBILITIES, visibilityLabel } from './visibility.js';
/** The change counter of the directory's data (every process's writes move it): a cache of organisations is current while it stays. */
export { directoryVersion } from './directory-index-repo.js';
export { DuplicateMatchLines, DuplicateWarning, duplicateLikelihood, distinctNames, duplicateDecision, shownDuplicateIds, DUPLICATE_FIELDS, DUPLICATE_WARNING_LIMIT, type DuplicateDecision, type PossibleDuplicate } from './duplicate-warning.js';
