import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** What the in-memory directory index is built from: every organisation's filterable fields and links (colleges: to list them, not to filter). */
export async function loadDirectoryRows(db: Db) {
  const [organisations, themes, countries, zones, sdgs, colleges, zoneCountries] = await Promise.all([
    db
      .selectFrom('organisations')
      .select(['id', 'name', 'sort_name', 'acronym', 'kind_code', 'department_code', 'is_member', 'visibility', 'search_text', 'updated_at'])
      .execute(),
    db.selectFrom('organisation_themes').select(['organisation_id', 'theme_code as code']).execute(),
    db.selectFrom('organisation_countries').select(['organisation_id', 'country_code as code']).execute(),
    db.selectFrom('organisation_zones').select(['organisation_id', 'zone_code as code']).execute(),
    db.selectFrom('organisation_sdgs').select(['organisation_id', 'sdg_code as code']).execute(),
    db.selectFrom('organisation_colleges').select(['organisation_id', 'college_code as code']).execute(),
    db.selectFrom('zone_countries').select(['zone_code', 'country_code']).execute(),
  ]);
  return { organisations, themes, countries, zones, sdgs, colleges, zoneCountries };
}

export type DirectoryRows = Awaited<ReturnType<typeof loadDirectoryRows>>;

/** The version the database moves on every change to organisations and their links (migration 1170). */
export async function directoryVersion(db: Db): Promise<string> {
  // Read on every public page view: compiled once per database, not rebuilt per request.
  let query = versionQueries.get(db);
  if (!query) {
    query = db.selectFrom('change_counters').select('version').where('name', '=', 'directory').compile();
    versionQueries.set(db, query);
  }
  const { rows } = await db.executeQuery(query);
  return String(rows[0]?.version ?? '');
}

const versionQueries = new WeakMap<Db, CompiledQuery<{ version: number | string }>>();
