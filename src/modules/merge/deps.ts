import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuditActor } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';

/** What the merge use cases need: the database and the time. */
export interface MergeDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** Who merges (null ids for the automatic merge of a scan). */
export type MergeActor = AuditActor;
