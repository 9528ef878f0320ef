import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import type { Translate } from '../../kernel/i18n/index.js';
import type { NewsProblems } from './service.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function actorOf(request: FastifyRequest): AuditActor & { id: string; email: string; displayName: string } {
  if (!request.user) throw new AppError('forbidden');
  return { id: request.user.id, email: request.user.email, displayName: request.user.displayName, ip: request.ip };
}

export function body(request: FastifyRequest): Record<string, unknown> {
  return typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
}

/** Problems as messages in the request's language, keyed by field. */
export function translate(problems: NewsProblems, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(p.key, p.params)]));
}
