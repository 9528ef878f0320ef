import { recordConsent } from './consent.js';
import type { NewsletterDeps } from './deps.js';
import { type DsnResult, parseDsn } from './dsn.js';
import * as repo from './repo.js';
import * as sendRepo from './send-repo.js';
import { newsletterSettings } from './settings.js';
import { isSuppressed, suppress } from './suppression.js';

export interface BounceOutcome {
  kind: DsnResult['kind'];
  recipients: { email: string; classification: 'hard' | 'soft' | 'none'; status: string | null; suppressed: boolean }[];
}

/**
 * Reads one raw message and acts on it: a hard bounce (5.x.x) puts the address on the suppression
 * list; a soft one (4.x.x, delayed) is counted, and enough of them in a row count as a hard one.
 * Auto-replies and other messages change nothing.
 */
export async function processBounce(deps: Pick<NewsletterDeps, 'db' | 'clock'>, raw: string | Buffer): Promise<BounceOutcome> {
  const result = parseDsn(raw);
  if (result.kind !== 'bounce') return { kind: result.kind, recipients: [] };
  const settings = await newsletterSettings(deps);
  const at = deps.clock.now().toISOString();
  const out: BounceOutcome['recipients'] = [];
  for (const r of result.recipients) {
    const note = [r.status, r.diagnostic].filter(Boolean).join(' ');
    if (r.classification === 'none') {
      out.push({ email: r.email, classification: 'none', status: r.status, suppressed: false });
      continue;
    }
    const subscriber = await repo.findSubscriberByEmail(deps.db, r.email);
    let hard = r.classification === 'hard';
    if (!hard && subscriber) {
      const count = subscriber.soft_bounces + 1;
      await repo.updateSubscriber(deps.db, subscriber.id, { soft_bounces: count, last_bounce_at: at });
      hard = count >= settings.softBounceLimit;
    }
    let suppressed = false;
    if (hard && !(await isSuppressed(deps.db, r.email))) {
      const detail = r.classification === 'hard' ? note : `${settings.softBounceLimit} erreurs temporaires successives (${note})`;
      await suppress(deps.db, r.email, 'hard_bounce', detail, at);
      if (subscriber) await recordConsent(deps.db, subscriber, [{ action: 'hard_bounce', source: 'bounce', detail, at }]);
      suppressed = true;
    }
    if (result.mailingId) await sendRepo.noteBounce(deps.db, result.mailingId, r.email, `Retour ${r.classification === 'hard' ? 'définitif' : 'temporaire'} : ${note}`);
    out.push({ email: r.email, classification: r.classification, status: r.status, suppressed });
  }
  return { kind: 'bounce', recipients: out };
}
