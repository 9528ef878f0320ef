import type { FastifyRequest } from 'fastify';
import { AfterCommitError } from '../db/transaction.js';
import { AppError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { flash } from './view-context.js';

/**
 * A form's write the database refused as a whole (one transaction, rolled back): the cause goes to
 * the log with the request's id, never to the page, and `message` (nothing was saved, the person
 * may try again) is flashed in their language; the caller shows the form again with what was typed.
 * A missing record (AppError) and a follow-up that failed once the writes committed
 * (AfterCommitError: saying "nothing was saved" would be false) go on to the usual error page.
 */
export function writeRefused(request: FastifyRequest, error: unknown, message: MessageKey): void {
  if (error instanceof AppError || error instanceof AfterCommitError) throw error;
  request.log.error({ err: error, reference: request.id }, 'write refused, nothing saved');
  flash(request, 'error', request.t(message));
}
