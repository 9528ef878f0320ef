import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { CONFIRMATION_MAIL_JOB, type ConfirmationMailPayload, sendConfirmationMail } from './confirmation-mail.js';
import { newsletterDeps } from './deps.js';
import { sweepMailings } from './send-control.js';
import { runMailing } from './sender.js';
import { enqueueSend, SEND_JOB, type SendJobPayload } from './start-send.js';
import { CONFIRMATION_DAYS } from './subscribe.js';

/** How often scheduled mailings are started and silent sends taken over. */
export const NEWSLETTER_SWEEP_SECONDS = 30;

export function defineNewsletterJobs(jobs: Jobs, kernel: Kernel): void {
  const deps = newsletterDeps(kernel);
  jobs.define<ConfirmationMailPayload>({
    name: CONFIRMATION_MAIL_JOB,
    maxAttempts: 5,
    handler: (payload) => sendConfirmationMail(deps, payload, CONFIRMATION_DAYS),
  });
  jobs.define<SendJobPayload>({
    name: SEND_JOB,
    // Runs until the mailing is sent, paused or cancelled; the heartbeat keeps its lease.
    leaseSeconds: 60,
    maxAttempts: 20,
    handler: async (payload, context) => {
      const outcome = await runMailing(deps, payload.mailingId, { workerId: `${jobs.workerId}:${context.jobId.slice(-8)}:${context.attempt}`, signal: context.signal });
      // The worker is stopping (or lost its lease): another run carries on shortly, in whichever worker is up.
      if (outcome === 'stopped') await enqueueSend(deps, payload.mailingId, `stopped:${context.jobId}`, new Date(deps.clock.now().getTime() + 2000));
      kernel.logger.info({ mailingId: payload.mailingId, outcome }, 'newsletter send ended');
    },
  });
  jobs.define({
    name: 'newsletter.sweep',
    maxAttempts: 1,
    leaseSeconds: 120,
    handler: async () => {
      const result = await sweepMailings(deps);
      if (result.started || result.resumed) kernel.logger.info({ ...result }, 'newsletter sweep');
    },
  });
  jobs.every('newsletter.sweep', NEWSLETTER_SWEEP_SECONDS);
}
