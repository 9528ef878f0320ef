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

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  user_tokens: UserTokensTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  files: FilesTable;
}
