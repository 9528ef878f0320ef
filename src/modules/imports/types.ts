import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import type { OrganisationDraft } from '../organisations/index.js';

/** What the import engine needs from the kernel (a subset, so tests and the CLI can build it). */
export interface ImportDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  dataDir: string;
  jobs?: Jobs;
  /** The raw connection of a SQLite database (bulk writes run on it, inside Kysely's transaction). */
  sqlite?: SQLite.Database | null;
}

export type ImportActor = { id: string | null; email: string | null; ip?: string | null };

// ---------- Reading ----------

export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1', 'utf-16le', 'utf-16be'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];
/** The quotes a person may choose: double, single, or none (quotes read as plain text). */
export const QUOTE_CHOICES = ['"', "'", 'none'] as const;

export interface TextDetection {
  encoding: TextEncodingName;
  /** A byte-order mark opened the file (skipped when reading). */
  bom: boolean;
  delimiter: string;
  /**
   * The quote character; null when no field of the sample is quoted (read with `"`); 'none' when a
   * person chose to read quotes as plain text.
   */
  quote: '"' | "'" | 'none' | null;
  lineEnding: 'crlf' | 'lf' | 'cr';
}

/** How a person chose to read a CSV file, over what was detected (each part left out keeps the detection's). */
export interface ReadingChoice {
  encoding?: TextEncodingName;
  delimiter?: string;
  quote?: (typeof QUOTE_CHOICES)[number];
}

export interface Detection {
  format: 'csv' | 'xlsx';
  /** CSV only: how the file is read (the detection's, or what a person chose over it). */
  text?: TextDetection;
  /** CSV only, when a person chose another reading: what was detected. */
  detectedText?: TextDetection;
  /** XLSX only: the sheet read (the first one). */
  sheet?: string;
  headers: string[];
  /** The first data rows, as read (row = spreadsheet row number, the header being row 1). */
  preview: SourceRow[];
}

/** One data row of the file: its spreadsheet row number (header = 1) and its cells, as text. */
export interface SourceRow {
  row: number;
  values: string[];
}

// ---------- Mapping ----------

/** Where a column goes. `ignore` columns are read and dropped. */
export const ORGANISATION_TARGETS = [
  'name', 'acronym', 'kind', 'description', 'website', 'email', 'phone', 'address', 'postcode', 'commune',
  'siren_siret', 'siren', 'siret', 'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count',
  'themes', 'countries', 'zones', 'sdgs', 'is_member', 'source_ref',
] as const;
export const CONTACT_TARGETS = [
  'contact_name', 'contact_first_name', 'contact_last_name', 'contact_civility', 'contact_function', 'contact_email', 'contact_phone',
] as const;
export const TARGETS = [...ORGANISATION_TARGETS, ...CONTACT_TARGETS, 'ignore'] as const;
export type Target = (typeof TARGETS)[number];

/** Targets whose cell may hold several values. */
export const MULTI_TARGETS: readonly Target[] = ['themes', 'countries', 'zones', 'sdgs', 'contact_email'];
/** Targets whose values go through a value map (file value → code). */
export const CODED_TARGETS: readonly Target[] = ['kind', 'themes', 'countries', 'zones', 'is_member'];

export type Separator = '/' | ';' | '|' | ',' | '\n';
export const SEPARATORS: readonly Separator[] = ['|', ';', '/', ',', '\n'];

export interface ColumnMapping {
  field: Target;
  /** Multi-valued targets: how the cell is split (none: one value). */
  split?: Separator;
  /** Coded targets: value as written in the file → code ('' drops the value). Matched accent- and case-insensitively. */
  values?: Record<string, string>;
}

/**
 * The mapping of a file: a JSON document (saved by name, given to the CLI with --mapping).
 * Columns are named by their header as written in the file.
 */
export interface MappingDocument {
  version: 1;
  columns: Record<string, ColumnMapping>;
  /** Year of the membership a member column stands for ("Adhérent 2016"); null: the flag only. */
  membershipYear?: number | null;
  /**
   * Whether a member column's yes makes the organisation a current member of the network (its
   * member flag), as a person chose; null or absent: only when the column names no year or the
   * current one (see membershipIsCurrent). A past year's yes records that year's membership only.
   */
  membershipCurrent?: boolean | null;
  /** Visibility of the created organisations (public by default). */
  visibility?: 'public' | 'members' | 'staff';
}

// ---------- Validation ----------

export type IssueLevel = 'error' | 'warning';

/** A message inside another one's parameters: worded when shown, in the reader's language. */
export interface MessageRef {
  key: MessageKey;
  params?: MessageParams;
}

/** Messages listed in another one and joined by the language's list separator (« ; »): items that hold commas themselves. */
export interface MessageList {
  list: MessageRef[];
}

/** Parameters of a message: values, messages, lists of messages joined by commas, or a MessageList (see wordParams). */
export type MessageParams = Record<string, string | number | MessageRef | MessageRef[] | MessageList>;

/** Parameters of a report message: values, messages, or lists of either (see issueText). */
export type IssueParams = Record<string, string | number | MessageRef | (string | MessageRef)[]>;

export interface RowIssue {
  level: IssueLevel;
  /** The target concerned (or 'row' for the whole row). */
  field: string;
  key: MessageKey;
  params?: IssueParams;
  /** The value as written in the file, kept for the report. */
  raw?: string;
}

export interface ContactRecord {
  civility: string | null;
  first_name: string | null;
  last_name: string;
  function: string | null;
  emails: string[];
  phone: string | null;
}

/** A row turned into what would be written, with its issues. */
export interface ImportRecord {
  row: number;
  sourceRef: string | null;
  /** Null when the row has an error. */
  organisation: OrganisationDraft | null;
  /** The organisation's current member flag. */
  isMember: boolean;
  /** The year of the paid membership the row records (its member column names a year and says yes), else null. */
  membershipYear: number | null;
  contact: ContactRecord | null;
  /** Fields whose raw value failed its check but was kept (identifiers). */
  flagged: string[];
  issues: RowIssue[];
}

/** A possible duplicate found by the duplicates module for one row of the file. */
export interface DuplicateMatch {
  /** An organisation of the base… */
  organisationId?: string;
  /** …or another row of the same file. */
  row?: number;
  /** What the user sees ("Eau Vive (Bordeaux)"). */
  label: string;
  score?: number;
  reasons?: string[];
}

/**
 * The seam for duplicate detection: called during validation with each chunk of valid records,
 * in file order (so an implementation may keep an index across calls to find duplicates inside
 * the file). Each finding becomes a warning of its row in the report. `batchRows`, asked once
 * before the file is read: how many valid rows the finder would rather be given in its first call
 * (the validation holds the rows back until then, or the end of the file); without it, or 0,
 * chunks come as they are read.
 */
export type DuplicateFinder = ((records: ImportRecord[]) => Promise<Array<{ row: number; matches: DuplicateMatch[] }>>) & {
  batchRows?: () => Promise<number>;
};

export interface ValidationSummary {
  totalRows: number;
  validRows: number;
  errorRows: number;
  warningRows: number;
  /** Issues per message key, for the summary. */
  byKey: Record<string, number>;
  /** Rows with a possible duplicate (only with a duplicate finder). */
  duplicateRows: number;
}

// ---------- Batches ----------

export type ImportMode = 'valid-only' | 'all-or-nothing';
export const IMPORT_MODES: readonly ImportMode[] = ['valid-only', 'all-or-nothing'];
/** Growth of the heap, during a validation or a commit, after which a full collection runs (see kernel/heap-ceiling.ts). */
export const IMPORT_HEAP_ALLOWANCE = 32 * 1024 * 1024;

export const LEGAL_BASES = ['legitimate_interest', 'consent', 'contract', 'legal_obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** The legal basis chosen at import for every contact of the file (one consent record each). */
export interface LegalBasisChoice {
  basis: LegalBasis;
  /** What the person was told or agreed to, and how ("membre du réseau X, informé le …"). */
  detail: string;
  /** When (YYYY-MM-DD); the import day when absent. */
  date?: string;
}

export type BatchStatus = 'draft' | 'validating' | 'validated' | 'queued' | 'running' | 'committed' | 'failed' | 'undone';
