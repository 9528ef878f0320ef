import type { Kysely } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// The newsletter (lettre d'information): lists people subscribe to (single or double opt-in),
// subscribers (one per address, linked to a directory contact when the address matches), their
// subscriptions, interests and consent history, a suppression list of hashed addresses, mailings
// (content blocks, audience: lists and/or a saved directory segment), one row per (mailing,
// recipient) created when a send starts, the shared send-rate log, and the module's settings.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);
  const bigint = isPostgres(db) ? 'bigint' : 'integer';

  await db.schema
    .createTable('newsletter_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // 1: offered on the public form; 0: staff only (imports, staff subscriptions).
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(1))
    // Ticked by default on /lettre, and the list of the footer form (email only).
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('newsletter_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('organisation', 'text')
    // The directory contact with the same address, when there is one.
    .addColumn('contact_id', 'text')
    // The personal token of /preferences/:token and /desinscription/:token.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('soft_bounces', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_bounce_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('newsletter_subscribers_contact_idx').on('newsletter_subscribers').column('contact_id').execute();

  await db.schema
    .createTable('newsletter_subscriptions')
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    // unconfirmed | confirmed | unsubscribed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_subscriptions_pk', ['subscriber_id', 'list_id'])
    .execute();
  await db.schema.createIndex('newsletter_subscriptions_list_idx').on('newsletter_subscriptions').columns(['list_id', 'status']).execute();

  await db.schema
    .createTable('newsletter_interests')
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    // theme | country
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('newsletter_interests_pk', ['subscriber_id', 'kind', 'code'])
    .execute();

  // Double opt-in: one token (hashed) confirms the lists asked for in one form.
  await db.schema
    .createTable('newsletter_confirmations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // JSON: the lists asked for, and the name, organisation and interests typed in the form.
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('newsletter_confirmations_subscriber_idx').on('newsletter_confirmations').columns(['subscriber_id', 'created_at']).execute();

  // Every change of consent: what (action, list), when, how (source), from where (IP of web forms).
  await db.schema
    .createTable('newsletter_consent_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('list_id', 'text')
    // The list's name then (the list may be renamed or deleted later).
    .addColumn('list_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('newsletter_consent_events_subscriber_idx').on('newsletter_consent_events').columns(['subscriber_id', 'at']).execute();

  // Addresses never mailed again (unsubscribed from everything, hard bounce, erased), as SHA-256 of the lower-cased address.
  await db.schema
    .createTable('newsletter_suppressions')
    .addColumn('email_hash', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('newsletter_mailings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    // JSON array of content blocks ({ type: 'text', html } …).
    .addColumn('blocks', 'text', (c) => c.notNull().defaultTo('[]'))
    // A saved directory filter (saved_filters.id) whose organisations' contacts are recipients.
    .addColumn('segment_id', 'text')
    // draft | scheduled | sending | paused | sent | cancelled
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('scheduled_at', ts)
    .addColumn('started_at', ts)
    .addColumn('finished_at', ts)
    // JSON { key, params } of why the send paused (staff, error threshold, SMTP down).
    .addColumn('pause_reason', 'text')
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    // Last sign of life of a worker sending it: a sweep starts another when it gets old.
    .addColumn('heartbeat_at', ts)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('newsletter_mailings_status_idx').on('newsletter_mailings').columns(['status', 'scheduled_at']).execute();

  await db.schema
    .createTable('newsletter_mailing_lists')
    .addColumn('mailing_id', 'text', (c) => c.notNull().references('newsletter_mailings.id').onDelete('cascade'))
    .addColumn('list_id', 'text', (c) => c.notNull().references('newsletter_lists.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('newsletter_mailing_lists_pk', ['mailing_id', 'list_id'])
    .execute();

  // One row per (mailing, recipient), written when the send starts; the send's checkpoint.
  await db.schema
    .createTable('newsletter_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailing_id', 'text', (c) => c.notNull().references('newsletter_mailings.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    // list | segment | both: why the person receives the mailing.
    .addColumn('via', 'text', (c) => c.notNull())
    // pending | sending | sent | failed | skipped
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts)
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', ts)
    .addColumn('sent_at', ts)
    .addColumn('error', 'text')
    .addUniqueConstraint('newsletter_recipients_unique', ['mailing_id', 'subscriber_id'])
    .execute();
  await db.schema.createIndex('newsletter_recipients_status_idx').on('newsletter_recipients').columns(['mailing_id', 'status', 'id']).execute();
  await db.schema.createIndex('newsletter_recipients_subscriber_idx').on('newsletter_recipients').column('subscriber_id').execute();

  // The send-rate log shared by every worker: one row per message handed to SMTP (milliseconds).
  await db.schema
    .createTable('newsletter_rate_slots')
    .addColumn('at_ms', bigint, (c) => c.primaryKey())
    .execute();
  // One row, locked by each reservation so that workers reserve one after another.
  await db.schema
    .createTable('newsletter_rate_lock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('reservations', bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('newsletter_rate_lock').values({ id: 1, reservations: 0 }).execute();

  await db.schema
    .createTable('newsletter_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'newsletter_settings',
    'newsletter_rate_lock',
    'newsletter_rate_slots',
    'newsletter_recipients',
    'newsletter_mailing_lists',
    'newsletter_mailings',
    'newsletter_suppressions',
    'newsletter_consent_events',
    'newsletter_confirmations',
    'newsletter_interests',
    'newsletter_subscriptions',
    'newsletter_subscribers',
    'newsletter_lists',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
