import type { Kysely } from 'kysely';
import { instant } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('civility', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('public_profile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('import_batch_id', 'text')
    .addColumn('erased_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_last_name_idx').on('contacts').column('last_name').execute();
  await db.schema.createIndex('contacts_source_idx').on('contacts').column('source').execute();

  await db.schema
    .createTable('contact_emails')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('contact_emails_pk', ['contact_id', 'email_lower'])
    .execute();
  await db.schema.createIndex('contact_emails_lower_idx').on('contact_emails').column('email_lower').execute();

  await db.schema
    .createTable('contact_roles')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('function', 'text')
    .addColumn('is_main', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('contact_roles_pk', ['contact_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('contact_roles_org_idx').on('contact_roles').column('organisation_id').execute();

  for (const [table, column] of [
    ['contact_themes', 'theme_code'],
    ['contact_countries', 'country_code'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['contact_id', column])
      .execute();
  }

  // Legal basis and consent events of a person: what, when, how, and withdrawal.
  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consents_contact_idx').on('consents').columns(['contact_id', 'at']).execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interactions_org_idx').on('interactions').columns(['organisation_id', 'occurred_on']).execute();

  // Shared moderation: a proposal of a new record or of changes to an existing one.
  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('base', 'text')
    .addColumn('proposer_user_id', 'text')
    .addColumn('proposer_name', 'text')
    .addColumn('proposer_email', 'text')
    .addColumn('message', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('proposals_status_idx').on('proposals').columns(['status', 'entity_type', 'created_at']).execute();

  await db.schema
    .createTable('account_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('proposal_id', 'text')
    .addColumn('message', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organisation_tags')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_tags_pk', ['organisation_id', 'tag'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'organisation_tags', 'saved_filters', 'account_requests', 'proposals', 'interactions', 'consents',
    'contact_countries', 'contact_themes', 'contact_roles', 'contact_emails', 'contacts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
