// Frozen helpers for migrations: they must keep producing the same schema forever, so they
// import nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Instants: timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function instant(db: Kysely<unknown>): ColumnDataType {
  return isPostgres(db) ? 'timestamptz' : 'text';
}
