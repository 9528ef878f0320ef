// Posting a status to a Mastodon instance (POST /api/v1/statuses) through the kernel's safe fetch:
// every resolved address checked (FETCH_ALLOWLIST for a private instance), the socket pinned to the
// checked address, no redirect followed for a POST, one deadline, a capped answer.
import { SafeFetchError, safeFetch } from '../../kernel/http/safe-fetch.js';

const ANSWER_MAX_BYTES = 1024 * 1024;

export interface PostStatusOptions {
  allowlist: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A status the instance published: its public address. */
export interface PostedStatus {
  id: string;
  url: string;
}

/** Why a post failed; `retry` is false when trying again cannot help (refused token, invalid status). */
export class MastodonError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MastodonError';
  }
}

/** The error an instance gave (`{"error": "…"}`), else the HTTP status. */
function instanceError(status: number, text: string): string {
  try {
    const value = JSON.parse(text) as { error?: unknown };
    if (typeof value.error === 'string') return `HTTP ${status}: ${value.error.slice(0, 300)}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${status}`;
}

/**
 * Posts a public status with the account's token. `idempotencyKey` makes a repeated post (a retried
 * job) return the first status instead of a second one (Mastodon keeps keys for an hour).
 */
export async function postStatus(instanceUrl: string, token: string, status: string, idempotencyKey: string, options: PostStatusOptions): Promise<PostedStatus> {
  const url = new URL('/api/v1/statuses', instanceUrl);
  if (!['http:', 'https:'].includes(url.protocol)) throw new MastodonError(`protocol ${url.protocol} is not allowed`, false);
  try {
    const fetched = await safeFetch(url, {
      method: 'POST',
      body: new URLSearchParams({ status, visibility: 'public' }).toString(),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': idempotencyKey,
      },
      accept: 'application/json',
      anyStatus: true,
      allowlist: options.allowlist,
      timeoutMs: options.timeoutMs,
      maxBytes: ANSWER_MAX_BYTES,
      signal: options.signal,
    });
    const answer = { status: fetched.status, text: fetched.body.toString('utf8') };
    if (answer.status < 200 || answer.status > 299) {
      // Too many requests and server errors pass; a refused token or status does not.
      throw new MastodonError(instanceError(answer.status, answer.text), answer.status === 429 || answer.status >= 500, answer.status);
    }
    let posted: { id?: unknown; url?: unknown; uri?: unknown };
    try {
      posted = JSON.parse(answer.text) as typeof posted;
    } catch {
      throw new MastodonError('the instance answered with something other than JSON', true, answer.status);
    }
    const link = typeof posted.url === 'string' ? posted.url : typeof posted.uri === 'string' ? posted.uri : null;
    if (!link || !/^https?:\/\//.test(link)) throw new MastodonError('the instance answered without the status address', true, answer.status);
    return { id: String(posted.id ?? ''), url: link };
  } catch (error) {
    if (error instanceof MastodonError) throw error;
    if (error instanceof SafeFetchError) throw new MastodonError(error.message, error.code !== 'blocked_address' && error.code !== 'invalid_url' && error.code !== 'protocol');
    throw new MastodonError(error instanceof Error ? error.message : String(error), true);
  }
}
