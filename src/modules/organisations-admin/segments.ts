import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AdminDeps, Problems, StaffActor } from './deps.js';
import { parseStaffQuery, queryFromString } from './query.js';
import * as repo from './repo.js';

export const SEGMENT_SCOPE = 'organisations';

/**
 * The organisation ids of a saved filter (segment), evaluated now with staff visibility; used by
 * the back office and by mailings. Throws `not_found` for an unknown or non-organisation segment.
 */
export async function resolveSegment(db: Kysely<Database>, id: string, dialect?: Dialect, now: Date = new Date()): Promise<string[]> {
  return repo.organisationIds(db, dialect ?? repo.dialectOfDb(db), await segmentFilter(db, id, now));
}

/** A segment's organisations as a subquery of their ids, for another module's query (a mailing's audience). */
export type SegmentOrganisations = ReturnType<typeof repo.organisationIdsQuery>;

/**
 * The organisations of a saved filter (segment) as a subquery of their ids, the filter evaluated
 * with staff visibility at `now` (its dates): nothing is read but the saved filter, so a segment of
 * any size costs no memory; the set is evaluated by each query that embeds it. Throws `not_found`
 * like `resolveSegment`.
 */
export async function segmentOrganisations(db: Kysely<Database>, id: string, dialect?: Dialect, now: Date = new Date()): Promise<SegmentOrganisations> {
  return repo.organisationIdsQuery(db, dialect ?? repo.dialectOfDb(db), await segmentFilter(db, id, now));
}

/** The saved filter of segment `id`, its dates read at `now`; `not_found` for an unknown or non-organisation segment. */
async function segmentFilter(db: Kysely<Database>, id: string, now: Date) {
  const saved = await repo.findSavedFilter(db, id);
  if (!saved || saved.scope !== SEGMENT_SCOPE) throw new AppError('not_found');
  return parseStaffQuery(queryFromString(saved.query), now).filter;
}

export function listSegments(db: Kysely<Database>) {
  return repo.listSavedFilters(db, SEGMENT_SCOPE);
}

export async function saveSegment(
  deps: AdminDeps,
  actor: StaffActor,
  input: { name: string; query: string },
): Promise<{ ok: true; id: string } | { ok: false; errors: Problems }> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2 || name.length > 100) return { ok: false, errors: { name: { key: 'backofficeOrganisations.error.segmentName' } } };
  // Stored canonical: only what the list understands survives.
  const { canonical } = parseStaffQuery(queryFromString(input.query), deps.clock.now());
  const now = deps.clock.now();
  const id = newId(now.getTime());
  await repo.insertSavedFilter(deps.db, { id, name, scope: SEGMENT_SCOPE, query: canonical, created_by: actor.id, created_at: now.toISOString() });
  await recordAudit(deps.db, actor, { action: 'saved_filter.created', entityType: 'saved_filter', entityId: id, after: { name, query: canonical } }, now);
  return { ok: true, id };
}

export async function deleteSegment(deps: AdminDeps, actor: StaffActor, id: string): Promise<boolean> {
  const saved = await repo.findSavedFilter(deps.db, id);
  if (!saved || saved.scope !== SEGMENT_SCOPE) return false;
  await repo.deleteSavedFilter(deps.db, id);
  await recordAudit(deps.db, actor, { action: 'saved_filter.deleted', entityType: 'saved_filter', entityId: id, before: { name: saved.name, query: saved.query } }, deps.clock.now());
  return true;
}

export function findSegment(db: Kysely<Database>, id: string) {
  return repo.findSavedFilter(db, id);
}
