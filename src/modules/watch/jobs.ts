import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { watchDeps } from './deps.js';
import { DutyGate } from './duty-gate.js';
import { sweepDue } from './fetch-source.js';

/** How often the sweep looks for due sources (each source has its own interval). */
export const WATCH_SWEEP_SECONDS = 5 * 60;

export function defineWatchJobs(jobs: Jobs, kernel: Kernel): void {
  // Jobs usually run in the web process, beside visitors: the sweep's parsing and storing are
  // paced there (a sweep of 2,000 feeds takes seconds, well within its minutes of budget).
  const deps = { ...watchDeps(kernel), gate: new DutyGate() };
  jobs.define({
    name: 'watch.sweep',
    // A failed read is recorded on its source with a backoff; the sweep itself is not retried.
    maxAttempts: 1,
    leaseSeconds: 120,
    handler: async (_payload, context) => {
      const result = await sweepDue(deps, { signal: context.signal });
      if (result.sources > 0) kernel.logger.info({ ...result }, 'watch sweep');
    },
  });
  jobs.every('watch.sweep', WATCH_SWEEP_SECONDS);
}
