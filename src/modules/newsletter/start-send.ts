import { recordAudit } from '../../kernel/audit/index.js';
import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { newIds } from '../../kernel/ids.js';
import { type AudienceExcluded, resolveTarget, walkAudience } from './audience.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import { frozenBlocks, parseBlocks } from './blocks.js';
import * as mailingRepo from './mailing-repo.js';
import { prepareMailing } from './render-mailing.js';
import * as repo from './repo.js';
import * as sendRepo from './send-repo.js';
import { newSubscriberToken } from './tokens.js';
import { newTrackToken, trackableLinks } from './tracking.js';
import * as trackingRepo from './tracking-repo.js';

export const SEND_JOB = 'newsletter.send';

export interface SendJobPayload {
  mailingId: string;
}

export type StartResult = { ok: true; total: number } | { ok: false; key: MessageKey; params?: Params };

/** A stored reason (why a send paused or could not start), translated when shown. */
export function storedReason(key: MessageKey, params: Params = {}): string {
  return JSON.stringify({ key, params });
}

export function parseReason(stored: string | null): { key: MessageKey; params: Params } | null {
  if (!stored) return null;
  try {
    const value = JSON.parse(stored) as { key?: string; params?: Params };
    if (typeof value.key === 'string') return { key: value.key as MessageKey, params: value.params ?? {} };
  } catch {
    /* not ours */
  }
  return null;
}

/** Queues the job that sends a mailing (and the one that resumes it); several may run at once safely. */
export async function enqueueSend(deps: Pick<NewsletterDeps, 'jobs' | 'clock'>, mailingId: string, reason: string, runAt?: Date): Promise<void> {
  await deps.jobs.enqueue(SEND_JOB, { mailingId } satisfies SendJobPayload, { idempotencyKey: `${SEND_JOB}:${mailingId}:${reason}`, runAt });
}

/** Why a mailing cannot be sent now: no audience, a block that cannot be rendered. */
export async function sendProblems(deps: NewsletterDeps, mailing: mailingRepo.MailingRow): Promise<{ key: MessageKey; params?: Params }[]> {
  const listIds = await mailingRepo.listIdsOfMailing(deps.db, mailing.id);
  const problems: { key: MessageKey; params?: Params }[] = [];
  if (listIds.length === 0 && !mailing.segment_id) problems.push({ key: 'newsletter.error.noAudience' });
  const prepared = await prepareMailing(deps, mailing, [], '');
  problems.push(...prepared.problems);
  if (prepared.problems.length === 0 && prepared.webHtml.trim() === '') problems.push({ key: 'newsletter.error.bodyEmpty' });
  return problems;
}

/** The links of the email as it is sent (http and https; not the web version or the person's own links). */
async function linksToTrack(deps: NewsletterDeps, mailing: mailingRepo.MailingRow): Promise<string[]> {
  const prepared = await prepareMailing(deps, mailing, [], '');
  return trackableLinks(prepared.html, { baseUrl: deps.config.baseUrl.replace(/\/+$/, ''), webUrl: prepared.webUrl });
}

/**
 * A start reading more than one window of the audience collects its garbage as it goes, like the
 * send (decision 0018): once the used heap has grown this much since the last full collection.
 */
const START_HEAP_ALLOWANCE = 32 * 1024 * 1024;

/** A start that found nobody to send to: its transaction is rolled back. */
class NobodyToSend extends Error {}

/**
 * Starts sending: works out the audience now and writes one row per recipient (the send's
 * checkpoint), a window of addresses at a time (never the whole audience in memory), and moves the
 * mailing to `sending`, all in one transaction, then queues the job. A crash before the commit
 * leaves the mailing as it was (and no subscriber row for a contact); after it, the rows are all there.
 */
export async function startSend(deps: NewsletterDeps, actor: NewsletterActor, mailingId: string): Promise<StartResult> {
  const mailing = await mailingRepo.findMailing(deps.db, mailingId);
  if (!mailing) return { ok: false, key: 'newsletter.error.mailingGone' };
  if (mailing.status !== 'draft' && mailing.status !== 'scheduled') return { ok: false, key: 'newsletter.error.notDraft' };
  const blocks = JSON.stringify(await frozenBlocks({ db: deps.db, dialect: deps.dialect, now: deps.clock.now() }, parseBlocks(mailing.blocks)));
  if (blocks !== mailing.blocks) {
    await mailingRepo.freezeMailingBlocks(deps.db, mailing.id, blocks, deps.clock.now().toISOString());
    mailing.blocks = blocks;
  }
  const problems = await sendProblems(deps, mailing);
  if (problems.length) return { ok: false, ...problems[0]! };
  const listIds = await mailingRepo.listIdsOfMailing(deps.db, mailing.id);
  const { source, segmentMissing } = await resolveTarget(deps, { listIds, segmentId: mailing.segment_id });
  if (segmentMissing && listIds.length === 0) return { ok: false, key: 'newsletter.error.segmentGone' };
  const now = deps.clock.now();
  const at = now.toISOString();
  // Tracking, chosen on the draft, is fixed from here: the links are stored and each recipient gets a token.
  const tracked = mailing.tracking === 1;
  const links = tracked ? await linksToTrack(deps, mailing) : [];
  let started: { total: number; excluded: AudienceExcluded } | null;
  try {
    started = await deps.db.transaction().execute(async (trx) => {
      const moved = await mailingRepo.transition(trx, mailing.id, ['draft', 'scheduled'], 'sending', { started_at: at, updated_at: at, total: 0, pause_reason: null, heartbeat_at: null });
      if (!moved) return null;
      let windows = 0;
      const heap = new HeapCeiling(START_HEAP_ALLOWANCE);
      const audience = await walkAudience(trx, deps.dialect, source, async (members) => {
        // From the second window on: a smaller audience forces no collection.
        if (windows > 0) heap.check();
        // Directory contacts get a subscriber row (their personal unsubscribe link).
        const newcomers = members.filter((m) => !m.subscriberId);
        if (newcomers.length) {
          const ids = newIds(newcomers.length, now.getTime());
          await repo.insertSubscribers(
            trx,
            newcomers.map((m, i) => ({ id: ids[i]!, email: m.email, email_lower: m.emailLower, name: m.name, organisation: null, contact_id: m.contactId, token: newSubscriberToken(), created_at: at, updated_at: at })),
          );
          const idOf = new Map((await repo.subscribersByEmails(trx, newcomers.map((m) => m.emailLower))).map((r) => [r.email_lower, r.id]));
          for (const m of newcomers) m.subscriberId = idOf.get(m.emailLower) ?? null;
        }
        // Recipients are claimed in id order: each window's ids come a millisecond after the previous
        // window's and are sorted, so they follow the audience's (address) order.
        const recipientIds = newIds(members.length, now.getTime() + windows++).sort();
        await sendRepo.insertRecipients(
          trx,
          members
            .filter((m) => m.subscriberId)
            .map((m, i) => ({ id: recipientIds[i]!, mailing_id: mailing.id, subscriber_id: m.subscriberId!, email: m.email, name: m.name, via: m.via, track_token: tracked ? newTrackToken() : null })),
        );
      });
      if (audience.total === 0) throw new NobodyToSend();
      await mailingRepo.setTotal(trx, mailing.id, audience.total);
      if (links.length) await trackingRepo.insertLinks(trx, mailing.id, links);
      return audience;
    });
  } catch (error) {
    if (error instanceof NobodyToSend) return { ok: false, key: 'newsletter.error.audienceEmpty' };
    throw error;
  }
  if (!started) return { ok: false, key: 'newsletter.error.notDraft' };
  await recordAudit(deps.db, actor, { action: 'newsletter_mailing.started', entityType: 'newsletter_mailing', entityId: mailing.id, after: { total: started.total, excluded: started.excluded, tracking: tracked } }, now);
  await enqueueSend(deps, mailing.id, `start:${at}`);
  return { ok: true, total: started.total };
}
