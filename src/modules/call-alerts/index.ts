import type { FeatureModule } from '../../kernel/module.js';
import { defineCallAlertsJobs } from './jobs.js';
import { callAlertsPersonalData } from './personal-data.js';
import { callAlertsAdminRoutes } from './routes-admin.js';

export { runCallAlerts, type RunResult as CallAlertsRunResult } from './run.js';
export { CALL_ALERTS_LIST_ID } from './list.js';
/** RGPD: the alerts received at a person's addresses (the contact's export reaches them through `personalData`). */
export { callAlertsOfEmails } from './rgpd.js';

/**
 * The alerts on calls for projects (issue 7): a public list of the newsletter whose subscribers get,
 * at most once a day, the newly published calls matching their organisation or interests; its runs
 * are shown in the newsletter's back office (/admin/lettres/alertes).
 */
export const callAlertsModule: FeatureModule = {
  name: 'call-alerts',
  routes: callAlertsAdminRoutes,
  jobs: defineCallAlertsJobs,
  personalData: [callAlertsPersonalData],
};
