import { type Kysely, sql } from 'kysely';
import type { Database, JobStatus } from '../../db/schema.js';

type Db = Kysely<Database>;

/** Where an invitation email queued for an account stands, as its job says. */
export interface InvitationJobRow {
  status: JobStatus;
  attempts: number;
  run_at: string;
  finished_at: string | null;
}

/**
 * The start of a job's idempotency key, as long as `keyPrefix`: compared with it, an exact prefix
 * match (substr counts characters on both dialects), unlike LIKE and its wildcards.
 */
function keyHead(keyPrefix: string) {
  return sql<string>`substr(${sql.ref('idempotency_key')}, 1, ${sql.lit([...keyPrefix].length)})`;
}

/**
 * The latest invitation job of an account (its idempotency key starts with `keyPrefix`), while the
 * job table holds it (finished jobs are kept 30 days, invitation links 7).
 */
export function latestInvitationJob(db: Db, name: string, keyPrefix: string): Promise<InvitationJobRow | undefined> {
  return db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'run_at', 'finished_at'])
    .where('name', '=', name)
    .where(keyHead(keyPrefix), '=', keyPrefix)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Deletes an account's invitation jobs, but one running now (its send may be under way). */
export async function deleteInvitationJobs(db: Db, name: string, keyPrefix: string): Promise<void> {
  await db.deleteFrom('jobs').where('name', '=', name).where(keyHead(keyPrefix), '=', keyPrefix).where('status', '!=', 'running').execute();
}
