import { newId } from '../../kernel/ids.js';
import type { OutgoingMessage } from '../../kernel/mail/index.js';
import { classifySendError, type NewsletterSettings, reserveSlots, suppressedEmails, unsubscribePath } from '../newsletter/index.js';
import { absolute, type CallAlertsDeps } from './deps.js';
import { type DigestCall, digestMail } from './mail.js';
import * as repo from './repo.js';

/** Attempts of a digest on temporary SMTP errors, the same day, before it is failed (its calls come again tomorrow). */
export const MAX_ATTEMPTS = 3;
/** Wait before another try: this many minutes times the attempts made. */
const RETRY_MINUTES = 15;

/** What every digest of a run shares: the sender's identity, the list, the sending settings. */
export interface SendContext {
  listId: string;
  listName: string;
  networkName: string;
  contactEmail: string;
  /** The mailto: of the List-Unsubscribe header. */
  unsubscribeMailto: string;
  sending: Pick<NewsletterSettings, 'ratePerSecond' | 'ratePerHour' | 'concurrency'>;
  runId: string;
  day: string;
  signal?: AbortSignal;
}

/** A digest to send: who, the period it covers, and the calls that matched. */
export interface PlannedDigest {
  subscriber: repo.AlertSubscriber;
  windowFrom: string;
  windowTo: string;
  calls: Array<DigestCall & { id: string }>;
  /** Set when this is another try of an existing digest row. */
  retry?: repo.DigestRow;
}

export type SendOutcome = 'sent' | 'retry' | 'failed' | 'skipped' | 'taken' | 'stopped';

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

/** The message, with the newsletter's unsubscribe links (leaving the alerts' list only) and RFC 8058 headers. */
export function digestMessage(deps: Pick<CallAlertsDeps, 'config'>, context: SendContext, planned: PlannedDigest, digestId: string): OutgoingMessage {
  const { token } = planned.subscriber;
  const unsubscribeUrl = absolute(deps, unsubscribePath(token, [context.listId]));
  const mail = digestMail({
    networkName: context.networkName,
    contactEmail: context.contactEmail,
    listName: context.listName,
    name: planned.subscriber.name,
    calls: planned.calls,
    allCallsUrl: absolute(deps, '/appels-a-projets'),
    unsubscribeUrl,
    preferencesUrl: absolute(deps, `/preferences/${token}`),
  });
  const mailto = `mailto:${context.unsubscribeMailto}?subject=${encodeURIComponent(`Désinscription ${token}`)}`;
  return {
    to: planned.subscriber.email,
    fromName: context.networkName,
    ...mail,
    headers: {
      'List-Unsubscribe': `<${mailto}>, <${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Maillage-Call-Alert': digestId,
    },
  };
}

/** Takes the person's digest of the day: a new row (the unique key), or a retry row back from `retry`. */
async function claim(deps: CallAlertsDeps, context: SendContext, planned: PlannedDigest): Promise<{ id: string; attempts: number } | null> {
  const at = deps.clock.now().toISOString();
  const callIds = JSON.stringify(planned.calls.map((c) => c.id));
  if (planned.retry) {
    const attempts = planned.retry.attempts + 1;
    const taken = await repo.claimRetry(deps.db, planned.retry.id, { attempts, call_ids: callIds, call_count: planned.calls.length, window_to: planned.windowTo, updated_at: at });
    return taken ? { id: planned.retry.id, attempts } : null;
  }
  const id = newId(Date.parse(at));
  const inserted = await repo.insertDigest(deps.db, {
    id,
    subscriber_id: planned.subscriber.id,
    day: context.day,
    run_id: context.runId,
    status: 'sending',
    window_from: planned.windowFrom,
    window_to: planned.windowTo,
    call_ids: callIds,
    call_count: planned.calls.length,
    attempts: 1,
    next_attempt_at: null,
    sent_at: null,
    error: null,
    created_at: at,
    updated_at: at,
  });
  return inserted ? { id, attempts: 1 } : null;
}

/**
 * Sends one digest at the time the shared rate log grants it (the newsletter's ceiling, all
 * workers and mailings together). The row is written (`sending`) just before the SMTP hand-over
 * and marked `sent` after it: a crash in between leaves it `sending`, and it is never sent again
 * that day — at most one digest per person and day; its calls come again in the next digest.
 */
export async function sendDigest(deps: CallAlertsDeps, context: SendContext, planned: PlannedDigest): Promise<SendOutcome> {
  const { signal } = context;
  if (signal?.aborted) return 'stopped';
  const [slot] = await reserveSlots(deps.db, 1, { perSecond: context.sending.ratePerSecond, perHour: context.sending.ratePerHour }, deps.clock.now().getTime());
  for (;;) {
    const wait = (slot ?? 0) - deps.clock.now().getTime();
    if (wait <= 0 || signal?.aborted) break;
    await sleep(Math.min(wait, 1000), signal);
  }
  if (signal?.aborted) return 'stopped';
  const claimed = await claim(deps, context, planned);
  if (!claimed) return 'taken';
  const at = () => deps.clock.now().toISOString();
  // The person may have left since the run started: unsubscribed, suppressed (bounce, erasure).
  const [confirmed, suppressed] = await Promise.all([repo.isConfirmed(deps.db, planned.subscriber.id, context.listId), suppressedEmails(deps.db, [planned.subscriber.email])]);
  if (!confirmed || suppressed.size > 0) {
    await repo.updateDigest(deps.db, claimed.id, { status: 'skipped', updated_at: at() });
    return 'skipped';
  }
  try {
    await deps.mail.send(digestMessage(deps, context, planned, claimed.id));
    await repo.updateDigest(deps.db, claimed.id, { status: 'sent', sent_at: at(), error: null, next_attempt_at: null, updated_at: at() });
    return 'sent';
  } catch (error) {
    const failure = classifySendError(error);
    if (failure.permanent || claimed.attempts >= MAX_ATTEMPTS) {
      await repo.updateDigest(deps.db, claimed.id, { status: 'failed', error: failure.reason, next_attempt_at: null, updated_at: at() });
      return 'failed';
    }
    const next = new Date(deps.clock.now().getTime() + RETRY_MINUTES * claimed.attempts * 60_000).toISOString();
    await repo.updateDigest(deps.db, claimed.id, { status: 'retry', error: failure.reason, next_attempt_at: next, updated_at: at() });
    return 'retry';
  }
}

/** Sends the digests `concurrency` at a time; counts the outcomes. */
export async function sendDigests(deps: CallAlertsDeps, context: SendContext, digests: PlannedDigest[]): Promise<Partial<Record<SendOutcome, number>>> {
  const counts: Partial<Record<SendOutcome, number>> = {};
  let next = 0;
  const worker = async () => {
    for (;;) {
      const planned = digests[next++];
      if (!planned || context.signal?.aborted) return;
      let outcome: SendOutcome;
      try {
        outcome = await sendDigest(deps, context, planned);
      } catch (error) {
        // A database error on one digest: logged, the others go on; that row stays as it was.
        deps.logger.error({ err: error, subscriberId: planned.subscriber.id }, 'call alert digest failed');
        outcome = 'failed';
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.sending.concurrency, digests.length)) }, () => worker()));
  return counts;
}
