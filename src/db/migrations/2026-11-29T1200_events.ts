import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// The agenda: events (of the network and of its members), their series, workshops, registrations,
// and the members' iCalendar feeds fetched into moderation.

// Tables whose changes move the agenda's version (registrations do not: seat counts are read live).
const VERSIONED = ['events', 'event_organisers', 'event_themes', 'event_countries', 'event_sdgs', 'event_sessions'];
const BUMP = `update change_counters set version = version + 1 where name = 'agenda'`;

const EVENT_TYPES = [
  ['network_meeting', 'Rencontre du réseau', 'Network meeting'],
  ['training_session', 'Session de formation', 'Training session'],
  ['country_group_meeting', 'Réunion de groupe pays', 'Country-group meeting'],
  ['conference', 'Conférence, projection', 'Conference or screening'],
  ['multi_actor_day', 'Journée multi-acteurs', 'Multi-actor day'],
  ['webinar', 'Webinaire', 'Webinar'],
  ['member_event', 'Événement d’un membre', 'Member event'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('event_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label_fr', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('event_types')
    .values(EVENT_TYPES.map(([code, fr, en], i) => ({ code, label_fr: fr, label_en: en, position: i + 1 })))
    .execute();

  // A recurring meeting: occurrences are ordinary events pointing at their series (so each can be
  // edited, cancelled or moved on its own); the rule makes the next ones.
  await db.schema
    .createTable('event_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // RFC 5545 RRULE subset: FREQ=WEEKLY|MONTHLY;INTERVAL=n;BYDAY=…;COUNT=n|UNTIL=date
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  // Members' own agendas (iCal URLs) fetched periodically into the moderation queue.
  await db.schema
    .createTable('event_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', ts)
    .addColumn('last_success_at', ts)
    .addColumn('last_error', 'text')
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_feeds_org_idx').on('event_feeds').column('organisation_id').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('description_html', 'text')
    .addColumn('type_code', 'text', (c) => c.notNull().references('event_types.code'))
    // draft | proposed | published | cancelled | postponed
    .addColumn('status', 'text', (c) => c.notNull())
    // UTC instants; all-day events start at local midnight and end at the next local midnight.
    .addColumn('starts_at', ts, (c) => c.notNull())
    .addColumn('ends_at', ts, (c) => c.notNull())
    .addColumn('all_day', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Paris'))
    .addColumn('venue', 'text')
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('commune_code', 'text')
    .addColumn('department_code', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('online_url', 'text')
    // The online link is shown only to registered participants.
    .addColumn('online_url_private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('image_file_id', 'text')
    .addColumn('audience', 'text')
    .addColumn('price_note', 'text')
    .addColumn('series_id', 'text', (c) => c.references('event_series.id').onDelete('set null'))
    // Registrations
    .addColumn('registration_open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registration_deadline', ts)
    .addColumn('capacity', 'integer')
    .addColumn('waitlist_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('account_required', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON: [{ id, label, kind: 'text'|'choice'|'checkbox', options?: string[], required }]
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    // Where the event came from: staff | member | feed | demo
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('staff'))
    .addColumn('feed_id', 'text', (c) => c.references('event_feeds.id').onDelete('set null'))
    .addColumn('feed_uid', 'text')
    // Normalised title, summary, venue and commune for the archive's search (kernel/search).
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('published_at', ts)
    .execute();
  await db.schema.createIndex('events_status_start_idx').on('events').columns(['status', 'starts_at']).execute();
  await db.schema.createIndex('events_series_idx').on('events').column('series_id').execute();
  await db.schema.createIndex('events_feed_uid_idx').on('events').columns(['feed_id', 'feed_uid']).unique().execute();

  await db.schema
    .createTable('event_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('event_organisers')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('event_organisers_pk', ['event_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('event_organisers_org_idx').on('event_organisers').column('organisation_id').execute();

  for (const [table, column, type] of [
    ['event_themes', 'theme_code', 'text'],
    ['event_countries', 'country_code', 'text'],
    ['event_sdgs', 'sdg_code', 'integer'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
      .addColumn(column, type, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['event_id', column])
      .execute();
    await db.schema.createIndex(`${table}_code_idx`).on(table).column(column).execute();
  }

  // Parallel workshops of a multi-workshop day: a participant picks at most one per time slot.
  await db.schema
    .createTable('event_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('room', 'text')
    .addColumn('starts_at', ts, (c) => c.notNull())
    .addColumn('ends_at', ts, (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('event_sessions_event_idx').on('event_sessions').columns(['event_id', 'starts_at']).execute();

  await db.schema
    .createTable('registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    // pending (email not confirmed yet) | registered | waitlisted | cancelled | attended | no_show
    .addColumn('status', 'text', (c) => c.notNull())
    // Commit order: seats and the waitlist are given in this order.
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    // The participant's organisation, picked from the directory or typed (with its kind and département).
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('organisation_name', 'text')
    .addColumn('organisation_kind', 'text')
    .addColumn('organisation_department', 'text')
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('user_id', 'text')
    // JSON: { questionId: answer }
    .addColumn('answers', 'text', (c) => c.notNull().defaultTo('{}'))
    // Hash of the personal link's token (view, modify, cancel).
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('consent_at', ts)
    .addColumn('confirmed_at', ts)
    .addColumn('promoted_at', ts)
    .addColumn('cancelled_at', ts)
    .addColumn('reminder_sent_at', ts)
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('web'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registrations_event_email_idx').on('registrations').columns(['event_id', 'email_lower']).unique().execute();
  await db.schema.createIndex('registrations_event_seq_idx').on('registrations').columns(['event_id', 'status', 'sequence']).execute();
  await db.schema.createIndex('registrations_org_idx').on('registrations').column('organisation_id').execute();
  await db.schema.createIndex('registrations_contact_idx').on('registrations').column('contact_id').execute();

  await db.schema
    .createTable('registration_sessions')
    .addColumn('registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('event_sessions.id').onDelete('cascade'))
    // registered | waitlisted | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('registration_sessions_pk', ['registration_id', 'session_id'])
    .execute();
  await db.schema.createIndex('registration_sessions_session_idx').on('registration_sessions').columns(['session_id', 'status', 'sequence']).execute();

  // Moves with every change to published events: the agenda's page cache and feeds key on it.
  await db.insertInto('change_counters').values({ name: 'agenda', version: 0 }).execute();
  if (isPostgres(db)) {
    await sql.raw(`create function bump_agenda_version() returns trigger language plpgsql as $$ begin ${BUMP}; return null; end $$`).execute(db);
    for (const table of VERSIONED) {
      await sql
        .raw(`create trigger ${table}_agenda_version after insert or update or delete or truncate on ${table} for each statement execute function bump_agenda_version()`)
        .execute(db);
    }
    return;
  }
  for (const table of VERSIONED) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`create trigger ${table}_agenda_version_${event} after ${event} on ${table} begin ${BUMP}; end`).execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of VERSIONED) await sql.raw(`drop trigger ${table}_agenda_version on ${table}`).execute(db);
    await sql.raw('drop function bump_agenda_version()').execute(db);
  }
  await db.deleteFrom('change_counters').where('name', '=', 'agenda').execute();
  for (const table of [
    'registration_sessions',
    'registrations',
    'event_sessions',
    'event_sdgs',
    'event_countries',
    'event_themes',
    'event_organisers',
    'event_slugs',
    'events',
    'event_feeds',
    'event_series',
    'event_types',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
