// THE registry of references to organisations and contacts (DESIGN.md §4): every table holding the
// id of an organisation or of a contact is listed here, so a merge repoints it and an undo restores
// it. A capability that adds such a table adds one line below; references.test.ts fails for a
// column of the database that looks like such a reference and is listed nowhere.

/** A column holding the id of an organisation or of a contact, repointed row by row. */
export interface ColumnReference {
  kind: 'column';
  table: string;
  column: string;
  /** What the column points at. */
  target: 'organisation' | 'contact';
  /** Columns identifying one row (its primary key). */
  key: readonly string[];
  /**
   * Columns that are unique together with `column`: a moved row that would collide with one of the
   * survivor's is dropped instead (the survivor keeps its own; the undo puts it back).
   */
  unique?: readonly string[];
  /** In a table pointing at several kinds of records, the rows that point at this kind. */
  scope?: { column: string; values: readonly string[] };
  /** A flag only one row per target carries (main contact, primary email): moved rows lose it when the target has one. */
  exclusiveFlag?: string;
}

/** A text column that mentions ids (a saved filter's query string): the absorbed id is replaced. */
export interface MentionReference {
  kind: 'mention';
  table: string;
  column: string;
  target: 'organisation' | 'contact';
  key: readonly string[];
}

/** The ordered pairs of duplicate candidates (smaller id first): repointed by candidates.ts. */
export interface PairReference {
  kind: 'pair';
  table: 'duplicate_candidates';
  columns: readonly ['organisation_a_id', 'organisation_b_id'];
  target: 'organisation';
  key: readonly string[];
}

export type Reference = ColumnReference | MentionReference | PairReference;

const org = (table: string, column: string, key: readonly string[], extra: Partial<ColumnReference> = {}): ColumnReference => ({
  kind: 'column',
  table,
  column,
  target: 'organisation',
  key,
  ...extra,
});

const contact = (table: string, key: readonly string[], extra: Partial<ColumnReference> = {}): ColumnReference => ({
  kind: 'column',
  table,
  column: 'contact_id',
  target: 'contact',
  key,
  ...extra,
});

/** Every reference, in the order a merge repoints them. */
export const REFERENCES: readonly Reference[] = [
  // Old slugs keep redirecting, now to the survivor.
  org('organisation_slugs', 'organisation_id', ['slug']),
  // Lists of the organisation: united (a value both have stays once).
  org('organisation_themes', 'organisation_id', ['organisation_id', 'theme_code'], { unique: ['theme_code'] }),
  org('organisation_countries', 'organisation_id', ['organisation_id', 'country_code'], { unique: ['country_code'] }),
  org('organisation_zones', 'organisation_id', ['organisation_id', 'zone_code'], { unique: ['zone_code'] }),
  org('organisation_sdgs', 'organisation_id', ['organisation_id', 'sdg_code'], { unique: ['sdg_code'] }),
  org('organisation_colleges', 'organisation_id', ['organisation_id', 'college_code'], { unique: ['college_code'] }),
  org('organisation_tags', 'organisation_id', ['organisation_id', 'tag'], { unique: ['tag'] }),
  // One membership per year: the survivor's is kept for a year both have.
  org('memberships', 'organisation_id', ['id'], { unique: ['year'] }),
  org('user_organisations', 'organisation_id', ['user_id', 'organisation_id'], { unique: ['user_id'] }),
  org('contact_roles', 'organisation_id', ['contact_id', 'organisation_id'], { unique: ['contact_id'], exclusiveFlag: 'is_main' }),
  org('interactions', 'organisation_id', ['id']),
  org('account_requests', 'organisation_id', ['id']),
  // The agenda: events it organises, its iCal feeds, participants who named it.
  org('event_organisers', 'organisation_id', ['event_id', 'organisation_id'], { unique: ['event_id'] }),
  org('event_feeds', 'organisation_id', ['id']),
  org('registrations', 'organisation_id', ['id']),
  // The resource library: the organisation a resource comes from.
  org('resources', 'organisation_id', ['id']),
  // Members' news: the organisation that is the article's author.
  org('news_articles', 'organisation_id', ['id']),
  // Calls for projects whose funder is the organisation.
  org('calls', 'funder_organisation_id', ['id']),
  // Moderation proposals about the organisation or its marker.
  org('proposals', 'entity_id', ['id'], { scope: { column: 'entity_type', values: ['organisation', 'organisation_position'] } }),
  { kind: 'mention', table: 'saved_filters', column: 'query', target: 'organisation', key: ['id'] },
  { kind: 'pair', table: 'duplicate_candidates', columns: ['organisation_a_id', 'organisation_b_id'], target: 'organisation', key: ['id'] },

  // A person's emails, roles, interests and consent history follow them into the surviving contact.
  contact('contact_emails', ['contact_id', 'email_lower'], { unique: ['email_lower'], exclusiveFlag: 'is_primary' }),
  contact('contact_roles', ['contact_id', 'organisation_id'], { unique: ['organisation_id'] }),
  contact('contact_themes', ['contact_id', 'theme_code'], { unique: ['theme_code'] }),
  contact('contact_countries', ['contact_id', 'country_code'], { unique: ['country_code'] }),
  contact('consents', ['id']),
  contact('registrations', ['id']),
  // Newsletter subscribers matched to the person by address.
  contact('newsletter_subscribers', ['id']),
];

/**
 * Columns that look like references and are deliberately not repointed, with the reason. Together
 * with REFERENCES, this must name every such column of the database (references.test.ts).
 */
export const NOT_REPOINTED: Readonly<Record<string, string>> = {
  'audit_log.entity_id': 'History: entries stay with the record they were written about.',
  'organisations_fts.organisation_id': 'SQLite full-text index, kept by triggers on organisations.',
  'organisations_fts_map.organisation_id': 'SQLite full-text index map, kept by triggers on organisations.',
};

/** Keys of the tables a merge writes besides the references: the records themselves. */
const RECORD_KEYS: Readonly<Record<string, readonly string[]>> = {
  organisations: ['id'],
  contacts: ['id'],
  duplicate_candidates: ['id'],
  organisation_slugs: ['slug'],
};

/** Columns the database computes (never inserted back on undo). */
export const GENERATED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  organisations: ['search_vector'],
};

/** The key of each table a merge writes, for its journal. */
export function keyOf(table: string): readonly string[] {
  const own = RECORD_KEYS[table];
  if (own) return own;
  const ref = REFERENCES.find((r) => r.table === table);
  if (!ref) throw new Error(`Table ${table} is not registered with the merge service`);
  return ref.key;
}

/** The column references of one kind of record (organisation or contact), in order. */
export function columnReferences(target: 'organisation' | 'contact'): ColumnReference[] {
  return REFERENCES.filter((r): r is ColumnReference => r.kind === 'column' && r.target === target);
}

export function mentionReferences(target: 'organisation' | 'contact'): MentionReference[] {
  return REFERENCES.filter((r): r is MentionReference => r.kind === 'mention' && r.target === target);
}

/** "table.column" of every registered reference. */
export function registeredColumns(): Set<string> {
  const set = new Set<string>();
  for (const r of REFERENCES) {
    if (r.kind === 'pair') for (const c of r.columns) set.add(`${r.table}.${c}`);
    else set.add(`${r.table}.${r.column}`);
  }
  return set;
}

/** Whether a column's name says it holds the id of an organisation or a contact, or of any record. */
export function looksLikeReference(column: string): boolean {
  return /(^|_)organisation(_[a-z])?_id$/.test(column) || /(^|_)contact_id$/.test(column) || column === 'entity_id';
}
