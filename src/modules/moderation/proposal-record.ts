import type { EntityValues, ProposalRecord } from './registry.js';
import type { ProposalRow } from './repo.js';

function parse(json: string | null): EntityValues | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as EntityValues) : null;
  } catch {
    return null;
  }
}

/** A stored proposal as the services read it (its payload and base parsed). */
export function toRecord(row: ProposalRow): ProposalRecord {
  return {
    id: row.id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    status: row.status,
    payload: parse(row.payload) ?? {},
    base: parse(row.base),
    proposerUserId: row.proposer_user_id,
    proposerName: row.proposer_name,
    proposerEmail: row.proposer_email,
    message: row.message,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    createdAt: row.created_at,
  };
}

/** The proposer's address, when the proposal still holds one (an erased proposer's is gone). */
export function addressOf(proposal: Pick<ProposalRecord, 'proposerEmail'>): string | null {
  return proposal.proposerEmail?.trim() || null;
}
