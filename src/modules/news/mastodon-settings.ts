import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { readMastodonSetting, writeMastodonSetting } from './mastodon-repo.js';

/** The network's Mastodon account: where articles are posted, and the access token of an application of it. */
export interface MastodonAccount {
  /** The instance's origin, e.g. `https://mastodon.social`. */
  instanceUrl: string;
  token: string;
}

export async function mastodonAccount(db: Kysely<Database>): Promise<MastodonAccount | null> {
  const raw = await readMastodonSetting(db);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<MastodonAccount>;
    return typeof value.instanceUrl === 'string' && typeof value.token === 'string' && value.token ? { instanceUrl: value.instanceUrl, token: value.token } : null;
  } catch {
    return null;
  }
}

/** The token as it may be shown again: its last four characters only. */
export function maskedToken(token: string): string {
  return `••••••••${token.slice(-4)}`;
}

export type MastodonForm = { ok: true; account: MastodonAccount | null } | { ok: false; errors: Record<string, MessageKey> };

/**
 * Checks the settings form: an http(s) instance address (its origin is kept), and a token (a blank
 * one keeps the token already saved; `disconnect` removes the account).
 */
export function checkMastodonForm(raw: Record<string, unknown>, current: MastodonAccount | null): MastodonForm {
  const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
  if (text('disconnect') === '1') return { ok: true, account: null };
  const errors: Record<string, MessageKey> = {};
  let instanceUrl = '';
  try {
    const url = new URL(text('instance_url'));
    if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password) throw new Error('protocol');
    instanceUrl = url.origin;
  } catch {
    errors['instance_url'] = 'news.mastodon.error.instance';
  }
  const token = text('token') || current?.token || '';
  if (!token) errors['token'] = 'news.mastodon.error.tokenMissing';
  else if (token.length > 500 || /\s/.test(token)) errors['token'] = 'news.mastodon.error.token';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, account: { instanceUrl, token } };
}

export async function saveMastodonAccount(db: Kysely<Database>, account: MastodonAccount | null, at: string): Promise<void> {
  await writeMastodonSetting(db, account ? JSON.stringify(account) : null, at);
}
