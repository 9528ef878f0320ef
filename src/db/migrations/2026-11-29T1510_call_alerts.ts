import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// The alerts on calls for projects: a system list of the newsletter (« Alertes appels à
// projets », public, double opt-in) whose confirmed subscribers receive, at most once a day, the
// calls newly published that match their organisations or interests. One row per (subscriber,
// day) makes the daily digest idempotent: a second run, or a run after a crash, never mails that
// person again the same day. The runs are kept for the back office; the send hour is a setting.

/** The list's id is fixed: the alerts find it again whatever staff rename it to. */
const LIST_ID = '01900000-0000-7000-8000-0000000ca11a';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('call_alert_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The day (YYYY-MM-DD, Europe/Paris) whose digests the run sends: one run a day, resumed by
    // the next tick when its worker died.
    .addColumn('day', 'text', (c) => c.notNull().unique())
    .addColumn('started_at', ts, (c) => c.notNull())
    // Null while running, or when the worker died during the run.
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('call_alert_runs_started_idx').on('call_alert_runs').column('started_at').execute();

  await db.schema
    .createTable('call_alert_digests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    // The run that last handled it.
    .addColumn('run_id', 'text', (c) => c.notNull())
    // sending | sent | empty (nothing matched: no mail) | retry (temporary SMTP error) | failed | skipped (unsubscribed meanwhile)
    .addColumn('status', 'text', (c) => c.notNull())
    // The calls published in [window_from, window_to) were considered.
    .addColumn('window_from', ts, (c) => c.notNull())
    .addColumn('window_to', ts, (c) => c.notNull())
    // JSON array of the calls' ids in the digest.
    .addColumn('call_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts)
    .addColumn('sent_at', ts)
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    // At most one digest per person and day.
    .addUniqueConstraint('call_alert_digests_subscriber_day', ['subscriber_id', 'day'])
    .execute();
  await db.schema.createIndex('call_alert_digests_run_idx').on('call_alert_digests').columns(['run_id', 'status']).execute();
  await db.schema.createIndex('call_alert_digests_day_idx').on('call_alert_digests').columns(['day', 'status']).execute();

  await db.schema
    .createTable('call_alert_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  const at = new Date().toISOString();
  await db
    .insertInto('newsletter_lists')
    .values({
      id: LIST_ID,
      name: 'Alertes appels à projets',
      description: 'Au plus un courriel par jour : les nouveaux appels à projets qui correspondent à votre structure ou à vos centres d’intérêt.',
      is_public: 1,
      double_opt_in: 1,
      is_default: 0,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('newsletter_lists').where('id', '=', LIST_ID).execute();
  for (const table of ['call_alert_settings', 'call_alert_digests', 'call_alert_runs']) await db.schema.dropTable(table).execute();
}
