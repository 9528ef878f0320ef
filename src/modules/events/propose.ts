import type { ModerationDeps, Proposer } from '../moderation/index.js';
import { propose } from '../moderation/index.js';
import * as repo from './repo.js';
import { formatRule, parseRule, ruleProblems } from './series.js';
import { checkEvent } from './service.js';
import { draftFormValues, EVENT_LIST_FIELDS, EVENT_SINGLE_FIELDS, list, text } from './validate.js';

/** Fields a proposal carries besides the form's: where it came from (not editable in moderation). */
export const PROPOSAL_META_FIELDS = ['source', 'feed_id', 'feed_uid'] as const;

const LIMITS: Record<string, number> = { description: 20_000, summary: 500 };

/** Values as typed, bounded, when they do not validate (staff fix them in edit-then-approve). */
function boundedValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of EVENT_SINGLE_FIELDS) out[name] = text(values, name).slice(0, LIMITS[name] ?? 1000);
  for (const name of EVENT_LIST_FIELDS) out[name] = list(values, name).slice(0, 50).map((x) => x.slice(0, 100));
  return out;
}

export interface ProposeEventResult {
  /** The proposal in the moderation queue; null when nothing was proposed (no change). */
  proposalId: string | null;
  /** The existing event a feed item updates, if any. */
  eventId: string | null;
  /** The values did not pass validation as they are: staff will have to edit them before approving. */
  invalid: boolean;
}

/**
 * Puts an event in the moderation queue (entity type `event`): a new one, or — for a feed item
 * already imported (same feed and UID) — a change of that event. `values` are the event form's
 * fields (see validate.ts), plus `source` (member | feed), `feed_id`, `feed_uid` and `cancelled`
 * ('1' when the source cancelled it). Approval publishes the event. A member's new event may carry
 * `repeat`, the RRULE of a series (checked by the caller with repetitionFromForm): approval then
 * publishes every date; a rule out of bounds is not carried.
 */
export async function proposeEvent(deps: ModerationDeps, values: Record<string, unknown>, proposer: Proposer): Promise<ProposeEventResult> {
  const feedId = text(values, 'feed_id') || null;
  const feedUid = text(values, 'feed_uid') || null;
  const source = text(values, 'source') === 'feed' && feedId && feedUid ? 'feed' : 'member';
  const existing = feedId && feedUid ? await repo.findEventByFeedUid(deps.db, feedId, feedUid) : undefined;
  const checked = await checkEvent(deps, values, ['public', 'members', 'staff']);
  const rule = source === 'member' && !existing ? parseRule(text(values, 'repeat')) : undefined;
  const repeat = rule && checked.ok && !ruleProblems(rule, checked.draft.starts_at, checked.draft.time_zone) ? formatRule(rule) : '';
  const payload: Record<string, unknown> = {
    ...(checked.ok ? draftFormValues(checked.draft) : boundedValues(values)),
    // Members' new events always say whether they repeat (staff may add or change it when approving).
    ...(source === 'member' && !existing ? { repeat } : {}),
    cancelled: text(values, 'cancelled') === '1' ? '1' : '',
    source,
    ...(source === 'feed' ? { feed_id: feedId, feed_uid: feedUid } : {}),
  };
  // A feed says nothing of the image: a change of an imported event keeps the event's own.
  if (existing && payload['image'] === undefined) {
    payload['image'] = existing.image_file_id ?? '';
    payload['image_alt'] = existing.image_alt ?? '';
  }
  const result = await propose(deps, { type: 'event', entityId: existing?.id ?? null, payload, proposer });
  return { proposalId: result.ok ? result.id : null, eventId: existing?.id ?? null, invalid: !checked.ok };
}
