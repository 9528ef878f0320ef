import type { Generated } from 'kysely';

/** Instants are ISO-8601 UTC strings on both dialects (see kernel/db/create-db.ts). */
type Instant = string;

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Instant;
}

export type Role = 'member' | 'staff' | 'admin';
export type UserStatus = 'invited' | 'active' | 'deactivated';

export interface UsersTable {
  id: string;
  email: string;
  email_lower: string;
  display_name: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  locale: string;
  source: string;
  created_at: Instant;
  updated_at: Instant;
  last_login_at: Instant | null;
}

export type TokenPurpose = 'reset' | 'invite' | 'email_change';

export interface UserTokensTable {
  id: string;
  user_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  payload: string | null;
  expires_at: Instant;
  used_at: Instant | null;
  created_at: Instant;
}

export interface SessionsTable {
  sid: string;
  data: string;
  expires_at: Instant;
}

export interface LoginAttemptsTable {
  key: string;
  failures: number;
  window_started_at: Instant;
  locked_until: Instant | null;
}

export interface AuditLogTable {
  id: string;
  at: Instant;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  status: JobStatus;
  run_at: Instant;
  attempts: Generated<number>;
  max_attempts: number;
  lease_until: Instant | null;
  locked_by: string | null;
  idempotency_key: string | null;
  last_error: string | null;
  created_at: Instant;
  updated_at: Instant;
  finished_at: Instant | null;
}

export interface FilesTable {
  id: string;
  purpose: string;
  original_name: string;
  mime: string;
  size: number;
  storage_path: string;
  created_by: string | null;
  created_at: Instant;
}

export interface TaxonomyTable {
  code: string;
  label_fr: string;
  label_en: string;
  position: number;
}

export interface SdgsTable {
  code: number;
  label_fr: string;
  label_en: string;
}

export interface ZoneCountriesTable {
  zone_code: string;
  country_code: string;
}

export type Visibility = 'public' | 'members' | 'staff';
export type GeoPrecision = 'address' | 'commune' | 'department' | 'manual';

export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  acronym: string | null;
  kind_code: string;
  description_html: string | null;
  website: string | null;
  email: string | null;
  /** E.164, e.g. +33556000000. */
  phone: string | null;
  /** JSON object: network name → URL. */
  social_links: string | null;
  address: string | null;
  postcode: string | null;
  commune_code: string | null;
  commune_name: string | null;
  department_code: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: GeoPrecision | null;
  siren: string | null;
  siret: string | null;
  rna: string | null;
  insee_code: string | null;
  founded_year: number | null;
  staff_count: number | null;
  volunteer_count: number | null;
  visibility: Visibility;
  is_member: number;
  logo_file_id: string | null;
  source: string;
  import_batch_id: string | null;
  /** Normalised text (kernel/search) indexed by FTS5 or the tsvector column. */
  search_text: string;
  created_at: Instant;
  updated_at: Instant;
  reviewed_at: Instant | null;
}

export interface OrganisationSlugsTable {
  slug: string;
  organisation_id: string;
}

export interface MembershipsTable {
  id: string;
  organisation_id: string;
  year: number;
  status: string;
  fee_cents: number | null;
  created_at: Instant;
}

export interface UserOrganisationsTable {
  user_id: string;
  organisation_id: string;
  created_at: Instant;
}

export interface ContactsTable {
  id: string;
  civility: string | null;
  first_name: string | null;
  last_name: string;
  phone: string | null;
  notes: string | null;
  /** 1 when the person consented to appear on public pages. */
  public_profile: number;
  source: string;
  import_batch_id: string | null;
  erased_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface ConsentsTable {
  id: string;
  contact_id: string;
  /** What it covers: 'contact_database', 'newsletter', 'public_profile'… */
  purpose: string;
  /** 'consent' | 'legitimate_interest' | 'contract' | 'legal_obligation'. */
  basis: string;
  /** 'given' | 'withdrawn' | 'informed'. */
  event: string;
  /** How: 'web_form', 'import', 'staff', 'email'… */
  source: string;
  detail: string | null;
  ip: string | null;
  recorded_by: string | null;
  at: Instant;
}

export interface InteractionsTable {
  id: string;
  organisation_id: string;
  /** 'call' | 'meeting' | 'email' | 'advice'. */
  kind: string;
  occurred_on: string;
  author_id: string | null;
  text: string;
  created_at: Instant;
}

export type ProposalStatus = 'pending' | 'approved' | 'rejected';

export interface ProposalsTable {
  id: string;
  entity_type: string;
  /** Null for the proposal of a new record. */
  entity_id: string | null;
  status: ProposalStatus;
  /** JSON: the proposed values. */
  payload: string;
  /** JSON: the values when the proposal was made (for the per-field diff). */
  base: string | null;
  proposer_user_id: string | null;
  proposer_name: string | null;
  proposer_email: string | null;
  /** Staff's message to the proposer on decision. */
  message: string | null;
  decided_by: string | null;
  decided_at: Instant | null;
  created_at: Instant;
}

export interface AccountRequestsTable {
  id: string;
  name: string;
  email: string;
  organisation_id: string | null;
  proposal_id: string | null;
  message: string | null;
  status: ProposalStatus;
  decided_by: string | null;
  decided_at: Instant | null;
  created_at: Instant;
}

export interface SavedFiltersTable {
  id: string;
  name: string;
  /** 'organisations' | 'contacts'. */
  scope: string;
  /** The query string of the filter. */
  query: string;
  created_by: string | null;
  created_at: Instant;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  user_tokens: UserTokensTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  files: FilesTable;
  organisation_kinds: TaxonomyTable;
  themes: TaxonomyTable;
  colleges: TaxonomyTable;
  zones: TaxonomyTable;
  sdgs: SdgsTable;
  zone_countries: ZoneCountriesTable;
  organisations: OrganisationsTable;
  organisation_slugs: OrganisationSlugsTable;
  organisation_themes: { organisation_id: string; theme_code: string };
  organisation_countries: { organisation_id: string; country_code: string };
  organisation_zones: { organisation_id: string; zone_code: string };
  organisation_sdgs: { organisation_id: string; sdg_code: number };
  organisation_colleges: { organisation_id: string; college_code: string };
  memberships: MembershipsTable;
  user_organisations: UserOrganisationsTable;
  organisations_fts: { search_text: string; organisation_id: string };
  contacts: ContactsTable;
  contact_emails: { contact_id: string; email: string; email_lower: string; is_primary: number };
  contact_roles: { contact_id: string; organisation_id: string; function: string | null; is_main: number };
  contact_themes: { contact_id: string; theme_code: string };
  contact_countries: { contact_id: string; country_code: string };
  consents: ConsentsTable;
  interactions: InteractionsTable;
  proposals: ProposalsTable;
  account_requests: AccountRequestsTable;
  saved_filters: SavedFiltersTable;
  organisation_tags: { organisation_id: string; tag: string };
}
