import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import type { NewsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import { HandoffPacer, reserveSlots } from './rate.js';
import { type PreparedMailing, personalise, prepareMailing } from './render-mailing.js';
import * as repo from './repo.js';
import * as sendRepo from './send-repo.js';
import { newsletterSettings, type NewsletterSettings } from './settings.js';
import { SentMarks } from './sent-marks.js';
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
/**
 * A run's live heap stays small (a few batches of recipients), but each message's rendered copy and
 * the rows and promises around it outlive a young-generation collection and die in the old one,
 * which V8 lets grow ~100 MB before collecting it (decision 0018). Between two batches the producer
 * collects once the heap has grown this much since the last collection.
 */
const SEND_HEAP_ALLOWANCE = 32 * 1024 * 1024;
/** Mailings of fewer recipients force no collection. */
const HEAP_CHECKS_FROM = 2048;

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
  return Math.max(1, Math.min(due, settings.concurrency * 16, perSecond));
}

async function prepare(deps: NewsletterDeps, mailing: mailingRepo.MailingRow, settings: NewsletterSettings): Promise<PreparedMailing> {
  const listIds = await mailingRepo.listIdsOfMailing(deps.db, mailing.id);
  const lists = await repo.listsByIds(deps.db, listIds);
  // A tracked mailing tracks the links stored when its send started, whatever the render gives now.
  const trackedLinks = mailing.tracking === 1 ? await trackingRepo.linksOf(deps.db, mailing.id) : undefined;
  return prepareMailing(deps, mailing, lists.map((l) => l.name), settings.unsubscribeMailto, { trackedLinks, listIds });
}

async function pause(deps: NewsletterDeps, mailingId: string, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  await mailingRepo.transition(deps.db, mailingId, ['sending'], 'paused', { pause_reason: reason, updated_at: at });
  deps.logger.warn({ mailingId, reason }, 'newsletter send paused');
}

/** A claimed recipient waiting for a worker, with its reserved send time and its token. */
interface Item {
  row: sendRepo.RecipientRow;
  slot: number;
  token: string | undefined;
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
  const first = await mailingRepo.findMailing(deps.db, mailingId);
  if (!first) return 'missing';
  const settings = await newsletterSettings(deps);
  const prepared = await prepare(deps, first, settings);
  if (prepared.problems.length) {
    const problem = prepared.problems[0]!;
    await pause(deps, mailingId, storedReason(problem.key, problem.params));
    return 'paused';
  }
  return new SendRun(deps, mailingId, prepared, settings, options).run();
}

/**
 * One worker's run: a producer claims the next batch while the sending slots (`concurrency` of
 * them) are still busy with the previous one, so the SMTP connections never wait for the
 * database between batches.
 */
class SendRun {
  private readonly queue: Item[] = [];
  private readonly marks: SentMarks;
  private waiters: (() => void)[] = [];
  /** Set when no more recipient may be handed to SMTP (pause, cancel, shutdown, server down). */
  private stopping = false;
  private finished = false;
  private crash: unknown = null;
  private statusSeen: RunOutcome | null = null;
  private inFlight = 0;
  private connectionFailures = 0;
  /** Set once CONNECTION_FAILURES_BEFORE_PAUSE sends in a row got no answer (a later success does not undo it). */
  private smtpDown = false;
  /** Outcomes as last counted in the database, and this run's since then: the error threshold's view. */
  private counted = { sent: 0, failed: 0 };
  private since = { sent: 0, failed: 0 };
  private thresholdPause: Promise<void> | null = null;
  private lastError: string | null = null;
  private lastStatusCheck = Date.now();
  private readonly unsent: string[] = [];
  /** Recipients this run holds (queued or in flight): a claim of its own taken again is not sent twice. */
  private readonly held = new Set<string>();
  private readonly heap = new HeapCeiling(SEND_HEAP_ALLOWANCE);

  constructor(
    private readonly deps: NewsletterDeps,
    private readonly mailingId: string,
    private readonly prepared: PreparedMailing,
    private settings: NewsletterSettings,
    private readonly options: RunOptions,
  ) {
    this.marks = new SentMarks((ids) => sendRepo.markSent(deps.db, ids, deps.clock.now().toISOString()));
  }

  async run(): Promise<RunOutcome> {
    const slots = Math.max(1, this.settings.concurrency);
    const workers = Array.from({ length: slots }, () =>
      this.worker().catch((error: unknown) => {
        this.crash ??= error;
        this.stop();
      }),
    );
    // Claims and heartbeat kept alive on a timer, whatever the senders are doing (a slow server).
    let keeping: Promise<void> | null = null;
    const keepAlive = setInterval(() => {
      keeping ??= this.keepAlive().finally(() => (keeping = null));
    }, this.renewEveryMs());
    let outcome: RunOutcome;
    try {
      outcome = await this.produce(slots);
    } finally {
      clearInterval(keepAlive);
      await keeping;
      this.finished = true;
      this.stop();
      await Promise.all(workers);
      this.unsent.push(...this.queue.splice(0).map((item) => item.row.id));
      await sendRepo.releaseClaims(this.deps.db, this.unsent, this.options.workerId);
    }
    if (this.crash) throw this.crash;
    return outcome;
  }

  private stop(): void {
    this.stopping = true;
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next change: a recipient taken or finished, a stop. */
  private changed(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Claims batches while the mailing is being sent; returns how this run ends. */
  private async produce(slots: number): Promise<RunOutcome> {
    const { deps, mailingId, options } = this;
    let lastThresholdCheck = 0;
    for (;;) {
      // The next batch is claimed while the workers still have `slots` recipients queued.
      while (!this.stopping && this.queue.length > slots) await this.changed();
      if (this.stopping || options.signal?.aborted) return this.stoppedOutcome();
      const mailing = await mailingRepo.findMailing(deps.db, mailingId);
      if (!mailing) return 'missing';
      if (mailing.status !== 'sending') return mailing.status;
      // The error threshold counts every worker's outcomes: read at most once a second (a count over
      // the whole mailing, too costly for every batch); between reads, this run adds its own.
      if (Date.now() - lastThresholdCheck >= THRESHOLD_CHECK_MS) {
        lastThresholdCheck = Date.now();
        const counts = await sendRepo.countsByStatus(deps.db, mailingId);
        this.counted = { sent: counts['sent'] ?? 0, failed: counts['failed'] ?? 0 };
        this.since = { sent: 0, failed: 0 };
        if (await this.pauseAboveThreshold()) return 'paused';
      }
      const now = deps.clock.now();
      await mailingRepo.touchHeartbeat(deps.db, mailingId, now.toISOString());
      this.settings = await newsletterSettings(deps);
      const settings = this.settings;
      const due = await sendRepo.countClaimable(deps.db, mailingId, now.toISOString(), batchSize(settings, Number.POSITIVE_INFINITY));
      if (due === 0) {
        if (this.queue.length > 0 || this.inFlight > 0) {
          await this.changed();
          continue;
        }
        if ((await sendRepo.countUnfinished(deps.db, mailingId)) === 0) {
          const at = deps.clock.now().toISOString();
          await mailingRepo.transition(deps.db, mailingId, ['sending'], 'sent', { finished_at: at, updated_at: at });
          return 'sent';
        }
        const next = await sendRepo.nextClaimableAt(deps.db, mailingId);
        const wait = next ? new Date(next).getTime() - deps.clock.now().getTime() + 5 : MAX_IDLE_MS;
        await sleep(Math.max(20, Math.min(MAX_IDLE_MS, wait)), options.signal);
        continue;
      }
      const reserved = await reserveSlots(deps.db, batchSize(settings, due), { perSecond: settings.ratePerSecond, perHour: settings.ratePerHour }, now.getTime());
      const lastSlot = reserved[reserved.length - 1] ?? now.getTime();
      const until = new Date(Math.max(now.getTime(), lastSlot) + settings.claimLeaseSeconds * 1000).toISOString();
      const rows = await sendRepo.claimRecipients(deps.db, deps.dialect, { mailingId, workerId: options.workerId, limit: reserved.length, now: deps.clock.now().toISOString(), until });
      const fresh = rows.filter((r) => !this.held.has(r.id));
      let items: Item[];
      try {
        items = await this.sendable(fresh, reserved);
      } catch (error) {
        this.unsent.push(...fresh.map((r) => r.id));
        throw error;
      }
      for (const item of items) {
        this.held.add(item.row.id);
        this.queue.push(item);
      }
      this.notify();
      await options.onBatch?.();
      // The first check also collects what the start of the send left (the audience worked out).
      if (mailing.total >= HEAP_CHECKS_FROM) this.heap.check();
    }
  }

  /** Pauses the mailing once its definitive failures pass the threshold; no worker hands over another message. */
  /** How the run ends once its senders were told to stop. */
  private async stoppedOutcome(): Promise<RunOutcome> {
    if (this.crash) return 'stopped';
    if (this.smtpDown) {
      await pause(this.deps, this.mailingId, storedReason('newsletter.pause.smtpDown', { error: this.lastError ?? '' }));
      return 'paused';
    }
    return this.statusSeen ?? 'stopped';
  }

  private async pauseAboveThreshold(): Promise<boolean> {
    const sent = this.counted.sent + this.since.sent;
    const failed = this.counted.failed + this.since.failed;
    const { errorThresholdMinimum, errorThresholdPercent } = this.settings;
    if (sent + failed < errorThresholdMinimum || failed * 100 <= errorThresholdPercent * (sent + failed)) return false;
    this.thresholdPause ??= (async () => {
      this.statusSeen = 'paused';
      this.stop();
      await pause(this.deps, this.mailingId, storedReason('newsletter.pause.threshold', { failed, tried: sent + failed, percent: errorThresholdPercent }));
    })();
    await this.thresholdPause;
    return true;
  }

  /** The claimed rows still to send, each with its reserved time; people who left since the send started are skipped. */
  private async sendable(claimed: sendRepo.RecipientRow[], reserved: number[]): Promise<Item[]> {
    const { db } = this.deps;
    const listIds = await mailingRepo.listIdsOfMailing(db, this.mailingId);
    const suppressed = await suppressedEmails(
      db,
      claimed.map((r) => r.email),
    );
    const still = await sendRepo.stillSubscribed(
      db,
      claimed.filter((r) => r.via === 'list').map((r) => r.subscriber_id),
      listIds,
    );
    const left = (r: sendRepo.RecipientRow) => suppressed.has(r.email.trim().toLowerCase()) || (r.via === 'list' && !still.has(r.subscriber_id));
    await sendRepo.markSkipped(
      db,
      claimed.filter(left).map((r) => r.id),
      'unsubscribed',
    );
    const rows = claimed.filter((r) => !left(r));
    const tokens = await repo.tokensOf(
      db,
      rows.map((r) => r.subscriber_id),
    );
    return rows.map((row, i) => ({ row, slot: reserved[i] ?? 0, token: tokens.get(row.subscriber_id) }));
  }

  /** A third of the claim lease: the recipients waiting in the queue keep their claims. */
  private renewEveryMs(): number {
    return Math.max(100, (this.settings.claimLeaseSeconds * 1000) / 3);
  }

  /** Moves the end of this run's claims to a lease from now (prefetched recipients may wait longer than one lease). */
  private async renewClaims(): Promise<void> {
    const until = new Date(this.deps.clock.now().getTime() + this.settings.claimLeaseSeconds * 1000).toISOString();
    await sendRepo.renewClaims(this.deps.db, this.deps.dialect, this.options.workerId, this.mailingId, until);
  }

  private async keepAlive(): Promise<void> {
    try {
      await this.renewClaims();
      await mailingRepo.touchHeartbeat(this.deps.db, this.mailingId, this.deps.clock.now().toISOString());
    } catch (error) {
      this.deps.logger.warn({ mailingId: this.mailingId, err: error }, 'newsletter claims not renewed');
    }
  }

  /** Waits for the pause, cancel or shutdown that stops the handing of messages to SMTP. */
  private async shouldStop(): Promise<boolean> {
    if (this.stopping) return true;
    if (this.options.signal?.aborted) {
      this.stop();
      return true;
    }
    if (Date.now() - this.lastStatusCheck >= STATUS_CHECK_MS) {
      this.lastStatusCheck = Date.now();
      const current = await mailingRepo.findMailing(this.deps.db, this.mailingId);
      if (!current || current.status !== 'sending') {
        this.statusSeen = current ? current.status : 'missing';
        this.stop();
      } else await mailingRepo.touchHeartbeat(this.deps.db, this.mailingId, this.deps.clock.now().toISOString());
    }
    return this.stopping;
  }

  private async take(): Promise<Item | null> {
    for (;;) {
      if (this.stopping) return null;
      const item = this.queue.shift();
      if (item) {
        this.notify();
        return item;
      }
      if (this.finished) return null;
      await this.changed();
    }
  }

  private async worker(): Promise<void> {
    const { deps } = this;
    for (;;) {
      const item = await this.take();
      if (!item) return;
      const { row, token } = item;
      // Wait for this message's reserved time, watching for pause, cancel and shutdown.
      for (;;) {
        if (await this.shouldStop()) break;
        const wait = item.slot - deps.clock.now().getTime();
        if (wait <= 0) break;
        await sleep(Math.min(wait, STATUS_CHECK_MS), this.options.signal);
      }
      if (this.stopping) {
        this.unsent.push(row.id);
        continue;
      }
      try {
        if (!token) await sendRepo.markSkipped(deps.db, [row.id], 'erased');
        else {
          this.inFlight++;
          try {
            await this.send(row, token);
          } finally {
            this.inFlight--;
          }
        }
      } finally {
        this.held.delete(row.id);
        this.notify();
      }
    }
  }

  private async send(row: sendRepo.RecipientRow, token: string): Promise<void> {
    const { deps, settings } = this;
    const { workerId } = this.options;
    const answered = await pacer.next(settings.ratePerSecond, Date.now);
    let refusal: unknown = null;
    try {
      await deps.mail.send(personalise(deps, this.prepared, { email: row.email, name: row.name, token, via: row.via, trackToken: row.track_token }));
    } catch (error) {
      refusal = error ?? new Error('send failed');
    } finally {
      answered();
    }
    if (refusal) {
      const failure = classifySendError(refusal);
      this.lastError = failure.reason;
      if (failure.connection && ++this.connectionFailures >= CONNECTION_FAILURES_BEFORE_PAUSE) {
        this.smtpDown = true;
        this.stop();
      }
      if (failure.permanent || row.attempts >= settings.maxAttempts) {
        await sendRepo.markFailed(deps.db, row.id, workerId, failure.permanent ? failure.reason : `${failure.reason} (${row.attempts} essais)`);
        this.since.failed++;
        await this.pauseAboveThreshold();
      } else {
        const retryAt = new Date(deps.clock.now().getTime() + retryDelaySeconds(settings, row.attempts) * 1000).toISOString();
        await sendRepo.markRetry(deps.db, row.id, workerId, retryAt, failure.reason);
      }
      return;
    }
    this.connectionFailures = 0;
    // The server accepted it. A database error here is not the server's: it stops the run, and the
    // recipient, still claimed, comes back after the lease (as after a crash).
    await this.marks.mark(row.id);
    this.since.sent++;
  }
}
