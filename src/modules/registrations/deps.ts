import { createHmac } from 'node:crypto';
import type { Kernel } from '../../kernel/http/types.js';
import { hashToken } from '../../kernel/auth/tokens.js';
import { keptSecret } from '../../kernel/secrets.js';

/** What the registration use cases need from the kernel. */
export type RegistrationDeps = Pick<Kernel, 'db' | 'dbHandle' | 'clock' | 'jobs' | 'config' | 'mail' | 'settings'>;

export interface Actor {
  id: string | null;
  email: string | null;
  ip?: string | null;
}

/**
 * The participant acting through their personal link: no account, named in the journal by the
 * address they registered with (blanked when their registrations are erased).
 */
export function participantActor(registration: { email: string }, ip?: string | null): Actor {
  return { id: null, email: registration.email, ip: ip ?? null };
}

const secrets = new Map<string, string>();

function linkSecret(deps: Pick<RegistrationDeps, 'config'>): string {
  const key = deps.config.dataDir;
  let secret = deps.config.sessionSecret ?? secrets.get(key);
  if (!secret) {
    secret = keptSecret(deps.config.dataDir, 'session-secret');
    secrets.set(key, secret);
  }
  return secret;
}

/**
 * The personal link's token of a registration: derived from the server's secret (shared by every
 * process), so any mail — confirmation, promotion, reminder — can carry it again; only its hash is
 * stored. Changing SESSION_SECRET invalidates the links already sent.
 */
export function registrationToken(deps: Pick<RegistrationDeps, 'config'>, registrationId: string): { token: string; hash: string } {
  const token = createHmac('sha256', linkSecret(deps)).update(`registration-link:${registrationId}`).digest('base64url');
  return { token, hash: hashToken(token) };
}

export function personalLink(deps: Pick<RegistrationDeps, 'config'>, registrationId: string): string {
  return `${deps.config.baseUrl.replace(/\/$/, '')}/inscriptions/${registrationToken(deps, registrationId).token}`;
}
