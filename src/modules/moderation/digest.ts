import { isLocale, translator } from '../../kernel/i18n/index.js';
import { digestMail } from './mails.js';
import { pendingModerationCounts } from './proposals.js';
import { moderatedEntity, type ModerationDeps } from './registry.js';
import * as repo from './repo.js';

/** Emails every active staff and admin account what waits for them, when anything does. Returns the mails sent. */
export async function sendModerationDigest(deps: ModerationDeps): Promise<number> {
  const counts = await pendingModerationCounts(deps.db);
  if (counts.total === 0) return 0;
  const settings = await deps.settings.get();
  const staff = await repo.activeStaff(deps.db);
  let sent = 0;
  for (const person of staff) {
    const locale = isLocale(person.locale) ? person.locale : 'fr';
    const t = translator(locale);
    const lines = Object.entries(counts.proposals)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, count]) => {
        const entity = moderatedEntity(type);
        return t('moderation.digest.line', { count, kind: entity ? t(entity.labelKey) : type });
      });
    if (counts.accountRequests) lines.push(t('moderation.digest.accountRequests', { count: counts.accountRequests }));
    const mail = digestMail({ locale, networkName: settings.networkName, name: person.display_name, lines, total: counts.total, link: `${deps.config.baseUrl}/admin/moderation` });
    await deps.mail.send({ to: person.email, ...mail });
    sent++;
  }
  return sent;
}
