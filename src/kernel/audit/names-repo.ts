import { sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuditEntityNamer } from '../module.js';

/** Tables whose records have a text id, as the journal's entries point at them. */
type TableWithId = { [T in keyof Database]: Database[T] extends { id: string } ? T : never }[keyof Database];
/** The columns of a table that always hold text. */
type TextColumn<T extends keyof Database> = { [C in keyof Database[T]]: Database[T][C] extends string ? C : never }[keyof Database[T]] & string;

/**
 * The namer of records named by one text column of their table (`name`, `title`…), linked to
 * `href(id)` (the id URL-encoded): a record that no longer exists is left out.
 */
export function namerOf<T extends TableWithId>(type: string, table: T, column: TextColumn<T>, href: (id: string) => string): AuditEntityNamer {
  return {
    type,
    async names({ db }, ids) {
      const { rows } = await sql<{ id: string; name: string }>`select id, ${sql.ref(column)} as name from ${sql.table(table)} where id in (${sql.join(ids)})`.execute(db);
      return new Map(rows.map((r) => [r.id, { name: r.name, href: href(encodeURIComponent(r.id)) }]));
    },
  };
}
