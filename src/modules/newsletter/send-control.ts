import { recordAudit } from '../../kernel/audit/index.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import * as sendRepo from './send-repo.js';
import { newsletterSettings } from './settings.js';
import { enqueueSend, sendProblems, startSend, storedReason } from './start-send.js';

type ControlResult = { ok: true } | { ok: false; key: MessageKey };

async function audit(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, id: string, action: string, after?: unknown): Promise<void> {
  await recordAudit(deps.db, actor, { action: `newsletter_mailing.${action}`, entityType: 'newsletter_mailing', entityId: id, after }, deps.clock.now());
}

/** Staff pause a send: workers stop after the messages in flight; nothing is lost. */
export async function pauseMailing(deps: NewsletterDeps, actor: NewsletterActor, id: string): Promise<ControlResult> {
  const at = deps.clock.now().toISOString();
  if (!(await mailingRepo.transition(deps.db, id, ['sending'], 'paused', { pause_reason: storedReason('newsletter.pause.staff'), updated_at: at }))) return { ok: false, key: 'newsletter.error.notSending' };
  await audit(deps, actor, id, 'paused');
  return { ok: true };
}

export async function resumeMailing(deps: NewsletterDeps, actor: NewsletterActor, id: string): Promise<ControlResult> {
  const at = deps.clock.now().toISOString();
  if (!(await mailingRepo.transition(deps.db, id, ['paused'], 'sending', { pause_reason: null, heartbeat_at: null, updated_at: at }))) return { ok: false, key: 'newsletter.error.notPaused' };
  await audit(deps, actor, id, 'resumed');
  await enqueueSend(deps, id, `resume:${at}`);
  return { ok: true };
}

/** Cancels a send (or a scheduled one): recipients not reached yet are skipped for good. */
export async function cancelMailing(deps: NewsletterDeps, actor: NewsletterActor, id: string): Promise<ControlResult> {
  const at = deps.clock.now().toISOString();
  if (!(await mailingRepo.transition(deps.db, id, ['sending', 'paused', 'scheduled'], 'cancelled', { finished_at: at, updated_at: at }))) return { ok: false, key: 'newsletter.error.notCancellable' };
  await sendRepo.skipUnsent(deps.db, id, 'cancelled');
  await audit(deps, actor, id, 'cancelled');
  return { ok: true };
}

/** Programs the send for later (an instant in the future); the sweep starts it on time. */
export async function scheduleMailing(deps: NewsletterDeps, actor: NewsletterActor, id: string, at: Date): Promise<ControlResult | { ok: false; key: MessageKey; params?: Record<string, string | number> }> {
  const mailing = await mailingRepo.findMailing(deps.db, id);
  if (!mailing) return { ok: false, key: 'newsletter.error.mailingGone' };
  if (at.getTime() <= deps.clock.now().getTime()) return { ok: false, key: 'newsletter.error.past' };
  const problems = await sendProblems(deps, mailing);
  if (problems.length) return { ok: false, ...problems[0]! };
  const now = deps.clock.now().toISOString();
  if (!(await mailingRepo.transition(deps.db, id, ['draft', 'scheduled'], 'scheduled', { scheduled_at: at.toISOString(), pause_reason: null, updated_at: now }))) return { ok: false, key: 'newsletter.error.notDraft' };
  await audit(deps, actor, id, 'scheduled', { at: at.toISOString() });
  return { ok: true };
}

export async function unscheduleMailing(deps: NewsletterDeps, actor: NewsletterActor, id: string): Promise<ControlResult> {
  const now = deps.clock.now().toISOString();
  if (!(await mailingRepo.transition(deps.db, id, ['scheduled'], 'draft', { scheduled_at: null, updated_at: now }))) return { ok: false, key: 'newsletter.error.notScheduled' };
  await audit(deps, actor, id, 'unscheduled');
  return { ok: true };
}

export interface Progress {
  status: string;
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  remaining: number;
  /** Messages per second over the last minute. */
  rate: number;
  /** Seconds left at that rate (null: unknown). */
  etaSeconds: number | null;
  /** A send over (sent or cancelled): its end, how long it took and its average rate (null: it never started). */
  final: { finishedAt: string | null; durationSeconds: number | null; averageRate: number | null } | null;
}

/** How long a send over took, and its messages per second over that time (one decimal). */
function finalFigures(mailing: mailingRepo.MailingRow, sent: number): NonNullable<Progress['final']> {
  if (!mailing.started_at || !mailing.finished_at) return { finishedAt: mailing.finished_at, durationSeconds: null, averageRate: null };
  const seconds = Math.max(0, (new Date(mailing.finished_at).getTime() - new Date(mailing.started_at).getTime()) / 1000);
  return { finishedAt: mailing.finished_at, durationSeconds: Math.round(seconds * 10) / 10, averageRate: Math.round((sent / Math.max(1, seconds)) * 10) / 10 };
}

export async function progressOf(deps: Pick<NewsletterDeps, 'db' | 'clock'>, mailing: mailingRepo.MailingRow): Promise<Progress> {
  const counts = await sendRepo.countsByStatus(deps.db, mailing.id);
  const now = deps.clock.now();
  const sent = counts['sent'] ?? 0;
  const failed = counts['failed'] ?? 0;
  const skipped = counts['skipped'] ?? 0;
  const remaining = (counts['pending'] ?? 0) + (counts['sending'] ?? 0);
  const lastMinute = mailing.status === 'sending' ? await sendRepo.countSentSince(deps.db, mailing.id, new Date(now.getTime() - 60_000).toISOString()) : 0;
  const elapsed = mailing.started_at ? Math.min(60, Math.max(1, (now.getTime() - new Date(mailing.started_at).getTime()) / 1000)) : 60;
  const rate = Math.round((lastMinute / elapsed) * 10) / 10;
  const over = mailing.status === 'sent' || mailing.status === 'cancelled';
  return { status: mailing.status, total: mailing.total, sent, failed, skipped, remaining, rate, etaSeconds: rate > 0 && remaining > 0 ? Math.ceil(remaining / rate) : remaining === 0 ? 0 : null, final: over ? finalFigures(mailing, sent) : null };
}

/**
 * The periodic sweep: starts scheduled mailings whose time has come, and takes over sends whose
 * worker went silent (crash) by queueing their job again.
 */
export async function sweepMailings(deps: NewsletterDeps): Promise<{ started: number; resumed: number }> {
  const now = deps.clock.now();
  let started = 0;
  for (const mailing of await mailingRepo.dueScheduled(deps.db, now.toISOString())) {
    const result = await startSend(deps, { id: null, email: null }, mailing.id);
    if (result.ok) started++;
    else {
      // Back to draft with the reason, shown on the mailing's page.
      await mailingRepo.transition(deps.db, mailing.id, ['scheduled'], 'draft', { scheduled_at: null, pause_reason: storedReason(result.key, result.params ?? {}), updated_at: now.toISOString() });
    }
  }
  const settings = await newsletterSettings(deps);
  const silentSince = new Date(now.getTime() - Math.max(90, settings.claimLeaseSeconds * 2) * 1000).toISOString();
  const orphans = await mailingRepo.orphanedSends(deps.db, silentSince);
  for (const mailing of orphans) await enqueueSend(deps, mailing.id, `sweep:${mailing.heartbeat_at ?? 'never'}`);
  return { started, resumed: orphans.length };
}
