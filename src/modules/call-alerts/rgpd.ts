import type { CallAlertsDeps } from './deps.js';
import * as repo from './repo.js';

/**
 * RGPD right of access: the call alerts sent (or tried) to these addresses, day by day, with the
 * calls each one held. The rows go with the newsletter's subscriber (foreign key, on delete
 * cascade); see personal-data.ts for the erasure.
 */
export async function callAlertsOfEmails(deps: Pick<CallAlertsDeps, 'db'>, emails: readonly string[]) {
  const rows = await repo.digestsOfEmails(
    deps.db,
    emails.map((e) => e.trim().toLowerCase()),
  );
  return rows.map((r) => ({ email: r.email, day: r.day, status: r.status, calls: JSON.parse(r.call_ids) as string[], sent_at: r.sent_at }));
}
