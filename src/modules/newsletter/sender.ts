import type { NewsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import { HandoffPacer, reserveSlots } from './rate.js';
import { type PreparedMailing, personalise, prepareMailing } from './render-mailing.js';
import * as repo from './repo.js';
import * as sendRepo from './send-repo.js';
import { newsletterSettings, type NewsletterSettings } from './settings.js';
import { classifySendError } from './smtp-errors.js';
import { storedReason } from './start-send.js';
import { suppressedEmails } from './suppression.js';
import * as trackingRepo from './tracking-repo.js';

/** Sends without any answer from the server in a row, before the mailing pauses itself (server down). */
export const CONNECTION_FAILURES_BEFORE_PAUSE = 5;
/** How often a worker looks at the mailing's status while waiting (pause, cancel). */
const STATUS_CHECK_MS = 1000;
const THRESHOLD_CHECK_MS = 1000;
/** One per process: every send of this process passes it (see HandoffPacer). */
const pacer = new HandoffPacer((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
const MAX_IDLE_MS = 1000;

export type RunOutcome = 'sent' | 'paused' | 'cancelled' | 'draft' | 'scheduled' | 'sending' | 'stopped' | 'missing';

export interface RunOptions {
  /** Names this worker's claims; unique per process and run. */
  workerId: string;
  signal?: AbortSignal;
  /** Called after each batch (progress display of the CLI). */
  onBatch?: () => void | Promise<void>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Doubling waits from the configured base, one hour at most. */
export function retryDelaySeconds(settings: Pick<NewsletterSettings, 'retryBaseSeconds'>, attempt: number): number {
  return Math.min(settings.retryBaseSeconds * 2 ** Math.max(0, attempt - 1), 3600);
}

/** How many recipients one reservation and claim takes. */
function batchSize(settings: NewsletterSettings, due: number): number {
  const perSecond = settings.ratePerSecond > 0 ? settings.ratePerSecond : 100;
  return Math.max(1, Math.min(due, settings.concurrency * 8, perSecond));
}

async function prepare(deps: NewsletterDeps, mailing: mailingRepo.MailingRow, settings: NewsletterSettings): Promise<PreparedMailing> {
  const lists = await repo.listsByIds(deps.db, await mailingRepo.listIdsOfMailing(deps.db, mailing.id));
  // A tracked mailing tracks the links stored when its send started, whatever the render gives now.
  const trackedLinks = mailing.tracking === 1 ? await trackingRepo.linksOf(deps.db, mailing.id) : undefined;
  return prepareMailing(deps, mailing, lists.map((l) => l.name), settings.unsubscribeMailto, trackedLinks);
}

async function pause(deps: NewsletterDeps, mailingId: string, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  await mailingRepo.transition(deps.db, mailingId, ['sending'], 'paused', { pause_reason: reason, updated_at: at });
  deps.logger.warn({ mailingId, reason }, 'newsletter send paused');
}

/**
 * Sends a mailing until nothing is left, it is paused or cancelled, or `signal` aborts. Any
 * number of workers may run it at once: each claims a batch of recipients (after reserving send
 * times in the shared rate log), skips people who unsubscribed meanwhile, sends, and marks each
 * recipient sent only once the SMTP server accepted it. A worker killed at any moment leaves its
 * claimed rows `sending`; they are claimed again when the claim expires, so nobody is skipped
 * and at most the messages in flight at the kill (`concurrency`) are sent twice.
 */
export async function runMailing(deps: NewsletterDeps, mailingId: string, options: RunOptions): Promise<RunOutcome> {
  const { signal, workerId } = options;
  const first = await mailingRepo.findMailing(deps.db, mailingId);
  if (!first) return 'missing';
  let settings = await newsletterSettings(deps);
  const prepared = await prepare(deps, first, settings);
  if (prepared.problems.length) {
    const problem = prepared.problems[0]!;
    await pause(deps, mailingId, storedReason(problem.key, problem.params));
    return 'paused';
  }
  let connectionFailures = 0;
  let lastThresholdCheck = 0;
  for (;;) {
    if (signal?.aborted) return 'stopped';
    const mailing = await mailingRepo.findMailing(deps.db, mailingId);
    if (!mailing) return 'missing';
    if (mailing.status !== 'sending') return mailing.status;
    const now = deps.clock.now();
    await mailingRepo.touchHeartbeat(deps.db, mailingId, now.toISOString());
    settings = await newsletterSettings(deps);
    const due = await sendRepo.countClaimable(deps.db, mailingId, now.toISOString(), batchSize(settings, Number.POSITIVE_INFINITY));
    if (due === 0) {
      if ((await sendRepo.countUnfinished(deps.db, mailingId)) === 0) {
        const at = deps.clock.now().toISOString();
        await mailingRepo.transition(deps.db, mailingId, ['sending'], 'sent', { finished_at: at, updated_at: at });
        return 'sent';
      }
      const next = await sendRepo.nextClaimableAt(deps.db, mailingId);
      const wait = next ? new Date(next).getTime() - deps.clock.now().getTime() + 5 : MAX_IDLE_MS;
      await sleep(Math.max(20, Math.min(MAX_IDLE_MS, wait)), signal);
      continue;
    }
    const slots = await reserveSlots(deps.db, batchSize(settings, due), { perSecond: settings.ratePerSecond, perHour: settings.ratePerHour }, now.getTime());
    const lastSlot = slots[slots.length - 1] ?? now.getTime();
    const until = new Date(Math.max(now.getTime(), lastSlot) + settings.claimLeaseSeconds * 1000).toISOString();
    const rows = await sendRepo.claimRecipients(deps.db, deps.dialect, { mailingId, workerId, limit: slots.length, now: deps.clock.now().toISOString(), until });
    if (rows.length === 0) continue;
    const outcome = await sendBatch(deps, { prepared, mailing, settings, rows, slots, workerId, signal });
    connectionFailures = outcome.connectionFailures === outcome.tried && outcome.tried > 0 ? connectionFailures + outcome.connectionFailures : 0;
    await options.onBatch?.();
    if (connectionFailures >= CONNECTION_FAILURES_BEFORE_PAUSE) {
      await pause(deps, mailingId, storedReason('newsletter.pause.smtpDown', { error: outcome.lastError ?? '' }));
      return 'paused';
    }
    // The error threshold counts every worker's outcomes: read at most once a second and after any
    // failure in this batch (a count over the whole mailing, too costly after every batch).
    if (outcome.failed === 0 && Date.now() - lastThresholdCheck < THRESHOLD_CHECK_MS) continue;
    lastThresholdCheck = Date.now();
    const counts = await sendRepo.countsByStatus(deps.db, mailingId);
    const sent = counts['sent'] ?? 0;
    const failed = counts['failed'] ?? 0;
    if (sent + failed >= settings.errorThresholdMinimum && failed * 100 > settings.errorThresholdPercent * (sent + failed)) {
      await pause(deps, mailingId, storedReason('newsletter.pause.threshold', { failed, tried: sent + failed, percent: settings.errorThresholdPercent }));
      return 'paused';
    }
  }
}

interface Batch {
  prepared: PreparedMailing;
  mailing: mailingRepo.MailingRow;
  settings: NewsletterSettings;
  rows: sendRepo.RecipientRow[];
  slots: number[];
  workerId: string;
  signal?: AbortSignal;
}

/** Sends one claimed batch, `concurrency` at a time, each at its reserved time. */
async function sendBatch(deps: NewsletterDeps, batch: Batch): Promise<{ tried: number; failed: number; connectionFailures: number; lastError: string | null }> {
  const { prepared, mailing, settings, slots, workerId, signal } = batch;
  // Unsubscriptions take effect during the send: people who left since the send started are skipped.
  const listIds = await mailingRepo.listIdsOfMailing(deps.db, mailing.id);
  const suppressed = await suppressedEmails(
    deps.db,
    batch.rows.map((r) => r.email),
  );
  const viaList = batch.rows.filter((r) => r.via === 'list');
  const still = await sendRepo.stillSubscribed(
    deps.db,
    viaList.map((r) => r.subscriber_id),
    listIds,
  );
  const skipped = batch.rows.filter((r) => suppressed.has(r.email.trim().toLowerCase()) || (r.via === 'list' && !still.has(r.subscriber_id)));
  await sendRepo.markSkipped(
    deps.db,
    skipped.map((r) => r.id),
    'unsubscribed',
  );
  const skippedIds = new Set(skipped.map((r) => r.id));
  const rows = batch.rows.filter((r) => !skippedIds.has(r.id));
  const tokens = await repo.tokensOf(
    deps.db,
    rows.map((r) => r.subscriber_id),
  );
  let next = 0;
  let stop = false;
  let lastCheck = Date.now();
  let connectionFailures = 0;
  let tried = 0;
  let failed = 0;
  let lastError: string | null = null;
  const unsent: string[] = [];

  const shouldStop = async (): Promise<boolean> => {
    if (stop || signal?.aborted) return (stop = true);
    if (Date.now() - lastCheck >= STATUS_CHECK_MS) {
      lastCheck = Date.now();
      const current = await mailingRepo.findMailing(deps.db, mailing.id);
      if (!current || current.status !== 'sending') stop = true;
      else await mailingRepo.touchHeartbeat(deps.db, mailing.id, deps.clock.now().toISOString());
    }
    return stop;
  };

  const worker = async () => {
    for (;;) {
      const i = next++;
      const row = rows[i];
      if (!row) return;
      // Wait for this message's reserved time, watching for pause, cancel and shutdown.
      for (;;) {
        if (await shouldStop()) break;
        const wait = (slots[batch.rows.indexOf(row)] ?? 0) - deps.clock.now().getTime();
        if (wait <= 0) break;
        await sleep(Math.min(wait, STATUS_CHECK_MS), signal);
      }
      if (stop) {
        unsent.push(row.id);
        continue;
      }
      const token = tokens.get(row.subscriber_id);
      if (!token) {
        await sendRepo.markSkipped(deps.db, [row.id], 'erased');
        continue;
      }
      tried++;
      try {
        await pacer.next(settings.ratePerSecond, Date.now);
        await deps.mail.send(personalise(deps, prepared, { email: row.email, name: row.name, token, via: row.via, trackToken: row.track_token }));
        await sendRepo.markSent(deps.db, row.id, deps.clock.now().toISOString());
      } catch (error) {
        const failure = classifySendError(error);
        failed++;
        lastError = failure.reason;
        if (failure.connection) connectionFailures++;
        if (failure.permanent) await sendRepo.markFailed(deps.db, row.id, failure.reason);
        else if (row.attempts >= settings.maxAttempts) await sendRepo.markFailed(deps.db, row.id, `${failure.reason} (${row.attempts} essais)`);
        else {
          const retryAt = new Date(deps.clock.now().getTime() + retryDelaySeconds(settings, row.attempts) * 1000).toISOString();
          await sendRepo.markRetry(deps.db, row.id, retryAt, failure.reason);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, settings.concurrency) }, () => worker()));
  await sendRepo.releaseClaims(deps.db, unsent, workerId);
  return { tried, failed, connectionFailures, lastError };
}
