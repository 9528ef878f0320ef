import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { CurrentUser } from '../ui/context.js';

/**
 * The account signed in on a route whose access requires one. The access check has already
 * refused anyone else; this only narrows the type, and refuses should a route be misdeclared.
 */
export function signedInUser(request: FastifyRequest): CurrentUser {
  if (!request.user) throw new AppError('forbidden');
  return request.user;
}

/** The signed-in account as services and the audit log record it: who, and from which address. */
export function actorOf(request: FastifyRequest): CurrentUser & { ip: string } {
  return { ...signedInUser(request), ip: request.ip };
}

/** A submitted form's fields (an empty object when the request has no parsed body). */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  return typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
}
