import { hash, randomBytes } from 'node:crypto';

/**
 * A subscriber's personal token (preference centre, unsubscribe links). It is stored as is, like
 * Listmonk's and Ghost's member uuids: every mailing, even one sent years later, must carry a
 * working unsubscribe link, so it cannot depend on a secret that may be rotated. It grants
 * nothing but managing that one address's subscriptions.
 */
export function newSubscriberToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The token in the links of the preview and of a test sent to someone who is not a subscriber:
 * it has a token's shape and belongs to no one. Its pages say that the link came from a test email
 * and does nothing (routes-public.ts), rather than « not found ».
 */
export const SAMPLE_TOKEN = 'apercu-jeton-exemple-0000';

/** A token has this shape; anything else is refused before touching the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,64}$/;

/**
 * The suppression list keeps only this: an erased address is never stored in clear again. One-shot
 * `hash` (two to three times faster than a `createHash` object on an address): the start of a send
 * hashes every address of the audience. The audience page's queries hash as it does, in SQL (`sha256Hex`).
 */
export function emailHash(email: string): string {
  return hash('sha256', email.trim().toLowerCase(), 'hex');
}

export function lowerEmail(email: string): string {
  return email.trim().toLowerCase();
}
