import type { FeatureModule } from '../../kernel/module.js';
import { eventFeedNamer } from './audit-names-repo.js';
import { defineFeedJobs } from './jobs.js';
import { feedRoutes } from './routes.js';

export { syncFeed, applyItems, type FeedDeps, type SyncOutcome } from './sync.js';
export { addFeed, removeFeed } from './feeds.js';
export { parseIcalFeed, FEED_LIMITS, type FeedItem } from './parse-ical.js';

/** Members' own iCal agendas, read periodically into the moderation queue (issue 5). */
export const eventFeedsModule: FeatureModule = {
  name: 'event-feeds',
  routes: feedRoutes,
  jobs: defineFeedJobs,
  adminNav: [{ href: '/admin/agenda/flux', label: 'eventFeeds.nav' }],
  auditEntities: [eventFeedNamer],
};
