import type { FeatureModule } from '../../kernel/module.js';
import { duplicatePairNamer } from './audit-names-repo.js';
import { mergeRoutes } from './routes.js';

// Merging duplicate organisations (DESIGN.md §4): field-by-field choice, every registered reference
// repointed (references.ts), contacts deduplicated, the absorbed address redirecting, a journal that
// undoes it exactly; the review queue of candidate pairs and "not a duplicate".
export { mergeOrganisations, type MergeInput, type MergeOutcome } from './merge.js';
export { mergeCandidate, autoMergePair, pairRecords, type ScannedPair } from './merge-candidate.js';
export { undoMerge, type UndoResult } from './undo.js';
export { dismissCandidate, restoreCandidate } from './dismiss.js';
export { eraseContactFromMerges } from './erase-contact.js';
export { MergeError, isMergeError } from './errors.js';
export { MERGE_FIELDS, defaultChoices, defaultSurvivor, type MergeChoices, type MergeFieldKey } from './fields.js';
export { REFERENCES, NOT_REPOINTED, type Reference } from './references.js';
export { countPending as countPendingDuplicates, survivorOf } from './repo.js';
export { recordOrigins, type RecordOrigin } from './origins.js';
export { ORGANISATION_MERGE_SUMMARIES, CONTACT_MERGE_SUMMARIES } from './history.js';
export type { MergeDeps, MergeActor } from './deps.js';

export const mergeModule: FeatureModule = {
  name: 'merge',
  routes: mergeRoutes,
  adminNav: [{ href: '/admin/doublons', label: 'merge.nav' }],
  auditEntities: [duplicatePairNamer],
};
