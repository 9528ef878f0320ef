import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { feedDeps } from './deps.js';
import * as repo from './repo.js';
import { syncFeed } from './sync.js';

/** How often the sweep looks for feeds to read, and how old a read must be to be done again. */
export const SWEEP_SECONDS = 15 * 60;
export const FEED_INTERVAL_SECONDS = 3 * 3600;

export function defineFeedJobs(jobs: Jobs, kernel: Kernel): void {
  const deps = feedDeps(kernel);
  // One job per feed: the jobs engine bounds the concurrency, and a slow feed holds up no other.
  jobs.define<{ feedId: string }>({
    name: 'event-feeds.fetch',
    // A refused feed is recorded on the feed, not retried: the next sweep reads it again.
    maxAttempts: 1,
    handler: async ({ feedId }) => {
      await syncFeed(deps, feedId);
    },
  });
  jobs.define({
    name: 'event-feeds.sweep',
    handler: async () => {
      const now = kernel.clock.now();
      const before = new Date(now.getTime() - FEED_INTERVAL_SECONDS * 1000).toISOString();
      const slot = Math.floor(now.getTime() / (FEED_INTERVAL_SECONDS * 1000));
      for (const feedId of await repo.dueFeedIds(kernel.db, before)) {
        await jobs.enqueue('event-feeds.fetch', { feedId }, { idempotencyKey: `event-feeds.fetch:${feedId}:${slot}` });
      }
    },
  });
  jobs.every('event-feeds.sweep', SWEEP_SECONDS);
}
