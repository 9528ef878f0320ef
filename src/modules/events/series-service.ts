import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { newId } from '../../kernel/ids.js';
import { parseLocalDateTime, toLocalInputs } from '../../kernel/time/zoned.js';
import * as repo from './repo.js';
import { expandRule, formatRule, type RecurrenceRule } from './series.js';
import { type CreateOptions, createEvent, type EventsDeps } from './service.js';
import type { EventStatus } from './types.js';
import type { EventDraft } from './validate.js';

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
 * Creates a recurring meeting: the series (its rule) and one ordinary event per date, each
 * pointing at the series, so that any date can then be edited or cancelled on its own. A member's
 * proposed series (moderation) gives `source: 'member'`.
 */
export async function createSeries(
  deps: Pick<EventsDeps, 'db' | 'clock'>,
  actor: AuditActor,
  draft: EventDraft,
  rule: RecurrenceRule,
  status: EventStatus,
  options: Pick<CreateOptions, 'source' | 'action'> = {},
): Promise<{ seriesId: string; eventIds: string[] }> {
  const now = deps.clock.now();
  const seriesId = newId(now.getTime());
  const text = formatRule(rule);
  await repo.insertSeries(deps.db, { id: seriesId, rule: text, created_by: actor.id, created_at: now.toISOString() });
  const eventIds: string[] = [];
  for (const start of expandRule(rule, draft.starts_at, draft.time_zone)) {
    const created = await createEvent(deps, actor, shifted(draft, start), { status, seriesId, source: options.source ?? 'staff', action: options.action ?? 'event.created_in_series' });
    eventIds.push(created.id);
  }
  await recordAudit(deps.db, actor, { action: 'event_series.created', entityType: 'event_series', entityId: seriesId, after: { rule: text, events: eventIds.length } }, now);
  return { seriesId, eventIds };
}

/** Cancels one date of a series and every later one (the series stops there); returns how many changed. */
export async function cancelFollowing(deps: Pick<EventsDeps, 'db' | 'clock'>, actor: AuditActor, eventId: string): Promise<number | undefined> {
  const event = await repo.findEventById(deps.db, eventId);
  if (!event?.series_id) return undefined;
  const now = deps.clock.now().toISOString();
  const targets = (await repo.occurrencesOf(deps.db, event.series_id)).filter((o) => o.starts_at >= event.starts_at && o.status !== 'cancelled');
  for (const o of targets) {
    await repo.setStatus(deps.db, o.id, { status: 'cancelled', updated_at: now });
    await recordAudit(deps.db, actor, { action: 'event.cancel', entityType: 'event', entityId: o.id, before: { status: o.status }, after: { status: 'cancelled' } }, deps.clock.now());
  }
  return targets.length;
}
