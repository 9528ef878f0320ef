import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface Session {
    /** The address of the account this browser just activated or reset: the sign-in form shows it once. */
    signInEmail?: string;
    /** This session's sign-in, as written to the account's `last_login_at`. */
    signedInAt?: string;
    /** The account's sign-in before this session's; null when this session's is the first. */
    previousSignInAt?: string | null;
  }
}

/**
 * Keeps the address for the sign-in form that follows. It stays in this browser's session (never in
 * the URL, where history, logs and the Referer header would keep it) and is shown once.
 */
export function rememberSignInEmail(request: FastifyRequest, email: string): void {
  request.session.signInEmail = email;
}

export function takeSignInEmail(request: FastifyRequest): string | undefined {
  const email = request.session.signInEmail;
  if (email !== undefined) request.session.signInEmail = undefined;
  return email;
}

/**
 * Opens a signed-in session for the account: a new session id (defeating session fixation: the
 * visitor's session, and what it held, is dropped), the account, when it authenticated, and its
 * sign-ins for « Dernière connexion ». Every way in uses it: the sign-in form, an accepted invitation.
 */
export async function openSession(request: FastifyRequest, userId: string, at: string, previous: string | null): Promise<void> {
  await request.session.regenerate();
  request.session.userId = userId;
  request.session.authenticatedAt = at;
  rememberSignIn(request, at, previous);
}

/** Notes, in the new session, when it signed in and when the account had signed in before. */
export function rememberSignIn(request: FastifyRequest, at: string, previous: string | null): void {
  request.session.signedInAt = at;
  request.session.previousSignInAt = previous;
}

export type LastSignIn = { kind: 'at'; at: string } | { kind: 'first' } | { kind: 'unknown' };

/**
 * The sign-in to show as « Dernière connexion »: the latest one that is not this session's own. A
 * sign-in made elsewhere since this one wins; otherwise the one before this session's, or none.
 */
export function lastSignIn(request: FastifyRequest, accountLast: string | null): LastSignIn {
  const own = request.session.signedInAt;
  // A session opened before these notes were kept: the account's latest is all there is to show.
  if (own === undefined) return accountLast ? { kind: 'at', at: accountLast } : { kind: 'unknown' };
  if (accountLast && new Date(accountLast).getTime() !== new Date(own).getTime()) return { kind: 'at', at: accountLast };
  const previous = request.session.previousSignInAt;
  return previous ? { kind: 'at', at: previous } : { kind: 'first' };
}
