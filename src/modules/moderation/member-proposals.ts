import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { proposalsOfUser } from './repo.js';
import type { MemberProposalItem } from './views-member-proposals.js';

/** How many of a member's proposals of one type their « Mes … » page lists, latest first. */
const LISTED = 100;

/** The title a proposal's payload carries, or '' when it has none (or is not JSON). */
function payloadTitle(payload: string): string {
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === 'object' ? String((value as Record<string, unknown>)['title'] ?? '') : '';
  } catch {
    return '';
  }
}

/** A member's latest proposals of one type (`event`, `news_article`, `resource`…), as their « Mes … » page lists them. */
export async function memberProposalItems(db: Kysely<Database>, userId: string, entityType: string): Promise<MemberProposalItem[]> {
  const proposals = await proposalsOfUser(db, userId, LISTED, entityType);
  return proposals.map((p) => ({ title: payloadTitle(p.payload), status: p.status, createdAt: p.created_at, message: p.message }));
}
