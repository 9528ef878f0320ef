import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { callAlertsDeps } from './deps.js';
import { runCallAlerts } from './run.js';

export const CALL_ALERTS_JOB = 'call-alerts.daily';
/** How often the job looks whether the day's digests are due (from the send hour, Paris time). */
export const CALL_ALERTS_TICK_SECONDS = 10 * 60;

export function defineCallAlertsJobs(jobs: Jobs, kernel: Kernel): void {
  const deps = callAlertsDeps(kernel);
  jobs.define({
    name: CALL_ALERTS_JOB,
    // The next tick carries on where a failed or interrupted one stopped: no retry of its own.
    maxAttempts: 1,
    leaseSeconds: 300,
    handler: async (_payload, context) => {
      const result = await runCallAlerts(deps, { signal: context.signal });
      if (result && result.subscribers > 0) kernel.logger.info({ ...result }, 'call alerts run');
    },
  });
  jobs.every(CALL_ALERTS_JOB, CALL_ALERTS_TICK_SECONDS);
}
