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
  const saved = await repo.findSavedFilter(db, id);
  if (!saved || saved.scope !== SEGMENT_SCOPE) throw new AppError('not_found');
  const { filter } = parseStaffQuery(queryFromString(saved.query), now);
  return repo.organisationIds(db, dialect ?? repo.dialectOfDb(db), filter);
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
