import type { Kysely, Transaction } from 'kysely';
import type { Database, Visibility } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import { queueingIn } from '../../kernel/jobs/index.js';
import { queueCancellationNotices } from './cancellation.js';
import { newId } from '../../kernel/ids.js';
import { parseLocalDateTime, toLocalInputs } from '../../kernel/time/zoned.js';
import * as repo from './repo.js';
import { expandRule, formatRule, type RecurrenceRule, repetitionFromForm } from './series.js';
import { checkEvent, type CreateOptions, createEventIn, type EventsDeps, positionOfDraft } from './service.js';
import { queueEventGeocoding } from './geocode.js';
import type { AgendaEvent, EventStatus } from './types.js';
import type { EventDraft, Problems, StartRule } from './validate.js';

const DAY_MS = 86_400_000;

/** The draft moved to another first day, keeping its wall-clock times (or its number of days). */
function shifted(draft: EventDraft, start: Date): EventDraft {
  if (!draft.all_day) return { ...draft, starts_at: start, ends_at: new Date(start.getTime() + (draft.ends_at.getTime() - draft.starts_at.getTime())) };
  const days = Math.round((draft.ends_at.getTime() - draft.starts_at.getTime()) / DAY_MS);
  const first = toLocalInputs(start, draft.time_zone).date;
  const end = new Date(Date.parse(`${first}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  return { ...draft, starts_at: start, ends_at: parseLocalDateTime(end, '00:00', draft.time_zone)! };
}

/**
 * Checks an event form and, when `repetition` says the form offers one, its repetition: all their
 * errors at once (the repetition is checked from the typed first day when the rest fails). `also`
 * adds the caller's own checks of a valid draft (a member's organisation among the organisers).
 */
export async function checkEventWithRepetition(
  deps: Parameters<typeof checkEvent>[0],
  raw: Record<string, unknown>,
  options: { visibility?: Visibility[]; uploaderId?: string | null; repetition: boolean; also?: (draft: EventDraft) => Problems; startRule?: StartRule },
): Promise<{ ok: true; draft: EventDraft; rule: RecurrenceRule | null } | { ok: false; errors: Problems }> {
  const checked = await checkEvent(deps, raw, options.visibility, options.uploaderId ?? null, options.startRule);
  const repetition = options.repetition ? repetitionFromForm(raw, checked.ok ? checked.draft.starts_at : null) : ({ ok: true, rule: null } as const);
  const errors: Problems = { ...(checked.ok ? (options.also?.(checked.draft) ?? {}) : checked.errors), ...(repetition.ok ? {} : repetition.errors) };
  if (!checked.ok || !repetition.ok || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, draft: checked.draft, rule: repetition.rule };
}

/**
 * Creates a recurring meeting: the series (its rule) and one ordinary event per date, each
 * pointing at the series, so that any date can then be edited or cancelled on its own. A member's
 * proposed series (moderation) gives `source: 'member'`. All or nothing: the series, its dates,
 * their audit lines and the one geocoding of their shared place are written in one transaction
 * (the caller's when `deps.db` is one: an approved proposal), so a failure part-way leaves no date
 * behind (and the proposal can be approved again without duplicates).
 */
export async function createSeries(
  deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>,
  actor: AuditActor,
  draft: EventDraft,
  rule: RecurrenceRule,
  status: EventStatus,
  options: Pick<CreateOptions, 'source' | 'action'> = {},
): Promise<{ seriesId: string; eventIds: string[] }> {
  const now = deps.clock.now();
  const seriesId = newId(now.getTime());
  const text = formatRule(rule);
  const starts = expandRule(rule, draft.starts_at, draft.time_zone);
  // Inside the transaction only `trx` may be used: SQLite has one connection.
  const eventIds = await inTransaction(deps.db, async (trx) => {
    await repo.insertSeries(trx, { id: seriesId, rule: text, created_by: actor.id, created_at: now.toISOString() });
    const ids: string[] = [];
    for (const start of starts) {
      const created = await createEventIn({ db: trx, clock: deps.clock }, actor, shifted(draft, start), { status, seriesId, source: options.source ?? 'staff', action: options.action ?? 'event.created_in_series' });
      ids.push(created.id);
    }
    await recordAudit(trx, actor, { action: 'event_series.created', entityType: 'event_series', entityId: seriesId, after: { rule: text, events: ids.length } }, now);
    // The dates share their place: one geocoding places them all, queued with them.
    if (positionOfDraft(draft).geocode) await queueEventGeocoding(queueingIn(deps.jobs, trx), ids, now);
    return ids;
  });
  return { seriesId, eventIds };
}

/** A date of a series as its page lists it. */
export type SeriesDate = Awaited<ReturnType<typeof repo.occurrencesOf>>[number];

/**
 * What « cette date et les suivantes » would cancel now: this date and every later date of its
 * series not cancelled yet, in order. Undefined when the event is gone or not part of a series.
 */
export async function followingDates(db: Kysely<Database> | Transaction<Database>, eventId: string): Promise<{ event: AgendaEvent; dates: SeriesDate[] } | undefined> {
  const event = await repo.findEventById(db, eventId);
  if (!event?.series_id) return undefined;
  const dates = (await repo.occurrencesOf(db, event.series_id)).filter((o) => o.starts_at >= event.starts_at && o.status !== 'cancelled');
  return { event, dates };
}

export type CancelFollowingResult =
  /** The dates changed since staff confirmed (one cancelled, moved or added): nothing was written; here they are now. */
  | { kind: 'changed'; dates: SeriesDate[] }
  /** `cancelled` dates cancelled, and `notified` people told (one email each, whatever their number of dates). */
  | { kind: 'done'; cancelled: number; notified: number };

/**
 * Cancels one date of a series and every later one (the series stops there), as confirmed by
 * staff: `confirmed` names the dates their confirmation page listed, and when the dates to cancel
 * are no longer exactly those, nothing changes (`changed`). The people registered or waiting are
 * told as for a single cancellation, with staff's `message`; a person registered to several of the
 * dates gets one email that lists them (registrations module). Every date with its log line, and
 * the emails' jobs, in one transaction: all or nothing. Undefined when the event is gone or not
 * part of a series.
 */
export async function cancelFollowing(
  deps: Pick<EventsDeps, 'db' | 'clock' | 'jobs'>,
  actor: AuditActor,
  eventId: string,
  confirmation: { confirmed: readonly string[]; message: string | null },
): Promise<CancelFollowingResult | undefined> {
  // Inside the transaction only `trx` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const found = await followingDates(trx, eventId);
    if (!found) return undefined;
    const targets = found.dates;
    const confirmed = new Set(confirmation.confirmed);
    if (confirmed.size !== targets.length || targets.some((o) => !confirmed.has(o.id))) return { kind: 'changed', dates: targets };
    const now = deps.clock.now().toISOString();
    for (const o of targets) {
      await repo.setStatus(trx, o.id, { status: 'cancelled', updated_at: now });
      await recordAudit(trx, actor, { action: 'event.cancel', entityType: 'event', entityId: o.id, before: { status: o.status }, after: { status: 'cancelled' } }, deps.clock.now());
    }
    const cancelled = await repo.eventsByIds(
      trx,
      targets.map((o) => o.id),
    );
    const notified = await queueCancellationNotices({ db: trx, jobs: queueingIn(deps.jobs, trx), clock: deps.clock }, cancelled, confirmation.message);
    return { kind: 'done', cancelled: targets.length, notified };
  });
}
