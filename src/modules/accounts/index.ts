import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { userNamer } from './audit-names-repo.js';
import { defineAccountJobs } from './invitations.js';
import { adminAccountRoutes } from './routes-admin.js';
import { authRoutes } from './routes-auth.js';
import { memberRoutes } from './routes-member.js';

export { createActiveUser, CreateUserError, generatePassword } from './create-user.js';
export { isErasedAccount } from './erased.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(memberRoutes);
  await app.register(adminAccountRoutes);
};

export const accountsModule: FeatureModule = {
  name: 'accounts',
  routes,
  jobs: defineAccountJobs,
  adminNav: [{ href: '/admin/comptes', label: 'nav.accounts' }],
  auditEntities: [userNamer],
};
export { inviteUser, inviteUserQueued, queueInvitation, type InviteResult } from './invitations.js';
export { InvitedPerson } from './schemas.js';
