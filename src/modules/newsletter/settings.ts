import { randomBytes } from 'node:crypto';
import type { NewsletterDeps } from './deps.js';
import * as repo from './repo.js';

/** How mailings are sent; edited by admins on /admin/lettres/reglages, read by every worker. */
export interface NewsletterSettings {
  /** Ceiling of messages handed to SMTP per second, all workers together (0: none). */
  ratePerSecond: number;
  /** Ceiling per sliding hour, all workers together (0: none). */
  ratePerHour: number;
  /** The mailing pauses itself when more than this share of its sends failed… */
  errorThresholdPercent: number;
  /** …once at least this many were tried. */
  errorThresholdMinimum: number;
  /** Messages a worker sends at once (each one in flight may be sent twice after a crash). */
  concurrency: number;
  /** How long a claimed recipient stays with its worker before another may take it (crash). */
  claimLeaseSeconds: number;
  /** Attempts of a recipient on temporary SMTP errors (4xx, connection) before it is failed. */
  maxAttempts: number;
  /** First wait before trying a temporary failure again (doubled at each attempt, one hour at most). */
  retryBaseSeconds: number;
  /** Soft bounces of an address before it is suppressed like a hard bounce. */
  softBounceLimit: number;
  /** The secret of POST /api/v1/bounces/:token. */
  bounceToken: string;
  /** The mailto: of the List-Unsubscribe header (empty: the network's contact address). */
  unsubscribeMailto: string;
}

export const DEFAULT_NEWSLETTER_SETTINGS: Omit<NewsletterSettings, 'bounceToken'> = {
  ratePerSecond: 20,
  ratePerHour: 20_000,
  errorThresholdPercent: 10,
  errorThresholdMinimum: 50,
  concurrency: 4,
  claimLeaseSeconds: 60,
  maxAttempts: 5,
  retryBaseSeconds: 60,
  softBounceLimit: 3,
  unsubscribeMailto: '',
};

const NUMBERS = ['ratePerSecond', 'ratePerHour', 'errorThresholdPercent', 'errorThresholdMinimum', 'concurrency', 'claimLeaseSeconds', 'maxAttempts', 'retryBaseSeconds', 'softBounceLimit'] as const;
export type NumericSetting = (typeof NUMBERS)[number];

/** Bounds of each number (inclusive). */
export const SETTING_BOUNDS: Record<NumericSetting, [number, number]> = {
  ratePerSecond: [0, 10_000],
  ratePerHour: [0, 10_000_000],
  errorThresholdPercent: [1, 100],
  errorThresholdMinimum: [1, 100_000],
  concurrency: [1, 50],
  claimLeaseSeconds: [1, 3600],
  maxAttempts: [1, 20],
  retryBaseSeconds: [1, 3600],
  softBounceLimit: [1, 100],
};

/** The settings, stored values over defaults; the bounce token is made the first time it is asked for. */
export async function newsletterSettings(deps: Pick<NewsletterDeps, 'db' | 'clock'>): Promise<NewsletterSettings> {
  const stored = await repo.readSettings(deps.db);
  const out: Record<string, unknown> = { ...DEFAULT_NEWSLETTER_SETTINGS };
  for (const key of NUMBERS) {
    const value = Number(stored[key]);
    const [min, max] = SETTING_BOUNDS[key];
    if (stored[key] !== undefined && Number.isInteger(value) && value >= min && value <= max) out[key] = value;
  }
  if (stored['unsubscribeMailto'] !== undefined) out['unsubscribeMailto'] = stored['unsubscribeMailto'];
  let token = stored['bounceToken'];
  if (!token) {
    token = randomBytes(24).toString('base64url');
    await repo.writeSettings(deps.db, { bounceToken: token }, deps.clock.now().toISOString());
    // Two processes may have raced: the stored one wins.
    token = (await repo.readSettings(deps.db))['bounceToken'] ?? token;
  }
  out['bounceToken'] = token;
  return out as unknown as NewsletterSettings;
}

export async function saveNewsletterSettings(deps: Pick<NewsletterDeps, 'db' | 'clock'>, patch: Partial<NewsletterSettings>): Promise<void> {
  const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  await repo.writeSettings(deps.db, values, deps.clock.now().toISOString());
}

export function newBounceToken(): string {
  return randomBytes(24).toString('base64url');
}
