import { departmentCentre } from '../../kernel/geo/department-centres.js';
import { slugify } from '../../kernel/identifiers.js';
import { newIds } from '../../kernel/ids.js';
import { contactSortNameOf, indexedColumns, type OrganisationDraft, type SearchTextMemo, socialLinksJson } from '../organisations/index.js';
import { BULK_TABLES, type BulkRow, type BulkTable } from './bulk-repo.js';
import type { OrganisationLabels } from './context.js';
import type { ImportRecord, LegalBasisChoice } from './types.js';
import { dateOnlyInstant } from '../../kernel/time/date-only.js';

export interface ChunkContext {
  batchId: string;
  fileName: string;
  labels: OrganisationLabels;
  /** Repeated parts of the search text, normalised once for the whole import. */
  searchTextMemo: SearchTextMemo;
  legalBasis: LegalBasisChoice;
  createdBy: string | null;
  now: Date;
  /** Slugs in use; the chunk's new ones are added. */
  slugs: Set<string>;
}

/** A slug free among the used ones: name, name-2, name-3… (as the organisation form does). */
function uniqueSlug(name: string, used: Set<string>): string {
  const base = slugify(name);
  let candidate = base;
  for (let i = 2; used.has(candidate); i++) candidate = `${base}-${i}`;
  used.add(candidate);
  return candidate;
}

const SLUG = BULK_TABLES.organisations.findIndex(([column]) => column === 'slug');
const NAME = BULK_TABLES.organisations.findIndex(([column]) => column === 'name');

/**
 * Gives a chunk's organisations new free slugs, when another writer took some since they were
 * chosen (`used` holds the slugs in use, read again, and the chunk's earlier ones).
 */
export function renewSlugs(rows: ChunkRows, used: Set<string>): void {
  for (const row of rows.organisations) row[SLUG] = uniqueSlug(String(row[NAME]), used);
}

/** Rows of each table, as values in the table's column order. */
export type ChunkRows = Record<BulkTable, BulkRow[]>;

export function emptyChunk(): ChunkRows {
  return Object.fromEntries(Object.keys(BULK_TABLES).map((t) => [t, []])) as unknown as ChunkRows;
}

/** An object's values in the column order of its table (absent columns are null). */
function push(rows: ChunkRows, table: BulkTable, values: Record<string, string | number | null | undefined>): void {
  rows[table].push(BULK_TABLES[table].map(([column]) => values[column] ?? null));
}

/** Every column of an imported organisation. */
function organisationRow(draft: OrganisationDraft, record: ImportRecord, id: string, slug: string, c: ChunkContext, at: string): Record<string, string | number | null> {
  const centre = departmentCentre(draft.department_code);
  return {
    id,
    slug,
    name: draft.name,
    acronym: draft.acronym,
    kind_code: draft.kind_code,
    description_html: draft.description_html,
    website: draft.website,
    email: draft.email,
    phone: draft.phone,
    social_links: draft.social_links ? socialLinksJson(draft.social_links) : null,
    address: draft.address,
    postcode: draft.postcode,
    commune_code: draft.commune_code,
    commune_name: draft.commune_name,
    department_code: draft.department_code,
    // On the map at once, at its département's centre (shown as approximate) until its geocoding
    // job, queued behind every other job, places it.
    latitude: centre?.lat ?? null,
    longitude: centre?.lng ?? null,
    geo_precision: centre ? 'department' : null,
    siren: draft.siren,
    siret: draft.siret,
    rna: draft.rna,
    insee_code: draft.insee_code,
    founded_year: draft.founded_year,
    staff_count: draft.staff_count,
    volunteer_count: draft.volunteer_count,
    visibility: draft.visibility,
    is_member: record.isMember ? 1 : 0,
    logo_file_id: null,
    source: 'import',
    import_batch_id: c.batchId,
    // Search text and sort key exactly as the organisations module writes them.
    ...indexedColumns(draft, c.labels, c.searchTextMemo),
    created_at: at,
    updated_at: at,
    reviewed_at: null,
    source_file: c.fileName,
    source_row: record.row,
    source_ref: record.sourceRef,
    source_flags: record.flagged.length ? JSON.stringify(record.flagged) : null,
  };
}

/** The consent event recorded for each imported contact: its legal basis as chosen at import. */
function consentAt(choice: LegalBasisChoice, now: Date): string {
  // A day without a time: stored as one (see dateOnlyInstant), shown as a day alone.
  return choice.date ? dateOnlyInstant(choice.date) : now.toISOString();
}

/** The rows one transaction writes for these (valid) records. */
export function chunkRows(records: ImportRecord[], c: ChunkContext): ChunkRows {
  const rows = emptyChunk();
  const at = c.now.toISOString();
  const ms = c.now.getTime();
  const consentTime = consentAt(c.legalBasis, c.now);
  const event = c.legalBasis.basis === 'consent' ? 'given' : 'informed';
  // Every id of the chunk at once: one per organisation, membership, contact and consent record.
  let needed = 0;
  for (const record of records) needed += 1 + (record.membershipYear ? 1 : 0) + (record.contact ? 2 : 0);
  const ids = newIds(needed, ms);
  let next = 0;
  const newId = () => ids[next++]!;
  for (const record of records) {
    const draft = record.organisation!;
    const id = newId();
    push(rows, 'organisations', organisationRow(draft, record, id, uniqueSlug(draft.name, c.slugs), c, at));
    for (const code of new Set(draft.links.themes)) rows.organisation_themes.push([id, code]);
    for (const code of new Set(draft.links.countries)) rows.organisation_countries.push([id, code]);
    for (const code of new Set(draft.links.zones)) rows.organisation_zones.push([id, code]);
    for (const code of new Set(draft.links.sdgs)) rows.organisation_sdgs.push([id, code]);
    if (record.membershipYear) {
      push(rows, 'memberships', { id: newId(), organisation_id: id, year: record.membershipYear, status: 'paid', fee_cents: null, created_at: at });
    }
    const contact = record.contact;
    if (!contact) continue;
    const contactId = newId();
    push(rows, 'contacts', {
      id: contactId,
      civility: contact.civility,
      first_name: contact.first_name,
      last_name: contact.last_name,
      // Sort key exactly as the back office writes it.
      sort_name: contactSortNameOf(contact),
      phone: contact.phone,
      notes: null,
      public_profile: 0,
      source: 'import',
      import_batch_id: c.batchId,
      erased_at: null,
      created_at: at,
      updated_at: at,
      source_file: c.fileName,
      source_row: record.row,
      source_ref: record.sourceRef,
    });
    contact.emails.forEach((email, i) => rows.contact_emails.push([contactId, email, email.toLowerCase(), i === 0 ? 1 : 0]));
    rows.contact_roles.push([contactId, id, contact.function, 1]);
    push(rows, 'consents', {
      id: newId(),
      contact_id: contactId,
      purpose: 'contact_database',
      basis: c.legalBasis.basis,
      event,
      source: 'import',
      detail: c.legalBasis.detail,
      ip: null,
      recorded_by: c.createdBy,
      at: consentTime,
    });
  }
  return rows;
}
