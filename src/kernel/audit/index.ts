import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../ids.js';
import { insertAudit } from './repo.js';

export { listAudit, distinctAuditValues, forgetAnonymousActors, type AuditFilter, type AuditRow } from './repo.js';
export { auditActionLabel, auditActorLabel, auditEntityLabel } from './labels.js';
export { auditEntityNames, type AuditNameOf } from './names.js';
export { namerOf } from './names-repo.js';

export interface AuditActor {
  id: string | null;
  email: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Secrets never enter the log, whatever the caller passes: any field whose name speaks of a
 * password, a token, a secret or a CSRF value is masked, at any depth.
 */
const HIDDEN = /password|passwd|token|secret|csrf|hash$/i;

function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (key !== '' && HIDDEN.test(key) ? '[masqué]' : v));
}

/** Records who changed what, when, with the state before and after. */
export async function recordAudit(
  db: Kysely<Database>,
  actor: AuditActor,
  entry: AuditEntry,
  at: Date = new Date(),
): Promise<void> {
  await insertAudit(db, {
    id: newId(at.getTime()),
    at: at.toISOString(),
    actor_id: actor.id,
    actor_email: actor.email?.toLowerCase() ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId ?? null,
    before: snapshot(entry.before),
    after: snapshot(entry.after),
    ip: actor.ip ?? null,
  });
}
