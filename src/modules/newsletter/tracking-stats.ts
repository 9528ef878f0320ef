import type { NewsletterDeps } from './deps.js';
import type { MailingRow } from './mailing-repo.js';
import * as sendRepo from './send-repo.js';
import * as trackingRepo from './tracking-repo.js';

/** What the mailing's page shows of its tracking; null when the mailing was not tracked. */
export interface TrackingStats {
  /** Messages accepted by the server: the rates' base. */
  sent: number;
  uniqueOpens: number;
  opens: number;
  uniqueClicks: number;
  links: trackingRepo.LinkClicks[];
}

export async function trackingStats(deps: Pick<NewsletterDeps, 'db'>, mailing: MailingRow): Promise<TrackingStats | null> {
  if (mailing.tracking !== 1) return null;
  const [counts, links, statuses] = await Promise.all([trackingRepo.trackingCounts(deps.db, mailing.id), trackingRepo.clicksPerLink(deps.db, mailing.id), sendRepo.countsByStatus(deps.db, mailing.id)]);
  return { sent: statuses['sent'] ?? 0, ...counts, links };
}

/** A share of the messages sent, or null when nothing was sent yet. */
export function rateOf(count: number, sent: number): number | null {
  return sent > 0 ? count / sent : null;
}
