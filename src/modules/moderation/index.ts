import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { accountRequestNamer, proposalNamer } from './audit-names-repo.js';
import { defineDecisionMailJobs } from './decision-mails.js';
import { sendModerationDigest } from './digest.js';
import { registerOrganisationModeration } from './organisation-entity.js';
import { accountRequestsPersonalData, proposersPersonalData } from './personal-data.js';
import { registerPositionModeration } from './position-entity.js';
import { adminRoutes } from './routes-admin.js';
import { memberRoutes } from './routes-member.js';
import { publicRoutes } from './routes-public.js';

export { registerModeratedEntity, ProposalInvalidError, ProposalNotAppliedError, type ModeratedEntity, type EntityValues, type ProposalRecord, type ModerationDeps } from './registry.js';
export { propose, approveProposal, rejectProposal, loadProposal, pendingModerationCounts, type Proposer } from './proposals.js';
export { proposalDiff, mergedValues, changedFields, type DiffRow } from './diff.js';
export { linkApprovedRequests, approveAccountRequest, rejectAccountRequest, submitAccountRequest } from './account-requests.js';
export { sendModerationDigest } from './digest.js';
export { findPendingProposalOf } from './repo.js';
export { memberProposalItems } from './member-proposals.js';

// Organisations are moderated from the start; other modules register their own types.
registerOrganisationModeration();
// Members' moves of their organisation's marker (the map) go through the same queue.
registerPositionModeration();

const DAY = 86_400;

const routes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes);
  await app.register(memberRoutes);
  await app.register(adminRoutes);
};

/** Shared moderation (DESIGN.md §4): proposals, staff queue, member self-service, account requests. */
export const moderationModule: FeatureModule = {
  name: 'moderation',
  routes,
  jobs(jobs, kernel) {
    jobs.define({
      name: 'moderation.digest',
      handler: async () => {
        await sendModerationDigest(kernel);
      },
    });
    jobs.every('moderation.digest', DAY);
    // The emails announcing staff's decisions, queued in the decisions' transactions (decision 0031).
    defineDecisionMailJobs(jobs, kernel);
  },
  adminNav: [{ href: '/admin/moderation', label: 'moderation.nav' }],
  auditEntities: [proposalNamer, accountRequestNamer],
  personalData: [accountRequestsPersonalData, proposersPersonalData],
  memberCards: [{ href: '/mon-espace/structures', title: 'moderation.memberHome.title', text: 'moderation.memberHome.text', link: 'moderation.memberHome.link' }],
};
export { MemberProposalsTable, type MemberProposalItem, type MemberProposalsLabels } from './views-member-proposals.js';
