import { newId } from '../../kernel/ids.js';
import { type CallForNewsletter, callsPublishedBetween, parisToday } from '../calls/index.js';
import { newsletterSettings, suppressedEmails } from '../newsletter/index.js';
import { absolute, type CallAlertsDeps } from './deps.js';
import { ensureAlertList } from './list.js';
import { buildProfiles, callMatches } from './matching.js';
import * as repo from './repo.js';
import { type PlannedDigest, type SendContext, type SendOutcome, sendDigests } from './send.js';
import { callAlertSettings, sendHourReached } from './settings.js';
import { windowStart } from './window.js';

/** Subscribers read, matched and sent to at a time. */
const BATCH = 200;

export interface RunResult {
  day: string;
  runId: string | null;
  /** Subscribers handled (a digest sent or tried, or nothing matched). */
  subscribers: number;
  outcomes: Partial<Record<SendOutcome | 'empty', number>>;
}

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function add(into: RunResult['outcomes'], counts: RunResult['outcomes']): void {
  for (const [key, n] of Object.entries(counts) as [keyof RunResult['outcomes'], number][]) into[key] = (into[key] ?? 0) + n;
}

/** Plans each person's digest: their period, and the calls of it that match them (still open). */
async function plan(deps: CallAlertsDeps, people: Array<{ subscriber: repo.AlertSubscriber; retry?: repo.DigestRow }>, now: Date, day: string): Promise<PlannedDigest[]> {
  if (!people.length) return [];
  const ids = people.map((p) => p.subscriber.id);
  const [covered, rows] = await Promise.all([repo.coveredUntil(deps.db, ids), repo.profileRows(deps.db, ids)]);
  const profiles = buildProfiles(ids, rows);
  const nowIso = now.toISOString();
  const windows = people.map((p) => ({ ...p, from: p.retry?.window_from ?? windowStart({ now, subscribedAt: p.subscriber.subscribed_at, coveredUntil: covered.get(p.subscriber.id) }) }));
  const earliest = windows.reduce((min, w) => (w.from < min ? w.from : min), nowIso);
  const calls: CallForNewsletter[] = (await callsPublishedBetween(deps.db, earliest, nowIso)).filter((c) => c.closesOn >= day);
  return windows.map((w) => ({
    subscriber: w.subscriber,
    retry: w.retry,
    windowFrom: w.from,
    windowTo: nowIso,
    calls: calls
      .filter((c) => new Date(c.publishedAt).toISOString() >= w.from && callMatches(c, profiles.get(w.subscriber.id)!))
      .map((c) => ({ id: c.id, title: c.title, funder: c.funder, closesOn: c.closesOn, closesTime: c.closesTime, daysLeft: daysBetween(day, c.closesOn), url: absolute(deps, c.path) })),
  }));
}

/** Records "nothing to send" for these people today: no mail; their period is dealt with. */
async function recordEmpty(deps: CallAlertsDeps, context: SendContext, planned: PlannedDigest[]): Promise<number> {
  let recorded = 0;
  for (const p of planned) {
    const at = deps.clock.now().toISOString();
    if (p.retry) {
      await repo.updateDigest(deps.db, p.retry.id, { status: 'empty', window_to: p.windowTo, call_ids: '[]', call_count: 0, next_attempt_at: null, updated_at: at });
      recorded++;
      continue;
    }
    const inserted = await repo.insertDigest(deps.db, {
      id: newId(),
      subscriber_id: p.subscriber.id,
      day: context.day,
      run_id: context.runId,
      status: 'empty',
      window_from: p.windowFrom,
      window_to: p.windowTo,
      next_attempt_at: null,
      sent_at: null,
      error: null,
      created_at: at,
      updated_at: at,
    });
    if (inserted) recorded++;
  }
  return recorded;
}

/**
 * The daily digests of the alerts on calls. Runs often (a periodic job); does nothing before the
 * send hour (Europe/Paris). Then, once a day, each confirmed subscriber of the alerts' list not on
 * the suppression list gets one email with the calls published since their last digest that
 * match them, or nothing when none does. Each person's digest of the day is one row (unique key):
 * the run can be repeated, resumed after a crash or run by several workers at once without anyone
 * receiving two digests the same day. Later ticks of the same day only try again the digests that
 * met a temporary SMTP error.
 */
export async function runCallAlerts(deps: CallAlertsDeps, options: { signal?: AbortSignal } = {}): Promise<RunResult | null> {
  const now = deps.clock.now();
  if (!sendHourReached(now, await callAlertSettings(deps))) return null;
  const day = parisToday(now);
  const list = await ensureAlertList(deps);
  const result: RunResult = { day, runId: null, subscribers: 0, outcomes: {} };
  let run = await repo.runOfDay(deps.db, day);
  const [site, sending] = await Promise.all([deps.settings.get(), newsletterSettings(deps)]);
  const contextFor = (runId: string): SendContext => ({
    listId: list.id,
    listName: list.name,
    networkName: site.networkName,
    contactEmail: site.contactEmail,
    unsubscribeMailto: sending.unsubscribeMailto || site.contactEmail,
    sending,
    runId,
    day,
    signal: options.signal,
  });

  const handle = async (context: SendContext, people: Array<{ subscriber: repo.AlertSubscriber; retry?: repo.DigestRow }>) => {
    const planned = await plan(deps, people, now, day);
    const empty = planned.filter((p) => p.calls.length === 0);
    add(result.outcomes, { empty: await recordEmpty(deps, context, empty) });
    add(result.outcomes, await sendDigests(deps, context, planned.filter((p) => p.calls.length > 0)));
    result.subscribers += planned.length;
  };

  // The day's run, unless it finished already (people who subscribed since get theirs tomorrow).
  if (!run?.finished_at) {
    let afterId = '';
    for (;;) {
      if (options.signal?.aborted) return result;
      const batch = await repo.dueSubscribers(deps.db, { listId: list.id, day, afterId, limit: BATCH });
      if (!batch.length) break;
      afterId = batch[batch.length - 1]!.id;
      if (!run) {
        await repo.insertRunIfMissing(deps.db, { id: newId(now.getTime()), day, started_at: now.toISOString() });
        run = await repo.runOfDay(deps.db, day);
      }
      const suppressed = await suppressedEmails(
        deps.db,
        batch.map((s) => s.email),
      );
      await handle(
        contextFor(run!.id),
        batch.filter((s) => !suppressed.has(s.email_lower)).map((subscriber) => ({ subscriber })),
      );
    }
    if (options.signal?.aborted) return result;
    if (run) await repo.finishRun(deps.db, run.id, deps.clock.now().toISOString());
  }

  // Temporary SMTP errors of the day, tried again once their wait is over.
  if (run) {
    result.runId = run.id;
    const retries = await repo.retriesDue(deps.db, { listId: list.id, day, now: now.toISOString(), limit: BATCH });
    if (retries.length) await handle(contextFor(run.id), retries.map((r) => ({ subscriber: r.subscriber, retry: r.digest })));
  }
  return result;
}
