import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { BulletinDeps } from './editor.js';

/** The staff member making a change (routes are staff-only). */
export function actorOf(request: FastifyRequest) {
  if (!request.user) throw new AppError('forbidden');
  return { id: request.user.id, email: request.user.email, ip: request.ip };
}

export function bulletinDeps(k: Kernel): BulletinDeps {
  return { db: k.db, dialect: k.dbHandle.dialect, clock: k.clock };
}
