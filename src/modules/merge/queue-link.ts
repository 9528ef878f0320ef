import type { DuplicateStatus } from '../../db/schema.js';
import { pageNumber } from '../../kernel/ui/pager.js';

export const QUEUE_PATH = '/admin/doublons';
export const QUEUE_STATUSES = ['pending', 'merged', 'auto_merged', 'dismissed'] as const satisfies readonly DuplicateStatus[];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** One page of one list of the review queue. */
export interface QueueView {
  status: QueueStatus;
  page: number;
}

/** The list and page a queue address asks for (an unknown list is the pending pairs, a bad page the first). */
export function queueView(statut: string | null | undefined, page: string | null | undefined): QueueView {
  return { status: QUEUE_STATUSES.find((s) => s === statut) ?? 'pending', page: pageNumber(page ?? undefined) };
}

/** The address of a page of the queue, without the defaults ("/admin/doublons?statut=dismissed&page=2"). */
export function queueUrl(view: QueueView): string {
  const params = new URLSearchParams();
  if (view.status !== 'pending') params.set('statut', view.status);
  if (view.page > 1) params.set('page', String(view.page));
  const query = params.toString();
  return query ? `${QUEUE_PATH}?${query}` : QUEUE_PATH;
}

/**
 * The queue page a pair was opened from (the `retour` parameter), rebuilt from its list and page:
 * nothing but an address of the queue is ever followed (no open redirect); anything else is the
 * queue's first page.
 */
export function queueReturn(value: unknown): string {
  const match = typeof value === 'string' ? /^\/admin\/doublons(?:\?([^#]*))?$/.exec(value) : null;
  if (!match) return QUEUE_PATH;
  const params = new URLSearchParams(match[1] ?? '');
  return queueUrl(queueView(params.get('statut'), params.get('page')));
}

/** `path` remembering the queue page to go back to (nothing added for the queue's first page). */
export function withReturn(path: string, returnTo: string): string {
  return returnTo === QUEUE_PATH ? path : `${path}?retour=${encodeURIComponent(returnTo)}`;
}
