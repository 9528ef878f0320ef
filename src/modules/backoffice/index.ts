import type { FastifyPluginAsync } from 'fastify';
import { countUsersByRole } from '../../kernel/auth/repo.js';
import { auditEntityNames, listAudit } from '../../kernel/audit/index.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { countJobsByStatus } from '../../kernel/jobs/repo.js';
import type { FeatureModule } from '../../kernel/module.js';
import { eventsAwaitingPlace } from '../events/index.js';
import { geocodingStatus } from '../map/index.js';
import { countPendingDuplicates } from '../merge/index.js';
import { pendingModerationCounts } from '../moderation/index.js';
import { countInvited } from './repo.js';
import { DashboardPage } from './views.js';

const routes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const { db, clock } = kernel;
  app.get('/admin', { config: { access: 'staff' } }, async (request, reply) => {
    const [usersByRole, invitedCount, jobsByStatus, recent, moderation, duplicates, geocoding, eventsAwaiting] = await Promise.all([
      countUsersByRole(db),
      countInvited(db),
      countJobsByStatus(db),
      listAudit(db, { limit: 10, offset: 0 }),
      pendingModerationCounts(db),
      countPendingDuplicates(db),
      geocodingStatus(db, clock.now(), { geocoderEnabled: kernel.config.geocoderUrl !== null }),
      eventsAwaitingPlace(db, clock.now()),
    ]);
    const ctx = await viewContext(request, reply);
    const recentNames = await auditEntityNames(kernel, recent.rows, ctx.locale);
    return sendPage(reply, DashboardPage({ ctx, data: { usersByRole, invitedCount, jobsByStatus, recent: recent.rows, recentNames, moderation, duplicates, geocoding, eventsAwaiting } }));
  });
};

export const backofficeModule: FeatureModule = {
  name: 'backoffice',
  routes,
  adminNav: [{ href: '/admin', label: 'nav.dashboard' }],
};
