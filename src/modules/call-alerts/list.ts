import { translator } from '../../kernel/i18n/index.js';
import type { CallAlertsDeps } from './deps.js';
import * as repo from './repo.js';

/**
 * The newsletter list of the alerts (created by migration 1510 with this id). People subscribe on
 * /lettre and manage it in their preference centre like any public, double opt-in list; staff may
 * rename it. When it was deleted, it is created again at the next run, empty.
 */
export const CALL_ALERTS_LIST_ID = '01900000-0000-7000-8000-0000000ca11a';

/** The list's id and current name, after creating it when missing. */
export async function ensureAlertList(deps: Pick<CallAlertsDeps, 'db' | 'clock'>): Promise<{ id: string; name: string }> {
  const found = await repo.findList(deps.db, CALL_ALERTS_LIST_ID);
  if (found) return found;
  const t = translator('fr');
  const en = translator('en');
  const at = deps.clock.now().toISOString();
  await repo.insertListIfMissing(deps.db, {
    id: CALL_ALERTS_LIST_ID,
    name: t('callAlerts.list.name'),
    description: t('callAlerts.list.description'),
    name_en: en('callAlerts.list.name'),
    description_en: en('callAlerts.list.description'),
    is_public: 1,
    double_opt_in: 1,
    is_default: 0,
    created_by: null,
    created_at: at,
    updated_at: at,
  });
  return (await repo.findList(deps.db, CALL_ALERTS_LIST_ID)) ?? { id: CALL_ALERTS_LIST_ID, name: t('callAlerts.list.name') };
}
