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
  /** The name folded for sorting (lower case, no accents, punctuation as spaces), compared byte-wise. */
  sort_name: string;
  created_at: Instant;
  updated_at: Instant;
  reviewed_at: Instant | null;
  /** Imported records: the file, its spreadsheet row and the file's own reference (Réf, id). */
  source_file?: string | null;
  source_row?: number | null;
  source_ref?: string | null;
  /** JSON array of the fields whose value, as the source wrote it, failed its check and was kept. */
  source_flags?: string | null;
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
  /** Last name then first name, folded for sorting (see contactSortNameOf), compared byte-wise; '' until written. */
  sort_name: Generated<string>;
  phone: string | null;
  notes: string | null;
  /** 1 when the person consented to appear on public pages. */
  public_profile: number;
  source: string;
  import_batch_id: string | null;
  erased_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
  /** Imported contacts: the file, its spreadsheet row and the file's own reference. */
  source_file?: string | null;
  source_row?: number | null;
  source_ref?: string | null;
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

/** `validating`: the validation job reads the file (the wizard shows its progress). */
export type ImportBatchStatus = 'draft' | 'validating' | 'validated' | 'queued' | 'running' | 'committed' | 'failed' | 'undone';

/** One imported file: its detection, mapping, legal basis for contacts, status, counts and checkpoint. */
export interface ImportBatchesTable {
  id: string;
  /** The network or tool the file comes from ("capcoop"); with the file's SHA-256, the key of a re-run. */
  source_name: string;
  file_name: string;
  /** Where the file is read from (absolute, or relative to DATA_DIR/uploads for uploads). */
  file_path: string;
  file_id: string | null;
  file_sha256: string;
  file_size: number;
  /** JSON: format, encoding, separator, quoting, headers. */
  detection: string;
  /** JSON mapping document. */
  mapping: string | null;
  mode: string;
  /** JSON: basis, detail, date. */
  legal_basis: string | null;
  status: ImportBatchStatus;
  total_rows: Generated<number>;
  valid_rows: Generated<number>;
  error_rows: Generated<number>;
  warning_rows: Generated<number>;
  duplicate_rows: Generated<number>;
  /** Every row up to this spreadsheet row is committed (whole transactions only). */
  checkpoint_row: Generated<number>;
  processed_rows: Generated<number>;
  created_organisations: Generated<number>;
  created_contacts: Generated<number>;
  /** Rows already imported by an earlier batch (same source and reference). */
  skipped_rows: Generated<number>;
  /** Rows with an error, left out in "valid rows only" mode. */
  rejected_rows: Generated<number>;
  /** Start of the current run (a resumed import starts a new run) and the rows done before it: rows/s and ETA. */
  run_started_at: Instant | null;
  run_start_processed: Generated<number>;
  validated_at: Instant | null;
  started_at: Instant | null;
  progress_at: Instant | null;
  finished_at: Instant | null;
  /** Why the batch stopped, in French (CLI, audit); `error_key` and `error_params` (JSON) word it in the reader's language. */
  error: string | null;
  error_key: string | null;
  error_params: string | null;
  undone_at: Instant | null;
  undone_by: string | null;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface ImportIssuesTable {
  batch_id: string;
  row_number: number;
  source_ref: string | null;
  level: string;
  field: string;
  /** Catalogue key of the message. */
  code: string;
  /** JSON parameters of the message. */
  params: string | null;
  raw_value: string | null;
}

export interface ImportMappingsTable {
  id: string;
  name: string;
  mapping: string;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export type DuplicateStatus = 'pending' | 'auto_merged' | 'merged' | 'dismissed';

/** A candidate duplicate pair of organisations (organisation_a_id < organisation_b_id). */
export interface DuplicateCandidatesTable {
  id: string;
  organisation_a_id: string;
  organisation_b_id: string;
  /** Probability in [0, 1] that both are the same organisation. */
  score: number;
  /** JSON array of reasons: { code, weight, similarity? }. */
  reasons: string;
  /** 1 above the high threshold with a shared valid identifier. */
  auto_mergeable: number;
  status: DuplicateStatus;
  created_at: Instant;
  updated_at: Instant;
  /** The last scan that found the pair. */
  last_seen_at: Instant;
  decided_at: Instant | null;
  decided_by: string | null;
}

export type MergeKind = 'manual' | 'auto';

/** A merge of one organisation (absorbed) into another (survivor), with the journal that undoes it. */
export interface MergesTable {
  id: string;
  /** The candidate pair decided by this merge, if any (it is restored as pending on undo). */
  candidate_id: string | null;
  kind: MergeKind;
  survivor_id: string;
  absorbed_id: string;
  survivor_name: string;
  absorbed_name: string;
  /** The absorbed record's slug, which now redirects to the survivor. */
  absorbed_slug: string;
  /** The absorbed record's import provenance: a re-import recognises its rows. */
  absorbed_import_batch_id: string | null;
  absorbed_source_ref: string | null;
  score: number | null;
  /** JSON reasons of the candidate pair, as the detection wrote them. */
  reasons: string | null;
  contacts_merged: Generated<number>;
  /** JSON array of every row inserted, changed (old and new values) or deleted, in order. */
  journal: string;
  /** JSON array of the ids of the organisations and contacts the merge touched. */
  involved: string;
  merged_by: string | null;
  merged_at: Instant;
  undone_at: Instant | null;
  undone_by: string | null;
}

/** Versions the database moves itself (triggers) when a family of tables changes. */
export interface ChangeCountersTable {
  name: string;
  /** bigint: a string on PostgreSQL, a number on SQLite. */
  version: number | string;
}

// ── Agenda (migration 1200) ──────────────────────────────────────────────────────────────────

export type EventStatus = 'draft' | 'proposed' | 'published' | 'cancelled' | 'postponed';

/** An organisation's precisions, or 'not_found': the geocoder knows neither the address nor the commune, and no département gives a centre. */
export type EventGeoPrecision = GeoPrecision | 'not_found';

export interface EventsTable {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  description_html: string | null;
  type_code: string;
  status: EventStatus;
  /** UTC instants; an all-day event runs from local midnight to the local midnight after its last day. */
  starts_at: Instant;
  ends_at: Instant;
  all_day: number;
  time_zone: string;
  venue: string | null;
  address: string | null;
  postcode: string | null;
  commune_code: string | null;
  department_code: string | null;
  latitude: number | null;
  longitude: number | null;
  /** How the position was found (migration 1720): typed by a person ('manual'), geocoded, or 'not_found'; null: not looked up yet. */
  geo_precision: EventGeoPrecision | null;
  online_url: string | null;
  /** 1: the online link is shown to registered participants only. */
  online_url_private: number;
  image_file_id: string | null;
  /** Alternative text of the image (null: none, or a decorative image). */
  image_alt: string | null;
  audience: string | null;
  price_note: string | null;
  series_id: string | null;
  registration_open: number;
  registration_deadline: Instant | null;
  capacity: number | null;
  waitlist_enabled: number;
  account_required: number;
  /** 1: registering needs an organisation; 0 (default): one may register as an individual (migration 1700). */
  organisation_required: Generated<number>;
  /** JSON array of RegistrationQuestion. */
  questions: string;
  /** staff | member | feed | demo */
  source: string;
  feed_id: string | null;
  feed_uid: string | null;
  search_text: string;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
  published_at: Instant | null;
}

export interface EventSeriesTable {
  id: string;
  /** RFC 5545 RRULE subset (FREQ=WEEKLY|MONTHLY;INTERVAL;BYDAY;COUNT|UNTIL). */
  rule: string;
  created_by: string | null;
  created_at: Instant;
}

export interface EventFeedsTable {
  id: string;
  organisation_id: string;
  url: string;
  active: number;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Instant | null;
  last_success_at: Instant | null;
  last_error: string | null;
  item_count: number;
  created_by: string | null;
  created_at: Instant;
}

/** An item already seen in a member's iCal feed (migration 1210). */
export interface EventFeedItemsTable {
  feed_id: string;
  /** The item's UID; for one occurrence of a recurring item, UID + '#' + its start instant. */
  uid: string;
  content_hash: string;
  proposal_id: string | null;
  first_seen_at: Instant;
  last_seen_at: Instant;
}

export interface EventSessionsTable {
  id: string;
  event_id: string;
  title: string;
  description: string | null;
  room: string | null;
  starts_at: Instant;
  ends_at: Instant;
  capacity: number | null;
  position: number;
}

export type RegistrationStatus = 'pending' | 'registered' | 'waitlisted' | 'cancelled' | 'attended' | 'no_show';

export interface RegistrationsTable {
  id: string;
  event_id: string;
  status: RegistrationStatus;
  /** Commit order: seats and the waitlist are given in this order. */
  sequence: number;
  email: string;
  email_lower: string;
  first_name: string | null;
  last_name: string;
  phone: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  organisation_kind: string | null;
  organisation_department: string | null;
  /** 1: registered as an individual, without an organisation (its columns then empty; migration 1700). */
  individual: Generated<number>;
  contact_id: string | null;
  user_id: string | null;
  /** JSON object: question id → answer. */
  answers: string;
  token_hash: string;
  /** Set at each registration, a first one or one taken again after a cancellation: also when the current registration was made (registrations/repo.ts registeredAt). */
  consent_at: Instant | null;
  confirmed_at: Instant | null;
  promoted_at: Instant | null;
  cancelled_at: Instant | null;
  reminder_sent_at: Instant | null;
  source: string;
  /** The language the person registered in ('fr' or 'en'): their emails speak it (migration 1590). */
  locale: Generated<string>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface RegistrationSessionsTable {
  registration_id: string;
  session_id: string;
  status: 'registered' | 'waitlisted' | 'cancelled';
  sequence: number;
}

export interface WatchSourcesTable {
  id: string;
  url: string;
  name: string;
  category: string | null;
  site_url: string | null;
  active: Generated<number>;
  interval_minutes: Generated<number>;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Instant | null;
  last_success_at: Instant | null;
  last_error: string | null;
  error_count: Generated<number>;
  next_fetch_at: Instant | null;
  item_count: Generated<number>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
  /** Where the last successful read ended, after redirects (migration 1610). */
  feed_url: string | null;
  /** The feed's own address, as it gives it (Atom or RSS atom:link rel="self", JSON Feed's feed_url). */
  self_url: string | null;
  /** The feed's Atom id. */
  feed_key: string | null;
}

export interface WatchItemsTable {
  id: string;
  source_id: string;
  guid: string | null;
  link_key: string | null;
  title_key: string;
  link: string | null;
  title: string;
  summary_html: string | null;
  excerpt: Generated<string>;
  author: string | null;
  published_at: Instant;
  date_missing: Generated<number>;
  content_hash: string;
  /** new | kept | ignored */
  status: Generated<string>;
  category: string | null;
  note: string | null;
  decided_by: string | null;
  decided_at: Instant | null;
  search_text: Generated<string>;
  first_seen_at: Instant;
  updated_at: Instant;
}

export interface WatchRulesTable {
  id: string;
  keyword: string;
  theme_code: string | null;
  country_code: string | null;
  category: string | null;
  auto_keep: Generated<number>;
  created_by: string | null;
  created_at: Instant;
}

/** A call for projects; its status (upcoming, open, closing soon, closed) is computed, never stored. */
export interface CallsTable {
  id: string;
  slug: string;
  title: string;
  funder: string;
  funder_organisation_id: string | null;
  summary: string | null;
  description_html: string | null;
  /** YYYY-MM-DD (Europe/Paris). */
  opens_on: string | null;
  closes_on: string;
  /** HH:MM, Europe/Paris; null: the whole closing day. */
  closes_time: string | null;
  opens_at: Instant | null;
  closes_at: Instant;
  amount_min_cents: number | null;
  amount_max_cents: number | null;
  cofinancing_rate: number | null;
  link_url: string | null;
  /** draft | published */
  status: string;
  watch_item_id: string | null;
  source: Generated<string>;
  search_text: Generated<string>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
  published_at: Instant | null;
}

export interface CallDocumentsTable {
  id: string;
  call_id: string;
  file_id: string;
  title: string;
  position: Generated<number>;
  created_at: Instant;
}

// ── News and pages (migration 1400) ──────────────────────────────────────────────────────────

export type NewsStatus = 'draft' | 'published' | 'archived';

export interface NewsArticlesTable {
  id: string;
  slug: string;
  title: string;
  /** The chapeau. */
  summary: string | null;
  body_html: string | null;
  image_file_id: string | null;
  image_alt: string | null;
  status: NewsStatus;
  /** Public once this instant has passed (a future one schedules the article). */
  published_at: Instant | null;
  /** Members' news: the organisation that is its author. */
  organisation_id: string | null;
  author_user_id: string | null;
  /** staff | member | watch | demo */
  source: string;
  watch_item_id: string | null;
  source_url: string | null;
  mastodon_post: number;
  mastodon_status_url: string | null;
  mastodon_posted_at: Instant | null;
  mastodon_error: string | null;
  search_text: string;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export type PageStatus = 'draft' | 'published';
export type PageMenu = 'none' | 'header' | 'footer';

export interface PagesTable {
  id: string;
  slug: string;
  title: string;
  body_html: string | null;
  status: PageStatus;
  menu: PageMenu;
  menu_order: number;
  menu_label: string | null;
  search_text: string;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** A document of the resource library (study, guide, capitalisation note, brochure…). */
export interface ResourcesTable {
  id: string;
  slug: string;
  title: string;
  /** study | guide | capitalisation | brochure | toolkit | report | other */
  kind: string;
  summary: Generated<string>;
  authors: string | null;
  organisation_id: string | null;
  year: number | null;
  /** ISO 639-1 code or 'other'. */
  language: string | null;
  file_id: string | null;
  external_url: string | null;
  /** draft | published */
  status: Generated<string>;
  published_at: Instant | null;
  download_count: Generated<number>;
  /** none | pending | done | failed */
  extraction_status: Generated<string>;
  extraction_error: string | null;
  extracted_pages: number | null;
  extracted_chars: number | null;
  extracted_at: Instant | null;
  /** staff | member | demo */
  source: Generated<string>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** What the resource library's full-text search reads: normalised metadata and the distinct words of the PDF's text. */
export interface ResourceSearchTable {
  resource_id: string;
  meta_text: Generated<string>;
  body_text: Generated<string>;
}

/** Newsletter (migration 1500): a list people subscribe to. */
export interface NewsletterListsTable {
  id: string;
  name: string;
  description: Generated<string>;
  /** For English pages; empty: the French name (and description) are shown. */
  name_en: Generated<string>;
  description_en: Generated<string>;
  is_public: Generated<number>;
  double_opt_in: Generated<number>;
  is_default: Generated<number>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** One person by address (case-insensitive unique), linked to a directory contact when the address matches. */
export interface NewsletterSubscribersTable {
  id: string;
  email: string;
  email_lower: string;
  name: string | null;
  organisation: string | null;
  contact_id: string | null;
  token: string;
  soft_bounces: Generated<number>;
  last_bounce_at: Instant | null;
  /** The language ('fr' | 'en') the person confirmed in; null for subscribers from before it was kept. */
  locale: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export type NewsletterSubscriptionStatus = 'unconfirmed' | 'confirmed' | 'unsubscribed';

export interface NewsletterSubscriptionsTable {
  subscriber_id: string;
  list_id: string;
  status: NewsletterSubscriptionStatus;
  created_at: Instant;
  updated_at: Instant;
}

export interface NewsletterConfirmationsTable {
  id: string;
  subscriber_id: string;
  token_hash: string;
  /** JSON: lists asked for, name, organisation, interests. */
  request: string;
  ip: string | null;
  expires_at: Instant;
  used_at: Instant | null;
  created_at: Instant;
}

export interface NewsletterConsentEventsTable {
  id: string;
  subscriber_id: string;
  list_id: string | null;
  list_name: string | null;
  action: string;
  source: string;
  ip: string | null;
  detail: string | null;
  recorded_by: string | null;
  at: Instant;
}

export type NewsletterMailingStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export interface NewsletterMailingsTable {
  id: string;
  slug: string;
  subject: string;
  from_name: string;
  reply_to: string | null;
  blocks: Generated<string>;
  segment_id: string | null;
  status: Generated<NewsletterMailingStatus>;
  scheduled_at: Instant | null;
  started_at: Instant | null;
  finished_at: Instant | null;
  pause_reason: string | null;
  total: Generated<number>;
  heartbeat_at: Instant | null;
  /** 1: open pixel and tracked links (migration 1520); off by default. */
  tracking: Generated<number>;
  /** The language the mailing is written in: its email's own words follow it (migration 1570). */
  locale: Generated<string>;
  /** 1 (default): the email opens with « Bonjour Prénom Nom, »; 0: with its content (migration 1620). */
  greeting: Generated<number>;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export type NewsletterRecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface NewsletterRecipientsTable {
  id: string;
  mailing_id: string;
  subscriber_id: string;
  email: string;
  name: string | null;
  via: 'list' | 'segment' | 'both';
  status: Generated<NewsletterRecipientStatus>;
  attempts: Generated<number>;
  next_attempt_at: Instant | null;
  claimed_by: string | null;
  claimed_until: Instant | null;
  sent_at: Instant | null;
  error: string | null;
  /** Tracking (migration 1520): the pixel's and tracked links' token, null when the mailing is not tracked. */
  track_token: string | null;
  opened_at: Instant | null;
  open_count: Generated<number>;
}

/** A tracked mailing's links, frozen when its send starts (migration 1520). */
export interface NewsletterMailingLinksTable {
  mailing_id: string;
  position: number;
  url: string;
}

/** Clicks of one recipient on one link of a tracked mailing (migration 1520). */
export interface NewsletterClicksTable {
  recipient_id: string;
  mailing_id: string;
  link_position: number;
  clicks: Generated<number>;
  first_clicked_at: Instant;
  last_clicked_at: Instant;
}

/** Call alerts (migration 1510): one daily run of the digests. */
export interface CallAlertRunsTable {
  id: string;
  /** YYYY-MM-DD (Europe/Paris). */
  day: string;
  started_at: Instant;
  finished_at: Instant | null;
}

export type CallAlertDigestStatus = 'sending' | 'sent' | 'empty' | 'retry' | 'failed' | 'skipped';

/** At most one per (subscriber, day): the digest of the calls published in [window_from, window_to). */
export interface CallAlertDigestsTable {
  id: string;
  subscriber_id: string;
  day: string;
  run_id: string;
  status: CallAlertDigestStatus;
  window_from: Instant;
  window_to: Instant;
  /** JSON array of call ids. */
  call_ids: Generated<string>;
  call_count: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: Instant | null;
  sent_at: Instant | null;
  error: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface Database {
  change_counters: ChangeCountersTable;
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
  duplicate_candidates: DuplicateCandidatesTable;
  import_batches: ImportBatchesTable;
  import_issues: ImportIssuesTable;
  import_mappings: ImportMappingsTable;
  /** SQLite only (migration 1290): a row only an import's own transaction sees while it writes a chunk. */
  import_bulk_writes: { batch_id: string };
  merges: MergesTable;
  event_types: TaxonomyTable;
  event_series: EventSeriesTable;
  event_feeds: EventFeedsTable;
  event_feed_items: EventFeedItemsTable;
  events: EventsTable;
  event_slugs: { slug: string; event_id: string };
  event_organisers: { event_id: string; organisation_id: string };
  event_themes: { event_id: string; theme_code: string };
  event_countries: { event_id: string; country_code: string };
  event_sdgs: { event_id: string; sdg_code: number };
  event_sessions: EventSessionsTable;
  registrations: RegistrationsTable;
  registration_sessions: RegistrationSessionsTable;
  watch_sources: WatchSourcesTable;
  watch_source_themes: { source_id: string; theme_code: string };
  watch_items: WatchItemsTable;
  watch_item_themes: { item_id: string; theme_code: string };
  watch_item_countries: { item_id: string; country_code: string };
  watch_rules: WatchRulesTable;
  /** SQLite only: the full-text index of kept watch items (rowid: a date key). */
  watch_archive_fts: { search_text: string; item_id: string };
  newsletter_lists: NewsletterListsTable;
  newsletter_subscribers: NewsletterSubscribersTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  newsletter_interests: { subscriber_id: string; kind: 'theme' | 'country'; code: string };
  newsletter_confirmations: NewsletterConfirmationsTable;
  newsletter_consent_events: NewsletterConsentEventsTable;
  newsletter_suppressions: { email_hash: string; reason: string; detail: string | null; created_at: Instant };
  newsletter_mailings: NewsletterMailingsTable;
  newsletter_mailing_lists: { mailing_id: string; list_id: string };
  newsletter_recipients: NewsletterRecipientsTable;
  newsletter_rate_slots: { at_ms: number };
  newsletter_rate_lock: { id: number; reservations: number };
  newsletter_settings: { key: string; value: string; updated_at: Instant };
  newsletter_mailing_links: NewsletterMailingLinksTable;
  newsletter_clicks: NewsletterClicksTable;
  call_alert_runs: CallAlertRunsTable;
  call_alert_digests: CallAlertDigestsTable;
  call_alert_settings: { key: string; value: string; updated_at: Instant };
  news_articles: NewsArticlesTable;
  news_slugs: { slug: string; article_id: string };
  news_article_themes: { article_id: string; theme_code: string };
  news_article_countries: { article_id: string; country_code: string };
  /** SQLite only: the full-text index of articles. */
  news_fts: { search_text: string; record_id: string };
  pages: PagesTable;
  page_slugs: { slug: string; page_id: string };
  /** SQLite only: the full-text index of pages. */
  pages_fts: { search_text: string; record_id: string };
  calls: CallsTable;
  call_slugs: { slug: string; call_id: string };
  call_kinds: { call_id: string; kind_code: string };
  call_themes: { call_id: string; theme_code: string };
  call_countries: { call_id: string; country_code: string };
  call_zones: { call_id: string; zone_code: string };
  call_regions: { call_id: string; region_code: string };
  call_departments: { call_id: string; department_code: string };
  call_documents: CallDocumentsTable;
  /** SQLite only: the full-text index of calls. */
  calls_fts: { search_text: string; call_id: string };
  resources: ResourcesTable;
  resource_slugs: { slug: string; resource_id: string };
  resource_themes: { resource_id: string; theme_code: string };
  resource_countries: { resource_id: string; country_code: string };
  resource_search: ResourceSearchTable;
  /** SQLite only: the full-text index of resources (kept by triggers on resource_search). */
  resources_fts: { meta_text: string; body_text: string; resource_id: string };
}
