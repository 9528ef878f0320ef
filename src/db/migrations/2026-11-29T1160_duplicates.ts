import { type Kysely, sql } from 'kysely';
import { instant } from './helpers.js';

// Candidate duplicate pairs of organisations: one row per ordered pair (smaller id first), with its
// score and reasons (JSON), and its status — pending (review queue), auto_merged, merged, or
// dismissed ("not a duplicate": remembered, never proposed again). A full scan refreshes pending
// pairs and never touches decided ones.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);
  await db.schema
    .createTable('duplicate_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_a_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('organisation_b_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('auto_mergeable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .addColumn('decided_at', ts)
    .addColumn('decided_by', 'text')
    .addUniqueConstraint('duplicate_candidates_pair_key', ['organisation_a_id', 'organisation_b_id'])
    .addCheckConstraint('duplicate_candidates_ordered', sql`organisation_a_id < organisation_b_id`)
    .execute();
  // The review queue: pending pairs, highest score first.
  await db.schema.createIndex('duplicate_candidates_queue_idx').on('duplicate_candidates').columns(['status', 'score']).execute();
  await db.schema.createIndex('duplicate_candidates_b_idx').on('duplicate_candidates').column('organisation_b_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duplicate_candidates').execute();
}
