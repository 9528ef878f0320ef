import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../../db/schema.js';

export type AuditRow = Selectable<AuditLogTable>;

export async function insertAudit(db: Kysely<Database>, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/**
 * RGPD erasure: the journal entries of these records made without an account (a visitor, a
 * participant through their link) lose the address and IP that named the person. An account's own
 * entries are the account erasure's to blank.
 */
export async function forgetAnonymousActors(db: Kysely<Database>, entityType: string, entityIds: readonly string[]): Promise<void> {
  if (!entityIds.length) return;
  await db.updateTable('audit_log').set({ actor_email: null, ip: null }).where('entity_type', '=', entityType).where('entity_id', 'in', [...entityIds]).where('actor_id', 'is', null).execute();
}

export interface AuditFilter {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: Kysely<Database>, f: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
  let query = db.selectFrom('audit_log');
  if (f.actor) query = query.where('actor_email', '=', f.actor.toLowerCase());
  if (f.entityType) query = query.where('entity_type', '=', f.entityType);
  if (f.entityId) query = query.where('entity_id', '=', f.entityId);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.from) query = query.where('at', '>=', f.from);
  if (f.to) query = query.where('at', '<', f.to);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function distinctAuditValues(db: Kysely<Database>): Promise<{ actions: string[]; entityTypes: string[] }> {
  const [actions, types] = await Promise.all([
    db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
    db.selectFrom('audit_log').select('entity_type').distinct().orderBy('entity_type').execute(),
  ]);
  return { actions: actions.map((r) => r.action), entityTypes: types.map((r) => r.entity_type) };
}
