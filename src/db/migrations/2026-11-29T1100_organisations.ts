import { type Kysely, sql } from 'kysely';
import { instant, isPostgres } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const ts = instant(db);
  const pg = isPostgres(db);

  for (const table of ['organisation_kinds', 'themes', 'colleges', 'zones']) {
    await db.schema
      .createTable(table)
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('label_fr', 'text', (c) => c.notNull())
      .addColumn('label_en', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema
    .createTable('sdgs')
    .addColumn('code', 'integer', (c) => c.primaryKey())
    .addColumn('label_fr', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('zone_countries')
    .addColumn('zone_code', 'text', (c) => c.notNull().references('zones.code').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('zone_countries_pk', ['zone_code', 'country_code'])
    .execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('acronym', 'text')
    .addColumn('kind_code', 'text', (c) => c.notNull().references('organisation_kinds.code'))
    .addColumn('description_html', 'text')
    .addColumn('website', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('social_links', 'text')
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('commune_code', 'text')
    .addColumn('commune_name', 'text')
    .addColumn('department_code', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('geo_precision', 'text')
    .addColumn('siren', 'text')
    .addColumn('siret', 'text')
    .addColumn('rna', 'text')
    .addColumn('insee_code', 'text')
    .addColumn('founded_year', 'integer')
    .addColumn('staff_count', 'integer')
    .addColumn('volunteer_count', 'integer')
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .addColumn('is_member', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('logo_file_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('import_batch_id', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('reviewed_at', ts)
    .execute();
  for (const column of ['kind_code', 'department_code', 'visibility', 'source', 'updated_at', 'name']) {
    await db.schema.createIndex(`organisations_${column}_idx`).on('organisations').column(column).execute();
  }

  await db.schema
    .createTable('organisation_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .execute();

  const links: [string, string, 'text' | 'integer'][] = [
    ['organisation_themes', 'theme_code', 'text'],
    ['organisation_countries', 'country_code', 'text'],
    ['organisation_zones', 'zone_code', 'text'],
    ['organisation_sdgs', 'sdg_code', 'integer'],
    ['organisation_colleges', 'college_code', 'text'],
  ];
  for (const [table, column, type] of links) {
    await db.schema
      .createTable(table)
      .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn(column, type, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['organisation_id', column])
      .execute();
    await db.schema.createIndex(`${table}_${column}_idx`).on(table).columns([column, 'organisation_id']).execute();
  }

  await db.schema
    .createTable('memberships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fee_cents', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('memberships_org_year', ['organisation_id', 'year'])
    .execute();

  await db.schema
    .createTable('user_organisations')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_organisations_pk', ['user_id', 'organisation_id'])
    .execute();

  if (pg) {
    await sql`alter table organisations add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored`.execute(db);
    await sql`create index organisations_search_idx on organisations using gin (search_vector)`.execute(db);
  } else {
    // FTS5 rows are found again through a map (deleting by an unindexed column would scan).
    await sql`create virtual table organisations_fts using fts5(search_text, organisation_id unindexed, tokenize = 'unicode61', prefix = '2 3 4')`.execute(db);
    await sql`create table organisations_fts_map (organisation_id text primary key, fts_rowid integer not null)`.execute(db);
    await sql`create trigger organisations_fts_insert after insert on organisations begin
      insert into organisations_fts (search_text, organisation_id) values (new.search_text, new.id);
      insert into organisations_fts_map (organisation_id, fts_rowid) values (new.id, last_insert_rowid()); end`.execute(db);
    await sql`create trigger organisations_fts_update after update of search_text on organisations begin
      delete from organisations_fts where rowid = (select fts_rowid from organisations_fts_map where organisation_id = old.id);
      insert into organisations_fts (search_text, organisation_id) values (new.search_text, new.id);
      update organisations_fts_map set fts_rowid = last_insert_rowid() where organisation_id = new.id; end`.execute(db);
    await sql`create trigger organisations_fts_delete after delete on organisations begin
      delete from organisations_fts where rowid = (select fts_rowid from organisations_fts_map where organisation_id = old.id);
      delete from organisations_fts_map where organisation_id = old.id; end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop table if exists organisations_fts`.execute(db);
    await sql`drop table if exists organisations_fts_map`.execute(db);
  }
  for (const table of [
    'user_organisations', 'memberships', 'organisation_colleges', 'organisation_sdgs', 'organisation_zones',
    'organisation_countries', 'organisation_themes', 'organisation_slugs', 'organisations', 'zone_countries',
    'sdgs', 'zones', 'colleges', 'themes', 'organisation_kinds',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
