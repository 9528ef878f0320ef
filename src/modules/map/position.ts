import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { geocodeJobKey } from '../organisations/index.js';
import { GEOCODE_JOB } from './jobs.js';
import * as repo from './repo.js';
import { inTransaction } from '../../kernel/db/transaction.js';

export interface PositionDeps {
  db: Kysely<Database>;
  clock: Clock;
  jobs: Jobs;
  onMoved?: () => void;
}

/** A coordinate typed by a person: decimal point or comma, optional spaces; null when not a number in range. */
export function parseCoordinate(raw: unknown, limit: number): number | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim().replace(/\s+/g, '').replace(',', '.').replace(/^−/, '-');
  if (!/^[-+]?\d{1,3}(\.\d{1,10})?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

/** Staff place an organisation by hand: kept as 'manual', never overwritten by the geocoder. */
export async function placeByHand(deps: PositionDeps, actor: AuditActor, id: string, latitude: number, longitude: number): Promise<boolean> {
  const before = await repo.placeOf(deps.db, id);
  if (!before) return false;
  const now = deps.clock.now();
  if (!(await repo.setPosition(deps.db, id, { latitude, longitude, precision: 'manual' }, now.toISOString()))) return false;
  deps.onMoved?.();
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'organisation.position',
      entityType: 'organisation',
      entityId: id,
      before: { latitude: before.latitude, longitude: before.longitude, geo_precision: before.geo_precision },
      after: { latitude, longitude, geo_precision: 'manual' },
    },
    now,
  );
  return true;
}

/**
 * Gives the position back to the geocoder: the manual mark is removed and the job queued, in one
 * transaction (never a mark removed without its geocoding, nor a job for an organisation gone).
 */
export async function returnToGeocoder(deps: PositionDeps, actor: AuditActor, id: string): Promise<boolean> {
  const before = await repo.placeOf(deps.db, id);
  if (!before) return false;
  const now = deps.clock.now();
  const written = await inTransaction(deps.db, async (trx) => {
    if (!(await repo.setPosition(trx, id, { latitude: before.latitude, longitude: before.longitude, precision: null }, now.toISOString()))) return false;
    await deps.jobs.enqueue(GEOCODE_JOB, { id }, { idempotencyKey: geocodeJobKey(id, now), trx });
    return true;
  });
  if (!written) return false;
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'organisation.position.auto',
      entityType: 'organisation',
      entityId: id,
      before: { latitude: before.latitude, longitude: before.longitude, geo_precision: before.geo_precision },
      after: { geo_precision: null },
    },
    now,
  );
  return true;
}
