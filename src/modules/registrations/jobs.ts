import type { Kernel } from '../../kernel/http/types.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { REGISTRATION_MAIL_JOB, type RegistrationMailPayload, sendRegistrationMail } from './notify.js';
import { queueReminders } from './reminders.js';

export const REMINDER_JOB = 'registrations.reminders';
const HOUR = 3600;

export function defineRegistrationJobs(jobs: Jobs, kernel: Kernel): void {
  jobs.define<RegistrationMailPayload>({ name: REGISTRATION_MAIL_JOB, handler: (payload) => sendRegistrationMail(kernel, payload) });
  jobs.define({
    name: REMINDER_JOB,
    handler: async () => {
      await queueReminders(kernel);
    },
  });
  jobs.every(REMINDER_JOB, HOUR);
}
