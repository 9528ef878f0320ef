import fs from 'node:fs/promises';
import path from 'node:path';
import { deleteStaleThrottles } from '../../kernel/auth/repo.js';
import { deleteExpiredSessions } from '../../kernel/auth/session-repo.js';
import { deleteFinishedJobs } from '../../kernel/jobs/repo.js';
import type { FeatureModule } from '../../kernel/module.js';

const DAY = 24 * 3600;

/** Housekeeping jobs: expired sessions, old login counters, finished jobs, abandoned uploads. */
export const maintenanceModule: FeatureModule = {
  name: 'maintenance',
  jobs(jobs, kernel) {
    jobs.define({
      name: 'maintenance.sessions',
      handler: async () => {
        const now = kernel.clock.now();
        await deleteExpiredSessions(kernel.db, now);
        await deleteStaleThrottles(kernel.db, new Date(now.getTime() - DAY * 1000).toISOString());
      },
    });
    jobs.define({
      name: 'maintenance.jobs',
      handler: async () => {
        // Idempotency keys live as long as their finished job: 30 days.
        await deleteFinishedJobs(kernel.db, new Date(kernel.clock.now().getTime() - 30 * DAY * 1000).toISOString());
      },
    });
    jobs.define({
      name: 'maintenance.tmp',
      handler: async () => {
        const dir = path.join(kernel.config.dataDir, 'tmp');
        const limit = kernel.clock.now().getTime() - DAY * 1000;
        const names = await fs.readdir(dir).catch(() => [] as string[]);
        for (const name of names) {
          const file = path.join(dir, name);
          const stat = await fs.stat(file).catch(() => null);
          if (stat && stat.mtimeMs < limit) await fs.rm(file, { force: true, recursive: true });
        }
      },
    });
    jobs.every('maintenance.sessions', 3600);
    jobs.every('maintenance.jobs', DAY);
    jobs.every('maintenance.tmp', DAY);
  },
};
