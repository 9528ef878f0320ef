import type { PersonalDataSource } from '../../kernel/module.js';
import * as repo from './repo.js';
import { callAlertsOfEmails } from './rgpd.js';

/**
 * The call alerts sent to a person's addresses. Their rows go with the newsletter's subscriber
 * (foreign key, on delete cascade), erased before them; whatever would remain (the newsletter left
 * out of an erasure) is deleted here.
 */
export const callAlertsPersonalData: PersonalDataSource = {
  key: 'call_alerts',
  export: (kernel, emails) => callAlertsOfEmails(kernel, emails),
  erase: (kernel, _actor, emails) => repo.deleteDigestsOfEmails(kernel.db, emails),
};
